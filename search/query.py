"""What a person typed -> a Whoosh query that can neither raise nor explode.

People type two words or paste a whole paragraph, so words are ORed with a coordination
factor (threads matching more words rank first, a missing word never empties the list).
Syntax that helps is kept: "quoted phrases", AND/OR/NOT, -word, prefix*, word~ and
title:/specialty:/doctor: fields. Everything that could blow up is bounded here: short
prefixes, leading wildcards, wide fuzzy terms and long pasted questions.
"""

from __future__ import annotations

import copy
import re
from fnmatch import fnmatchcase
from itertools import islice

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldParser,
    MultifieldPlugin,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
    WhitespacePlugin,
)
from whoosh.qparser.plugins import (
    EveryPlugin,
    RangePlugin,
    SingleQuotePlugin,
    WildcardPlugin,
)
from whoosh.reading import IndexReader

from search.schema import FIELD_WEIGHTS, SCHEMA, TEXT_FIELDS

# Query field names people type -> the schema's name-analysed fields.
FIELD_ALIASES = {"title": "title", "specialty": "specialty_name", "doctor": "doctor_names"}

COORDINATION = 0.9  # OrGroup factor: a thread matching more of the words ranks higher
MAX_QUERY_WORDS = 12  # words kept from a long question, the most selective ones
MIN_PREFIX_CHARS = 2  # `a*` would expand to a good part of the vocabulary
MAX_EXPANDED_TERMS = 50  # terms one prefix/wildcard/fuzzy term may stand for
MAX_SCANNED_TERMS = 5000  # lexicon entries a wildcard may look at
MAX_FUZZY_DISTANCE = 2
MIN_FUZZY_PREFIX = 1  # fuzzy terms must share their first letter: keeps the automaton small
SPELLING_FIELDS = ("spell_symptoms", "spell_title")  # unstemmed words (schema spelling=True)

# Characters that are never syntax in the plain-words fallback.
_WORD = re.compile(r"\w+", re.UNICODE)
# Whoosh's WildcardPlugin also treats `?` as a wildcard: "why do I itch?" would find nothing.
_QUESTION_MARKS = re.compile("[?\u055e\u061f\u1367\uff1f]")


class StarWildcardPlugin(WildcardPlugin):
    """Only `*` is a wildcard; `?` is just the end of a question."""

    qmarks = ""
    expr = r"(?P<text>[*])"


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
    parser.add_plugin(PlusMinusPlugin())
    return parser


def make_plain_parser(schema: Schema = SCHEMA) -> QueryParser:
    """The fallback parser: words only, no syntax at all."""
    return QueryParser(
        None,
        _parse_schema(schema),
        plugins=[WhitespacePlugin(), MultifieldPlugin(list(TEXT_FIELDS), FIELD_WEIGHTS)],
        group=OrGroup.factory(COORDINATION),
    )


