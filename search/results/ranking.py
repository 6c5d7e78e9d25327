"""Relevance ranking in numpy: Whoosh's BM25F formula over whole posting lists.

Whoosh's collector scores match by match through a tree of Python matchers: a pasted
question (a dozen words x 4 fields) matching most of the archive took seconds. The same
BM25F sum (same idf, B, K1, boosts and length normalisation, same coordination bonus
as Whoosh's CoordMatcher) is computed here with one vectorised pass per term, only to
order the documents the match mask (matching.py) already selected; for a page, only the
documents that can be among its best are scored in full (top_k.py).
"""

from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as q
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search.budget import SearchBudget
from search.index.schema import SCHEMA, TEXT_FIELDS
from search.results.facets import column_codes
from search.results.matching import DocMatcher
from search.results.proximity import MAX_CANDIDATES, Pair, ProximityScorer
from search.results.top_k import Coordination, ScoredTerm, best_documents

B = 0.75  # Whoosh's BM25F defaults
K1 = 1.2
# byte -> length, as Whoosh decodes its one-byte field lengths
# Fields a query can name (text, plus doctor:/specialty:), whose lengths normalise scores.
SCORED_FIELDS = (*TEXT_FIELDS, "doctor_names", "specialty_name")
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


class Ranker:
    """Scores and orders matched documents for one opened searcher."""

    def __init__(self, searcher: Searcher, matcher: DocMatcher) -> None:
        self.searcher = searcher
        self.matcher = matcher
        self.doc_count = searcher.doc_count_all()
        self.lengths = {name: self._field_lengths(name) for name in SCORED_FIELDS}
        self.average = {name: searcher.avg_field_length(name) or 1.0 for name in SCORED_FIELDS}
        # Ties are broken by thread id, not docnum: docnums depend on which build worker
        # wrote which segment, so a reindex of the same archive would reorder equal scores.
        self.id_rank = _id_rank(searcher)
        self.proximity = ProximityScorer(searcher, self.idf, SCHEMA["symptoms"].analyzer)

    def idf(self, fieldname: str, text: str | bytes) -> float:
        """Whoosh's BM25F idf of a term."""
        return log(self.doc_count / (self.matcher.doc_frequency(fieldname, text) + 1)) + 1

    def scored_terms(
        self, query: q.Query, budget: SearchBudget | None = None
    ) -> tuple[list[ScoredTerm], Coordination | None]:
        """What each leaf of `query` adds to scores, highest bound first (ties in query
        order), and its OR group's coordination; phrases are matched within `budget`."""
        terms = []
        for leaf in _scored_leaves(query):
            term = self._scored_term(leaf, budget)
            if term is not None:
                terms.append(term)
        terms.sort(key=lambda term: -term.bound)  # stable: ties keep the query's order
        return terms, Coordination.of(_coordination(query), sum(t.terms for t in terms))

    def top(
        self, query: q.Query, selected: np.ndarray, end: int, budget: SearchBudget | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The first `end` selected docnums by score (ties by thread id) and their scores."""
        if end <= 0:  # nothing asked for (a limit of 0)
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        terms, coordination = self.scored_terms(query, budget)
        # Only the documents that can be among the best are scored (top_k.py).
        candidates, scores = best_documents(terms, coordination, selected, end)
        if len(candidates) > end:
            keep = _best_positions(scores, end)
            candidates, scores = candidates[keep], scores[keep]
        order = np.lexsort((self.id_rank[candidates], -scores))[:end]
        return candidates[order], scores[order]

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        """From the posting arrays (mapped, shared) where they cover the field; the
        documents past them (an incremental reindex's) from Whoosh."""
        arrays = self.matcher.arrays
        if arrays is None or not arrays.covers(fieldname):
            return field_lengths(self.searcher, fieldname)
        rest = field_lengths(self.searcher, fieldname, first_leaf=arrays.segment_count)
        covered = arrays.lengths(fieldname)
        return np.concatenate([covered, rest]) if len(rest) else covered

    def top_with_proximity(
        self,
        query: q.Query,
        selected: np.ndarray,
        end: int,
        pairs: list[Pair],
        budget: SearchBudget | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """`top`, with the best MAX_CANDIDATES re-ranked by their proximity bonus
        (proximity.py). Bonuses are never negative, so the re-ranked head still scores
        at least the tail, and every page sees the same order."""
        if not pairs:
            return self.top(query, selected, end, budget)
        docnums, scores = self.top(query, selected, max(end, MAX_CANDIDATES), budget)
        head = slice(0, min(MAX_CANDIDATES, len(docnums)))
        boosted = scores[head] + self.proximity.bonus(docnums[head], pairs)
        order = np.lexsort((self.id_rank[docnums[head]], -boosted))
        docnums[head], scores[head] = docnums[head][order], boosted[order]
        return docnums[:end], scores[:end]

    def _scored_term(self, leaf: q.Query, budget: SearchBudget | None) -> ScoredTerm | None:
        if isinstance(leaf, q.Term):
            return self._term(leaf.fieldname, leaf.text, leaf.boost, budget)
        if isinstance(leaf, q.Phrase):
            # A phrase scores as its words do, in the documents holding the phrase.
            words = [self._term(leaf.fieldname, w, leaf.boost, budget) for w in leaf.words]
            if any(word is None for word in words):
                return None  # a word the field lacks: Whoosh builds no matcher either
            inside = self.matcher.mask(leaf, budget)
            summed = np.zeros(self.matcher.size, dtype=np.float64)
            for word in words:
                ids = word.docs.astype(np.intp, copy=False)
                summed[ids] += word.values_at(None, ids)
            ids = np.flatnonzero(inside)
            return _read_term(ids, summed[ids], terms=len(words))
        return None

    def _term(
        self, fieldname: str, text: str | bytes, boost: float, budget: SearchBudget | None
    ) -> ScoredTerm | None:
        found = self.matcher.posting_slice(fieldname, text)
        if found is None:  # postings Whoosh holds too: read them, scored at once
            read = self.matcher.postings(fieldname, text, budget)
            if read is None:  # not read within the budget: it adds nothing to any score
                return None
            ids, weights = read
            if not len(ids):
                return None
            values = self._term_values(fieldname, ids, weights, boost * self.idf(fieldname, text))
            return _read_term(ids, values)
        if not len(found.docs):
            return None
        weight = boost * self.idf(fieldname, text)
        most = self.matcher.arrays.max_weight(fieldname)
        # The value below with the largest weight and the shortest length (0).
        bound = weight * most * (K1 + 1) / (most + K1 * (1 - B if fieldname in self.lengths else 1))

        def values_at(positions: np.ndarray | None, ids: np.ndarray) -> np.ndarray:
            return self._term_values(fieldname, ids, found.weights(positions), weight)

        return ScoredTerm(found.docs, values_at, bound)

    def _term_values(
        self, fieldname: str, ids: np.ndarray, weights: np.ndarray, weight: float
    ) -> np.ndarray:
        """BM25F of one term in documents `ids` with posting `weights`; `weight`: the
        query's boost x the term's idf."""
        lengths = self.lengths.get(fieldname)
        # weight * w * (K1 + 1) / (w + K1 * ((1 - B) + B * length / average)),
        # in place on one gathered array: a common word's posting list is a third of
        # the archive, and each temporary array of that size costs as much as the sum.
        if lengths is None:
            denominator = weights + K1
        else:
            denominator = lengths[ids]
            denominator *= K1 * B / self.average.get(fieldname, 1.0)
            denominator += K1 * (1 - B)
            denominator += weights
        values = weights * (weight * (K1 + 1))
        values /= denominator
        return values


def _read_term(ids: np.ndarray, values: np.ndarray, terms: int = 1) -> ScoredTerm:
    """A term whose values are all computed already."""
    return ScoredTerm(
        ids,
        lambda positions, _ids: values if positions is None else values[positions],
        float(values.max()) if len(values) else 0.0,
        terms,
    )


# One in this many scores is looked at first to find a floor under the end-th best.
_FLOOR_SAMPLE_STEP = 16


def _best_positions(scores: np.ndarray, end: int) -> np.ndarray:
    """Positions of every score above the `end`-th best, then of the ties at it, each
    in position order (so equal scores come out the same on every page).

    A full np.partition of the scores was the largest cost of a query at 300,000
    threads (74,000 candidates a query, for a page of 10-30). A strided sample's
    `end`-th best is a floor: at least `end` scores reach it, so the best `end` are
    among the few that do, and only those are partitioned. Same positions, same order.
    """
    candidates = np.arange(len(scores))
    if len(scores) > _FLOOR_SAMPLE_STEP * end * 4:
        sample = scores[::_FLOOR_SAMPLE_STEP]
        floor = np.partition(sample, len(sample) - end)[len(sample) - end]
        candidates = np.flatnonzero(scores >= floor)
        scores = scores[candidates]
    threshold = np.partition(scores, len(scores) - end)[len(scores) - end]
    return np.concatenate([candidates[scores > threshold], candidates[scores == threshold]])


def _scored_leaves(node: q.Query):  # noqa: ANN202 - generator of leaf queries
    """Leaves that add to a score: negated branches only filter."""
    if isinstance(node, q.Not):
        return
    if isinstance(node, q.AndNot):
        yield from _scored_leaves(node.a)
        return
    if node.is_leaf():
        yield node
        return
    for child in node.children():
        yield from _scored_leaves(child)


def has_scored_leaves(query: q.Query) -> bool:
    """False for a query that only excludes (`-rash`): there is nothing to rank by."""
    return next(_scored_leaves(query), None) is not None


def _coordination(node: q.Query) -> float | None:
    """The OR group's coordination factor, wherever the parser put the OR."""
    if isinstance(node, q.Or):
        return node.scale
    if isinstance(node, q.AndNot):
        return _coordination(node.a)
    return None


def field_lengths(searcher: Searcher, fieldname: str, first_leaf: int = 0) -> np.ndarray:
    """Every document's length in `fieldname`, as Whoosh stores it (one byte, decoded),
    from the searcher's segment `first_leaf` on."""
    parts = []
    for leaf, _offset in searcher.leaf_searchers()[first_leaf:]:
        reader = leaf.reader()
        count = reader.doc_count_all()
        raw = _length_bytes(reader, fieldname, count)
        if raw is not None:
            parts.append(_LENGTH_OF_BYTE[raw])
        else:
            parts.append(np.fromiter(
                (reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)),
                dtype=np.float32, count=count,
            ))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def _length_bytes(reader, fieldname: str, count: int) -> np.ndarray | None:  # noqa: ANN001
    """The one-byte length column of a Whoosh 3 segment read in one go, if reachable."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(count, dtype=np.uint8)
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    except Exception:  # noqa: BLE001 - another codec: the slow, public path
        return None
    padded = np.zeros(count, dtype=np.uint8)
    padded[: min(count, len(raw))] = raw[:count]
    return padded


def _id_rank(searcher: Searcher) -> np.ndarray:
    """`rank[docnum]`: the position of the document's thread id in sorted order."""
    # Codes index the sorted distinct ids: a code is the rank (a deleted document
    # shares its rank with the live one of the same id; only live ones are ranked).
    return column_codes(searcher.reader(), "id")[1]
