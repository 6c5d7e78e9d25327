"""Prefixes, wildcards and fuzzy words -> the indexed terms they stand for, bounded.

Each part is bounded on its own (a prefix of two letters at least, at most
MAX_EXPANDED_TERMS terms, the most frequent ones, from at most MAX_SCANNED_TERMS lexicon
entries) and all of a query's parts together by the search's budget (search/budget.py):
`co* re* st* ...` or `~2` on every word would otherwise multiply those bounds by the
number of parts. Parts are served in the order typed; once the query's budget is spent,
the rest are searched as the word typed and the search is marked partial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from itertools import islice

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from search.budget import SearchBudget
from search.query.tree import term_text

MIN_PREFIX_CHARS = 2  # `a*` would expand to a good part of the vocabulary
MAX_EXPANDED_TERMS = 50  # terms one prefix/wildcard/fuzzy term may stand for
MAX_SCANNED_TERMS = 5000  # lexicon entries one such term may look at
MAX_FUZZY_DISTANCE = 2
MAX_FUZZY_WORD_CHARS = 24
MIN_FUZZY_PREFIX = 1  # fuzzy terms must share their first letter: a small part of the lexicon
SPELLING_FIELDS = ("spell_symptoms", "spell_title")  # unstemmed words (schema spelling=True)
EXPANSIONS_CUT = "expansions"  # the budget's name for this kind of cut


class TermExpander:
    """Expands the parts of queries against one index reader (one per opened searcher)."""

    def __init__(
        self, reader: IndexReader, schema: Schema, doc_frequency: Callable[[str, str], int]
    ) -> None:
        self.reader = reader
        self.schema = schema
        self.doc_frequency = doc_frequency
        self._neighbours: dict[tuple[str, int, int], set[str]] = {}  # complete fuzzy look-ups

    def prefix(self, node: q.Prefix, budget: SearchBudget, negated: bool = False) -> q.Query:
        """`node` as an OR of its most frequent completions. `negated`: the part is inside
        a NOT (see _Part.result)."""
        prefix = node.text.lower()
        if len(prefix) < MIN_PREFIX_CHARS:
            return self.as_term(node.fieldname, prefix, node.boost)
        part = _Part(self, node.fieldname, prefix, node.boost, budget)
        terms = part.scan(self.reader.expand_prefix(node.fieldname, prefix))
        return part.result(list(map(term_text, terms)), negated)

    def wildcard(self, node: q.Wildcard, budget: SearchBudget, negated: bool = False) -> q.Query:
        pattern = node.text.lower()
        literal = pattern.split("*", 1)[0]
        typed = pattern.replace("*", "")
        if len(literal) < MIN_PREFIX_CHARS:
            return self.as_term(node.fieldname, typed, node.boost)
        part = _Part(self, node.fieldname, typed, node.boost, budget)
        candidates = part.scan(self.reader.expand_prefix(node.fieldname, literal))
        terms = [t for t in map(term_text, candidates) if fnmatchcase(t, pattern)]
        return part.result(terms, negated)

    def fuzzy(self, node: q.FuzzyTerm, budget: SearchBudget, negated: bool = False) -> q.Query:
        typed = node.text.lower()
        word = self.analyzed_word(node.fieldname, typed)
        if word is None:
            return q.NullQuery
        maxdist = max(0, min(int(node.maxdist), MAX_FUZZY_DISTANCE))
        prefix = max(int(node.prefixlength), MIN_FUZZY_PREFIX)
        if len(typed) > MAX_FUZZY_WORD_CHARS:
            maxdist = 0  # the automaton grows with the word: junk gets an exact look-up
        if len(typed) <= prefix + maxdist:  # "ab~2" would match nearly every short word
            maxdist = max(0, len(typed) - prefix - 1)
        if maxdist == 0:
            found = self.doc_frequency(node.fieldname, word) > 0
            return q.Term(node.fieldname, word, boost=node.boost) if found else q.NullQuery
        part = _Part(self, node.fieldname, typed, node.boost, budget)
        # Typos are in the typed (unstemmed) word: "hikng" is one edit from "hiking",
        # two from its stem "hike". Look in the unstemmed vocabulary, then stem.
        stems = {
            stem
            for typed_like in self._spelling_neighbours(part, typed, maxdist, prefix)
            if (stem := self.analyzed_word(node.fieldname, typed_like)) is not None
        }
        stems.update(self._within(part, node.fieldname, word, maxdist, prefix))
        terms = [t for t in sorted(stems) if self.doc_frequency(node.fieldname, t) > 0]
        return part.result(terms, negated)

    def as_term(self, fieldname: str, text: str, boost: float) -> q.Query:
        word = self.analyzed_word(fieldname, text)
        return q.NullQuery if word is None else q.Term(fieldname, word, boost=boost)

    def analyzed_word(self, fieldname: str, text: str) -> str | None:
        """The indexed form of one typed word (lowercased, stemmed), None if it has none."""
        field = self.schema[fieldname]
        tokens = [t.text for t in field.analyzer(text, mode="query")] if field.analyzer else []
        return tokens[0] if len(tokens) == 1 else (text.lower() or None)

    def _within(
        self, part: _Part, fieldname: str, word: str, maxdist: int, prefix: int
    ) -> set[str]:
        """Terms of the field within `maxdist` edits of `word` sharing its first `prefix`
        letters: Whoosh's terms_within, with the lexicon walk counted and bounded."""
        found = set()
        for entry in map(term_text, part.scan(self.reader.expand_prefix(fieldname, word[:prefix]))):
            # Cheap length test first: most entries are too long or short to be near.
            if abs(len(entry) - len(word)) <= maxdist and distance(entry, word, maxdist) <= maxdist:
                found.add(entry)
        return found

    def _spelling_neighbours(self, part: _Part, typed: str, maxdist: int, prefix: int) -> set[str]:
        key = (typed, maxdist, prefix)
        if len(self._neighbours) > 10_000:  # bounded memory in a long-lived worker
            self._neighbours.clear()
        if key in self._neighbours:
            return self._neighbours[key]
        was_cut = part.cut
        found: set[str] = set()
        for fieldname in SPELLING_FIELDS:
            if fieldname in self.schema.names():
                found |= self._within(part, fieldname, typed, maxdist, prefix)
        if part.cut == was_cut:
            self._neighbours[key] = found  # only complete look-ups are remembered
        return found


