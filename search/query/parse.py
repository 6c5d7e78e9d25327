"""What a person typed -> a Whoosh query that can neither raise nor explode.

People type two words or paste a whole paragraph, so words are ORed with a coordination
factor (threads matching more words rank first, a missing word never empties the list).
Syntax that helps is kept: "quoted phrases", AND/OR/NOT, -word, prefix*, word~ and
title:/specialty:/doctor: fields. Everything that could blow up is bounded here: short
prefixes, leading wildcards, wide fuzzy terms and long pasted questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import cache
from itertools import islice

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
)
from whoosh.qparser.plugins import (
    EveryPlugin,
    RangePlugin,
    SingleQuotePlugin,
    WildcardPlugin,
)
from whoosh.reading import IndexReader

from search.index.schema import FIELD_WEIGHTS, SCHEMA, TEXT_FIELDS
from search.query.synonyms import SYNONYM_WEIGHT, SynonymTable
from search.query.tree import (
    FIELD_ALIASES,
    fields_required,
    is_empty,
    negations_fixed,
    renamed,
    term_text,
)

# Longer input is a pasted question, not query syntax: searched as plain words.
MAX_SYNTAX_CHARS = 300
COORDINATION = 0.9  # OrGroup factor: a thread matching more of the words ranks higher
MAX_QUERY_WORDS = 12  # words kept from a long question, the most selective ones
MIN_PREFIX_CHARS = 2  # `a*` would expand to a good part of the vocabulary
MAX_EXPANDED_TERMS = 50  # terms one prefix/wildcard/fuzzy term may stand for
MAX_SCANNED_TERMS = 5000  # lexicon entries a wildcard may look at
MAX_FUZZY_DISTANCE = 2
MAX_FUZZY_WORD_CHARS = 24
MIN_FUZZY_PREFIX = 1  # fuzzy terms must share their first letter: keeps the automaton small
SPELLING_FIELDS = ("spell_symptoms", "spell_title")  # unstemmed words (schema spelling=True)

# The words of a plain-words search.
_WORD = re.compile(r"\w+", re.UNICODE)
# Field names as people may type them: Specialty:, DOCTOR:
_FIELD_NAME = re.compile(rf"(?<!\w)({'|'.join(FIELD_ALIASES)})(?=:)", re.IGNORECASE)
# Whoosh's WildcardPlugin also treats `?` as a wildcard: "why do I itch?" would find nothing.
_QUESTION_MARKS = re.compile("[?\u055e\u061f\u1367\uff1f]")


class StarWildcardPlugin(WildcardPlugin):
    """Only `*` is a wildcard; `?` is just the end of a question."""

    qmarks = ""
    expr = r"(?P<text>[*])"


class WordPlusMinusPlugin(PlusMinusPlugin):
    """`+word` / `-word` only at the start of a word, so x-ray and Chih-Hao stay whole."""

    def __init__(self) -> None:
        super().__init__(plusexpr=r"(?<![^\s(])\+(?=\S)", minusexpr=r"(?<![^\s(])-(?=\S)")


def _parse_schema(schema: Schema) -> Schema:
    """The fields people may name, under the names they type."""
    fields = {name: schema[name] for name in TEXT_FIELDS}
    fields.update({alias: schema[real] for alias, real in FIELD_ALIASES.items()})
    return Schema(**fields)


def make_parser(schema: Schema = SCHEMA) -> QueryParser:
    """The full-syntax parser: multifield, OR with coordination, no ranges or `?`."""
    parser = MultifieldParser(
        list(TEXT_FIELDS),
        _parse_schema(schema),
        fieldboosts=FIELD_WEIGHTS,
        group=OrGroup.factory(COORDINATION),
    )
    for plugin_class in (WildcardPlugin, RangePlugin, EveryPlugin, SingleQuotePlugin):
        parser.remove_plugin_class(plugin_class)
    parser.add_plugin(StarWildcardPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(WordPlusMinusPlugin())
    return parser


class QueryBuilder:
    """Parses and bounds queries against one index reader (one per opened searcher)."""

    def __init__(
        self,
        reader: IndexReader,
        schema: Schema = SCHEMA,
        doc_frequency: Callable[[str, str], int] | None = None,
    ) -> None:
        self.reader = reader
        self.schema = schema
        # The engine passes its searcher's remembered frequencies (matching.DocFrequencies).
        self.doc_frequency = doc_frequency or reader.doc_frequency
        self.parser = make_parser(schema)
        self._neighbours: dict[tuple[str, int, int], set[str]] = {}  # fuzzy look-ups

    def build(self, text: str) -> q.Query | None:
        """The bounded query for `text`, or None when it has no searchable words."""
        text = _QUESTION_MARKS.sub(" ", text.replace("\x00", " ")).strip()
        if not text:
            return None
        if len(text) > MAX_SYNTAX_CHARS:
            return self.build_plain(text)
        text = _FIELD_NAME.sub(lambda m: m.group(1).lower(), text)  # Specialty: = specialty:
        try:
            # Unnormalised, so that "a -rash" (stop word, then a negation) is still
            # visible as "everything but rash": normalising first would make it NullQuery.
            parsed = self.parser.parse(text, normalize=False)
            parsed = fields_required(negations_fixed(parsed)).normalize()
            built = self._bound(parsed)
        except Exception:  # noqa: BLE001 - any parser failure means: search the words
            built = None
        else:
            if built is not None and not is_empty(built):
                return built
        return self.build_plain(text)

    def build_plain(self, text: str) -> q.Query | None:
        """Plain-words search, every syntax character ignored: an OR (with coordination)
        of each distinct word in every text field, built without the parser (whose
        tagger costs ~30 us per character: 150 ms for a pasted page)."""
        analyzer = self.schema[TEXT_FIELDS[0]].analyzer
        words = " ".join(_WORD.findall(text))
        stems = list(dict.fromkeys(token.text for token in analyzer(words, mode="query")))
        if not stems:
            return None
        terms = [
            q.Term(field, stem, boost=FIELD_WEIGHTS[field])
            for stem in stems
            for field in TEXT_FIELDS
        ]
        return self._bound(q.Or(terms, scale=COORDINATION))

    # -- bounding ---------------------------------------------------------------------

    def _bound(self, query: q.Query) -> q.Query:
        query = self._rewrite(query)
        return query.normalize()

    def _rewrite(self, node: q.Query) -> q.Query:
        if isinstance(node, q.Or) and len(node.subqueries) > MAX_QUERY_WORDS:
            node = self._keep_selective(node)
        if node.is_leaf():
            return self._rewrite_leaf(renamed(node))
        return node.apply(self._rewrite)

    def _rewrite_leaf(self, node: q.Query) -> q.Query:
        if isinstance(node, q.FuzzyTerm):
            return self._expand_fuzzy(node)
        if isinstance(node, q.Prefix):
            return self._expand_prefix(node)
        if isinstance(node, q.Wildcard):
            return self._expand_wildcard(node)
        if isinstance(node, q.Term) and node.fieldname in TEXT_FIELDS:
            return self._with_synonyms(node)
        if isinstance(node, q.Term | q.Phrase):
            return node
        # `*` alone (Whoosh's Every: it walks every term of a field), ranges and anything
        # exotic are not offered, so not searched.
        return q.NullQuery

    def _with_synonyms(self, node: q.Term) -> q.Query:
        """The word as typed, or it together with its lay/clinical synonyms at a lower
        weight (search/query/synonyms.py): "pee" also finds "urination"."""
        others = [
            q.Term(node.fieldname, other, boost=node.boost * SYNONYM_WEIGHT)
            for other in synonym_table().others(term_text(node.text))
            if self.doc_frequency(node.fieldname, other) > 0
        ]
        return q.Or([node, *others]) if others else node

    def _expand_prefix(self, node: q.Prefix) -> q.Query:
        prefix = node.text.lower()
        if len(prefix) < MIN_PREFIX_CHARS:
            return self._as_term(node.fieldname, prefix, node.boost)
        terms = islice(self.reader.expand_prefix(node.fieldname, prefix), MAX_SCANNED_TERMS)
        return self._or_of_terms(node.fieldname, [term_text(t) for t in terms], node.boost)

    def _expand_wildcard(self, node: q.Wildcard) -> q.Query:
        pattern = node.text.lower()
        literal = pattern.split("*", 1)[0]
        if len(literal) < MIN_PREFIX_CHARS:
            return self._as_term(node.fieldname, pattern.replace("*", ""), node.boost)
        candidates = islice(self.reader.expand_prefix(node.fieldname, literal), MAX_SCANNED_TERMS)
        terms = [t for t in map(term_text, candidates) if fnmatchcase(t, pattern)]
        return self._or_of_terms(node.fieldname, terms, node.boost)

    def _expand_fuzzy(self, node: q.FuzzyTerm) -> q.Query:
        typed = node.text.lower()
        word = self._analyzed_word(node.fieldname, typed)
        if word is None:
            return q.NullQuery
        maxdist = max(0, min(int(node.maxdist), MAX_FUZZY_DISTANCE))
        prefix = max(int(node.prefixlength), MIN_FUZZY_PREFIX)
        if len(typed) > MAX_FUZZY_WORD_CHARS:
            maxdist = 0  # the automaton grows with the word: junk gets an exact look-up
        if len(typed) <= prefix + maxdist:  # "ab~2" would match nearly every short word
            maxdist = max(0, len(typed) - prefix - 1)
        # Typos are in the typed (unstemmed) word: "hikng" is one edit from "hiking",
        # two from its stem "hike". Look in the unstemmed vocabulary, then stem.
        stems = {
            stem
            for typed_like in self._spelling_neighbours(typed, maxdist, prefix)
            if (stem := self._analyzed_word(node.fieldname, typed_like)) is not None
        }
        stems.update(term_text(t) for t in self.reader.terms_within(
            node.fieldname, word, maxdist, prefix=prefix
        ))
        terms = [t for t in sorted(stems) if self.doc_frequency(node.fieldname, t) > 0]
        return self._or_of_terms(node.fieldname, terms, node.boost)

    def _spelling_neighbours(self, typed: str, maxdist: int, prefix: int) -> set[str]:
        key = (typed, maxdist, prefix)
        if len(self._neighbours) > 10_000:  # bounded memory in a long-lived worker
            self._neighbours.clear()
        if key not in self._neighbours:
            found: set[str] = set()
            for fieldname in SPELLING_FIELDS:
                if fieldname in self.schema.names():
                    found.update(
                        map(term_text, self.reader.terms_within(fieldname, typed, maxdist, prefix))
                    )
            self._neighbours[key] = found
        return self._neighbours[key]

    def _as_term(self, fieldname: str, text: str, boost: float) -> q.Query:
        word = self._analyzed_word(fieldname, text)
        return q.NullQuery if word is None else q.Term(fieldname, word, boost=boost)

    def _analyzed_word(self, fieldname: str, text: str) -> str | None:
        """The indexed form of one typed word (lowercased, stemmed), None if it has none."""
        field = self.schema[fieldname]
        tokens = [t.text for t in field.analyzer(text, mode="query")] if field.analyzer else []
        return tokens[0] if len(tokens) == 1 else (text.lower() or None)

    def _or_of_terms(self, fieldname: str, terms: list[str], boost: float) -> q.Query:
        if not terms:
            return q.NullQuery
        if len(terms) > MAX_EXPANDED_TERMS:
            # The most frequent variants are the ones a person most likely meant.
            terms = sorted(terms, key=lambda t: -self.doc_frequency(fieldname, t))
            terms = terms[:MAX_EXPANDED_TERMS]
        return q.Or([q.Term(fieldname, t, boost=boost) for t in terms])

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


@cache
def synonym_table() -> SynonymTable:
    """The synonym groups in the indexed (analysed) form of the text fields."""
    analyzer = SCHEMA[TEXT_FIELDS[0]].analyzer
    return SynonymTable(lambda word: [t.text for t in analyzer(word, mode="query")])
