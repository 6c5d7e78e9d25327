"""What a person typed -> a Whoosh query that can neither raise nor explode.

People type two words or paste a whole paragraph, so words are ORed with a coordination
factor (threads matching more words rank first, a missing word never empties the list).
Syntax that helps is kept: "quoted phrases", AND/OR/NOT, -word, prefix*, word~ and
title:/specialty:/doctor: fields (syntax.py says what is syntax and holds the parser).
Everything that could blow up is bounded here: long pasted questions, long or many
phrases; prefixes, wildcards and fuzzy words are expanded within the search's budget by
expand.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from search.budget import SearchBudget, SearchLimits
from search.index.schema import SCHEMA, TEXT_FIELDS
from search.query.expand import TermExpander
from search.query.names import NameFinder
from search.query.plain import (
    MAX_QUERY_BLOCKS,
    MAX_SYNONYM_BLOCKS,
    WHOLE_QUERY_WORDS,
    PostingAllowance,
    plain_query,
    synonym_terms,
    word_terms,
)
from search.query.question import read_question
from search.query.synonyms import SYNONYM_WEIGHT, SynonymTable
from search.query.syntax import cleaned, field_names_lowered, make_parser, written_in_syntax
from search.query.tree import (
    fields_required,
    is_empty,
    negations_fixed,
    renamed,
    term_text,
)
from search.query.vocabulary import synonym_table as vocabulary_table

# Words kept from a question written in query syntax, the most selective ones (plain
# words keep more: search/query/question.py).
MAX_QUERY_WORDS = 12
# Phrases are checked word by word in the documents that hold all their words, within
# the search's budget: a longer quote is matched on its first words, and phrases after
# the first few are left out (the answer says it is partial).
MAX_PHRASE_WORDS = 20
MAX_PHRASES = 8


class QueryBuilder:
    """Parses and bounds queries against one index reader (one per opened searcher)."""

    def __init__(
        self,
        reader: IndexReader,
        schema: Schema = SCHEMA,
        doc_frequency: Callable[[str, str], int] | None = None,
        known_names: dict[str, Iterable[str]] | None = None,
        synonyms: SynonymTable | None = None,
    ) -> None:
        self.reader = reader
        self.schema = schema
        # The engine passes its searcher's remembered frequencies (matching.DocFrequencies).
        self.doc_frequency = doc_frequency or reader.doc_frequency
        self.parser = make_parser(schema)
        self.expander = TermExpander(reader, schema, self.doc_frequency)
        self.synonyms = synonyms if synonyms is not None else synonym_table()
        self.segments = len(reader.leaf_readers()) if hasattr(reader, "leaf_readers") else 1
        # name field -> its names (the facet values), for names typed as text (names.py)
        self.names = NameFinder(reader, known_names, schema)

    def build(self, text: str, budget: SearchBudget | None = None) -> q.Query | None:
        """The bounded query for `text`, or None when it has no searchable words.

        Prefixes, wildcards and fuzzy words spend `budget` (a fresh default one if
        None); when it runs out the rest are searched as typed and `budget.cut` says so.
        """
        budget = budget if budget is not None else SearchLimits().start()
        text = cleaned(text)
        if not text:
            return None
        if not written_in_syntax(text):
            return self.build_plain(text)
        text = field_names_lowered(text)  # Specialty: = specialty:
        try:
            # Unnormalised, so that "a -rash" (stop word, then a negation) is still
            # visible as "everything but rash": normalising first would make it NullQuery.
            parsed = self.parser.parse(text, normalize=False)
            parsed = fields_required(negations_fixed(parsed)).normalize()
            built = self._bound(parsed, _Bounding(budget))
        except Exception:  # noqa: BLE001 - any parser failure means: search the words
            built = None
        else:
            if built is not None and not is_empty(built):
                return built
        return self.build_plain(text)

    def build_plain(self, text: str) -> q.Query | None:
        """Plain-words search, every syntax character ignored (see plain.py)."""
        question = read_question(text, analysed)
        whole = len(question.words) <= WHOLE_QUERY_WORDS
        clauses = word_terms(question, PostingAllowance(
            self.doc_frequency, self.segments, float("inf") if whole else MAX_QUERY_BLOCKS
        ))
        clauses += synonym_terms(question, self.synonyms, PostingAllowance(
            self.doc_frequency, self.segments, MAX_SYNONYM_BLOCKS
        ))
        clauses += self.names.clauses(text)
        query = plain_query(clauses)
        return None if query is None else query.normalize()

    def synonym_words(self, text: str) -> set[str]:
        """The stems of `text` that belong to a synonym entry it contains ("throw", "up"
        of "throwing up"): known words, whatever the archive's own vocabulary."""
        return {
            stem for span, _ in self.synonyms.expansions(analysed(text)) for stem in span
        }

    def proximity_pairs(self, text: str) -> list[tuple[str, str]]:
        """The consecutive word pairs of a plain-words query, for the proximity bonus
        (search/results/proximity.py); none for a query written in query syntax."""
        text = cleaned(text)
        if written_in_syntax(text):
            return []
        return read_question(text, analysed).pairs

    # -- bounding ---------------------------------------------------------------------

    def _bound(self, query: q.Query, bounding: _Bounding) -> q.Query:
        query = self._rewrite(query, bounding)
        return query.normalize()

    def _rewrite(self, node: q.Query, bounding: _Bounding, negated: bool = False) -> q.Query:
        # `negated`: inside a NOT, where a part cut short by the budget must exclude more,
        # not less, so that a partial answer only ever misses results.
        if isinstance(node, q.Or) and len(node.subqueries) > MAX_QUERY_WORDS:
            node = self._keep_selective(node)
        if node.is_leaf():
            return self._rewrite_leaf(renamed(node), bounding, negated)
        if isinstance(node, q.Not):
            return q.Not(self._rewrite(node.query, bounding, not negated))
        if isinstance(node, q.AndNot):
            return q.AndNot(self._rewrite(node.a, bounding, negated),
                            self._rewrite(node.b, bounding, not negated))
        return node.apply(lambda child: self._rewrite(child, bounding, negated))

    def _rewrite_leaf(self, node: q.Query, bounding: _Bounding, negated: bool) -> q.Query:
        budget = bounding.budget
        if isinstance(node, q.FuzzyTerm):
            return self.expander.fuzzy(node, budget, negated)
        if isinstance(node, q.Prefix):
            return self.expander.prefix(node, budget, negated)
        if isinstance(node, q.Wildcard):
            return self.expander.wildcard(node, budget, negated)
        if isinstance(node, q.Term) and node.fieldname in TEXT_FIELDS:
            return self._with_synonyms(node)
        if isinstance(node, q.Phrase):
            return bounding.phrase(node, negated)
        if isinstance(node, q.Term):
            return node
        # `*` alone (Whoosh's Every: it walks every term of a field), ranges and anything
        # exotic are not offered, so not searched.
        return q.NullQuery

    def _with_synonyms(self, node: q.Term) -> q.Query:
        """The word as typed, or it together with its lay/clinical synonyms at a lower
        weight (search/query/synonyms.py): "pee" also finds "urination"."""
        others = [
            q.Term(node.fieldname, other, boost=node.boost * SYNONYM_WEIGHT)
            for other in self.synonyms.others(term_text(node.text))
            if self.doc_frequency(node.fieldname, other) > 0
        ]
        return q.Or([node, *others]) if others else node

    def _keep_selective(self, node: q.Or) -> q.Or:
        """A pasted question: keep the words that say most (highest IDF).

        The parser flattens "a b" into one OR of (field, word) terms; a word is the terms
        sharing its text. Words absent from the index add nothing and are dropped;
        structured parts (phrases, fields, groups, negations) are always kept.
        """
        by_word: dict[str, list[q.Term]] = {}
        structured: list[q.Query] = []
        for sub in node.subqueries:
            if isinstance(sub, q.Term) and sub.fieldname in TEXT_FIELDS:
                by_word.setdefault(term_text(sub.text), []).append(sub)
            else:
                structured.append(sub)
        if len(by_word) <= MAX_QUERY_WORDS:
            return node
        frequency = {
            word: sum(self.doc_frequency(t.fieldname, word) for t in terms)
            for word, terms in by_word.items()
        }
        known = [word for word in by_word if frequency[word] > 0]  # in question order
        room = max(MAX_QUERY_WORDS - len(structured), 1)
        kept = set(sorted(known, key=lambda word: frequency[word])[:room])
        subs = [t for word, terms in by_word.items() if word in kept for t in terms]
        return node.__class__(
            subs + structured, boost=node.boost, scale=getattr(node, "scale", None)
        )