@dataclass
class _Part:
    """One prefix, wildcard or fuzzy part being expanded, and whether the query's budget
    (not the part's own caps) cut it short."""

    expander: TermExpander
    fieldname: str
    typed: str
    boost: float
    budget: SearchBudget
    cut: bool = False

    def scan(self, terms: Iterable[bytes | str]) -> list[bytes | str]:
        """Lexicon entries, at most MAX_SCANNED_TERMS and what the budget has left."""
        budget = self.budget
        if budget.expansions_left() == 0 or budget.expired():
            self.cut = True
            return []
        limit = min(MAX_SCANNED_TERMS, budget.scanned_terms_left())
        found = list(islice(terms, limit + 1))
        if len(found) > limit:
            found = found[:limit]
            self.cut |= limit < MAX_SCANNED_TERMS
        budget.scanned_terms += len(found)
        return found

    def result(self, terms: list[str], negated: bool) -> q.Query:
        """An OR of the most frequent terms found, as many as the budget allows.

        When the budget cut the part short, that is noted in `budget.cut`; the part is
        then searched as the word typed (plus whatever was found), and inside a NOT it
        excludes everything instead (it might have matched anything), so that a partial
        answer never shows a thread the query excludes.
        """
        budget, frequency = self.budget, self.expander.doc_frequency
        room = min(MAX_EXPANDED_TERMS, budget.expansions_left())
        if len(terms) > room:
            # The most frequent variants are the ones a person most likely meant.
            terms = sorted(terms, key=lambda t: -frequency(self.fieldname, t))[:room]
            self.cut |= room < MAX_EXPANDED_TERMS
        budget.expansions += len(terms)
        parts: list[q.Query] = [q.Term(self.fieldname, t, boost=self.boost) for t in terms]
        if self.cut:
            budget.cut.add(EXPANSIONS_CUT)
            if negated:
                return q.Every()
            parts.append(self.expander.as_term(self.fieldname, self.typed, self.boost))
        return q.Or(parts) if parts else q.NullQuery