class QueryBuilder:
    """Parses and bounds queries against one index reader (one per opened searcher)."""

    def __init__(self, reader: IndexReader, schema: Schema = SCHEMA) -> None:
        self.reader = reader
        self.schema = schema
        self.parser = make_parser(schema)
        self.plain_parser = make_plain_parser(schema)
        self._neighbours: dict[tuple[str, int, int], set[str]] = {}  # fuzzy look-ups

    def build(self, text: str) -> q.Query | None:
        """The bounded query for `text`, or None when it has no searchable words."""
        text = _QUESTION_MARKS.sub(" ", text.replace("\x00", " ")).strip()
        if not text:
            return None
        try:
            parsed = self.parser.parse(text)
            built = self._bound(parsed)
        except Exception:  # noqa: BLE001 - any parser failure means: search the words
            built = None
        else:
            if built is not None and not _is_empty(built):
                return built
        return self.build_plain(text)

    def build_plain(self, text: str) -> q.Query | None:
        """Plain-words search: every syntax character ignored."""
        words = " ".join(w for w in _WORD.findall(text) if w.upper() not in ("AND", "OR", "NOT"))
        if not words:
            return None
        built = self._bound(self.plain_parser.parse(words))
        return None if _is_empty(built) else built

    # -- bounding ---------------------------------------------------------------------

    def _bound(self, query: q.Query) -> q.Query:
        query = self._rewrite(query)
        return query.normalize()

    def _rewrite(self, node: q.Query) -> q.Query:
        if isinstance(node, q.Or):
            node = _negations_subtract(node)
        if isinstance(node, q.Or) and len(node.subqueries) > MAX_QUERY_WORDS:
            node = self._keep_selective(node)
        if node.is_leaf():
            return self._rewrite_leaf(_renamed(node))
        return node.apply(self._rewrite)

    def _rewrite_leaf(self, node: q.Query) -> q.Query:
        if isinstance(node, q.FuzzyTerm):
            return self._expand_fuzzy(node)
        if isinstance(node, q.Prefix):
            return self._expand_prefix(node)
        if isinstance(node, q.Wildcard):
            return self._expand_wildcard(node)
        if isinstance(node, q.Term | q.Phrase):
            return node
        # `*` alone (Whoosh's Every: it walks every term of a field), ranges and anything
        # exotic are not offered, so not searched.
        return q.NullQuery

    def _expand_prefix(self, node: q.Prefix) -> q.Query:
        prefix = node.text.lower()
        if len(prefix) < MIN_PREFIX_CHARS:
            return self._as_term(node.fieldname, prefix, node.boost)
        terms = islice(self.reader.expand_prefix(node.fieldname, prefix), MAX_SCANNED_TERMS)
        return self._or_of_terms(node.fieldname, [_text(t) for t in terms], node.boost)

    def _expand_wildcard(self, node: q.Wildcard) -> q.Query:
        pattern = node.text.lower()
        literal = pattern.split("*", 1)[0]
        if len(literal) < MIN_PREFIX_CHARS:
            return self._as_term(node.fieldname, pattern.replace("*", ""), node.boost)
        candidates = islice(self.reader.expand_prefix(node.fieldname, literal), MAX_SCANNED_TERMS)
        terms = [t for t in map(_text, candidates) if fnmatchcase(t, pattern)]
        return self._or_of_terms(node.fieldname, terms, node.boost)

    def _expand_fuzzy(self, node: q.FuzzyTerm) -> q.Query:
        typed = node.text.lower()
        word = self._analyzed_word(node.fieldname, typed)
        if word is None:
            return q.NullQuery
        maxdist = max(0, min(int(node.maxdist), MAX_FUZZY_DISTANCE))
        prefix = max(int(node.prefixlength), MIN_FUZZY_PREFIX)
        if len(typed) <= prefix + maxdist:  # "ab~2" would match nearly every short word
            maxdist = max(0, len(typed) - prefix - 1)
        # Typos are in the typed (unstemmed) word: "hikng" is one edit from "hiking",
        # two from its stem "hike". Look in the unstemmed vocabulary, then stem.
        stems = {
            stem
            for typed_like in self._spelling_neighbours(typed, maxdist, prefix)
            if (stem := self._analyzed_word(node.fieldname, typed_like)) is not None
        }
        stems.update(_text(t) for t in self.reader.terms_within(
            node.fieldname, word, maxdist, prefix=prefix
        ))
        terms = [t for t in sorted(stems) if self.reader.doc_frequency(node.fieldname, t) > 0]
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
                        map(_text, self.reader.terms_within(fieldname, typed, maxdist, prefix))
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
            terms = sorted(terms, key=lambda t: -self.reader.doc_frequency(fieldname, t))
            terms = terms[:MAX_EXPANDED_TERMS]
        return q.Or([q.Term(fieldname, t, boost=boost) for t in terms])

    def _keep_selective(self, node: q.Or) -> q.Or:
        """A pasted question: keep the words that say most (highest IDF).

        Words absent from the index add nothing and are dropped; structured parts
        (phrases, fields, groups) are always kept.
        """
        words: list[tuple[int, int, q.Query]] = []
        kept: list[q.Query] = []
        for position, sub in enumerate(node.subqueries):
            frequency = self._word_frequency(sub)
            if frequency is None:
                kept.append(sub)
            elif frequency > 0:
                words.append((frequency, position, sub))
        room = max(MAX_QUERY_WORDS - len(kept), 0)
        kept.extend(sub for _, _, sub in sorted(words, key=lambda w: w[:2])[:room])
        return node.__class__(kept, boost=node.boost, scale=getattr(node, "scale", None))

    def _word_frequency(self, sub: q.Query) -> int | None:
        """Threads containing a plain word (any text field), None for structured parts."""
        terms = [sub] if isinstance(sub, q.Term) else getattr(sub, "subqueries", None)
        if not terms or not all(isinstance(t, q.Term) for t in terms):
            return None
        return sum(self.reader.doc_frequency(_renamed(t).fieldname, t.text) for t in terms)


def _negations_subtract(node: q.Or) -> q.Query:
    """`rash NOT markup` in an OR group means rash minus markup, not "rash, or anything
    without markup" (what Whoosh's OrGroup makes of it)."""
    negated = [sub.query for sub in node.subqueries if isinstance(sub, q.Not)]
    positive = [sub for sub in node.subqueries if not isinstance(sub, q.Not)]
    if not negated or not positive:
        return node
    kept = node.__class__(positive, boost=node.boost, scale=getattr(node, "scale", None))
    return q.AndNot(kept, q.Or(negated))


def _renamed(node: q.Query) -> q.Query:
    """Point a leaf typed as `specialty:`/`doctor:` at the schema's name-analysed field."""
    fieldname = getattr(node, "fieldname", None)
    real = FIELD_ALIASES.get(fieldname) if fieldname else None
    if real is None or real == fieldname:
        return node
    node = copy.copy(node)
    node.fieldname = real
    return node


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _is_empty(query: q.Query) -> bool:
    return query is q.NullQuery or isinstance(query, q.NullQuery.__class__)


def query_terms(query: q.Query, fieldnames: tuple[str, ...] = TEXT_FIELDS) -> set[str]:
    """The indexed words a query looks for in the given fields, negated parts excluded:
    what a snippet should mark."""
    found: set[str] = set()

    def walk(node: q.Query) -> None:
        if isinstance(node, q.Not):
            return
        if isinstance(node, q.AndNot):
            walk(node.a)
            return
        if isinstance(node, q.Term):
            if node.fieldname in fieldnames:
                found.add(_text(node.text))
            return
        if isinstance(node, q.Phrase):
            if node.fieldname in fieldnames:
                found.update(node.words)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return found