@dataclass
class _Bounding:
    """One query being bounded: the search's budget and the phrases kept so far."""

    budget: SearchBudget
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # distinct word sequences

    def phrase(self, node: q.Phrase, negated: bool) -> q.Query:
        """The phrase, cut to its first MAX_PHRASE_WORDS words. Phrases after the first
        MAX_PHRASES distinct ones are not searched (the answer is partial); under a NOT
        they exclude every thread holding all their words instead."""
        words = tuple(node.words[:MAX_PHRASE_WORDS])
        if words not in self.phrases and len(self.phrases) >= MAX_PHRASES:
            self.budget.cut.add("phrases")
            if not negated:
                return q.NullQuery
            return q.And([q.Term(node.fieldname, word) for word in words])
        if words not in self.phrases:
            self.phrases.append(words)
        ranges = node.char_ranges[:MAX_PHRASE_WORDS] if node.char_ranges else None
        return q.Phrase(node.fieldname, list(words), slop=node.slop, boost=node.boost,
                        char_ranges=ranges)


def analysed(text: str) -> list[str]:
    """`text` as the text fields index it (tokens, lower case, stop words out, stems)."""
    return [token.text for token in SCHEMA[TEXT_FIELDS[0]].analyzer(text, mode="query")]


def synonym_table(generation: Path | None = None) -> SynonymTable:
    """The synonym groups (vocabulary.py) in the indexed form of the text fields, with
    the operator's groups of `generation` if it has them."""
    return vocabulary_table(analysed, generation)
