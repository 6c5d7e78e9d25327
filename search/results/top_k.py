"""The best documents of a ranked query without scoring every match (MaxScore).

Scoring every match (ranking.py) sums every posting of every query term, and a pasted
question's common words ("pain", "days") each hold a third of a 300,000-thread archive:
that was the largest part of a results page, which shows ten threads. Each term adds at
most its `bound` to any one document's score, so, taking the terms in order of their
bounds, highest first:

1. a term is scored over all its documents, and the `end`-th best score so far of the
   selected documents seen is a floor: the final `end`-th best score is at least that
   (scores only grow as terms are added);
2. once the terms left cannot lift a document none of the scored terms holds up to the
   floor, only documents already seen can be among the best: the rest is not scored;
3. of those, the ones that could still reach the floor are scored by the terms left,
   each found by binary search in a term's posting list.

The answer is the one scoring everything gives (tests/search/test_search_top_k.py): every
document outside the candidates scores below the floor, so none is among the best or tied
with them. Both ways add a document's terms in the same order (bounds, highest first)
with the same float32 values, so the scores are equal to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Bounds are compared with room for rounding: the float64 sums of float32 values in
# another order may differ from a document's score in the last bits, never by this much.
_ROUNDING_ROOM = 1e-9
# The floor is looked for before a term holding at least 1/this of the archive: at
# 300,000 threads, looking before smaller terms cost more than it saved (ranking 2.66 ms
# a query with 4 or 8, 3.36 with 64, 3.53 never looking).
_CHECK_COST_RATIO = 8
# A term left is found by binary search for each candidate while it holds more than this
# many postings a candidate; else it is read whole.
_SEARCH_COST_RATIO = 8


@dataclass(frozen=True)
class ScoredTerm:
    """What one scored leaf of a query (a term, or a phrase) adds to documents."""

    docs: np.ndarray  # ascending docnums holding it (a view of the mapped file, or read)
    # Its values at positions of `docs` (None: all), the docnums there given.
    values_at: Callable[[np.ndarray | None, np.ndarray], np.ndarray]
    bound: float  # the most it adds to the score of any one document
    terms: int = 1  # the query terms it counts for in coordination (a phrase: its words)


@dataclass(frozen=True)
class Coordination:
    """Whoosh's CoordMatcher ("SQR") of an OR group: a bonus for each further term a
    document matches, and a factor on the whole."""

    count: int  # terms of the query (a phrase counts its words)
    scale: float

    @classmethod
    def of(cls, scale: float | None, count: int) -> Coordination | None:
        return cls(count, scale) if scale and count > 1 else None

    def apply(self, sums, matched):  # noqa: ANN001, ANN201 - arrays, or numbers for a bound
        bonus = np.maximum(matched - 1, 0) / (self.count - self.scale) ** 2
        return (sums + bonus) * ((self.count - 1) / self.count)


def score_every_match(terms: list[ScoredTerm], coordination: Coordination | None,
                      size: int, docnums: np.ndarray) -> np.ndarray:  # fmt: skip
    """The score of each of `docnums`, every term summed over all its documents."""
    total = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=np.int32) if coordination else None
    for term in terms:
        ids = term.docs.astype(np.intp, copy=False)
        total[ids] += term.values_at(None, ids)
        if matched is not None:
            matched[ids] += term.terms
    if coordination is None:
        return total[docnums]
    return coordination.apply(total[docnums], matched[docnums])


def best_documents(
    terms: list[ScoredTerm],
    coordination: Coordination | None,
    selected: np.ndarray,
    end: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Docnums (ascending) and scores of a set of `selected` documents holding the `end`
    best scores and every score equal to the `end`-th: the caller orders and cuts it.
    `terms` in order of their bounds, highest first; `end` >= 1."""
    size = len(selected)
    if any(term.bound < 0 for term in terms):  # a negative boost: bounds prove nothing
        docnums = np.flatnonzero(selected)
        return docnums, score_every_match(terms, coordination, size, docnums)
    total = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=np.int32)
    # What the terms from each position on could still add to a score.
    left_bound = np.cumsum([term.bound for term in terms][::-1])[::-1].tolist() + [0.0]
    left_terms = np.cumsum([term.terms for term in terms][::-1])[::-1].tolist() + [0]
    checked_at = 0  # postings scored when the floor was last looked for
    scored = 0
    for position, term in enumerate(terms):
        # Looking for the floor costs a pass over the archive's docnums: worth it before
        # a common term, once the scores have changed enough since the last look.
        if len(term.docs) * _CHECK_COST_RATIO >= size and scored >= 2 * checked_at:
            checked_at = scored
            seen = np.flatnonzero((matched > 0) & selected)
            if len(seen) >= end:
                scores = _score(coordination, total[seen], matched[seen])
                floor = float(np.partition(scores, len(seen) - end)[len(seen) - end])
                bound, count = left_bound[position], left_terms[position]
                if _below(_score(coordination, bound, count), floor):
                    return _finish(terms[position:], coordination, total, matched, seen,
                                   floor, bound, count, end)  # fmt: skip
        ids = term.docs.astype(np.intp, copy=False)
        total[ids] += term.values_at(None, ids)
        matched[ids] += term.terms
        scored += len(ids)
    docnums = np.flatnonzero(selected)
    sums = total[docnums]
    return docnums, sums if coordination is None else coordination.apply(sums, matched[docnums])


def _finish(
    left: list[ScoredTerm],
    coordination: Coordination | None,
    total: np.ndarray,
    matched: np.ndarray,
    seen: np.ndarray,
    floor: float,
    left_bound: float,
    left_terms: int,
    end: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Step 3: the seen documents that could still reach `floor`, scored by the `left`
    terms; after each term, those that no longer can are dropped and the floor rises to
    the `end`-th best score so far.

    A term is found by binary search for each candidate, or read whole when it holds few
    postings for the candidates there are (a deep page, as hybrid ranking asks for).
    Either way its values go into the whole-archive sums at the candidates, in the same
    order as every other way of scoring."""
    candidates = seen
    sums, counts = total[candidates], matched[candidates]
    for term in left:
        needed = _sums_needed(coordination, floor, left_bound, left_terms)
        keep = sums >= (needed if coordination is None else needed[counts])
        candidates = candidates[keep]
        docs = term.docs
        if len(docs) <= len(candidates) * _SEARCH_COST_RATIO:
            ids = docs.astype(np.intp, copy=False)
            total[ids] += term.values_at(None, ids)
            matched[ids] += term.terms
        else:
            positions = docs.searchsorted(candidates.astype(docs.dtype, copy=False))
            inside = positions < len(docs)
            inside[inside] = docs[positions[inside]] == candidates[inside]
            held = candidates[inside]
            total[held] += term.values_at(positions[inside], held)
            matched[held] += term.terms
        left_bound -= term.bound
        left_terms -= term.terms
        sums, counts = total[candidates], matched[candidates]
        scores = _score(coordination, sums, counts)
        floor = max(floor, float(np.partition(scores, len(scores) - end)[len(scores) - end]))
    return candidates, _score(coordination, sums, counts)


def _sums_needed(coordination: Coordination | None, floor: float, left_bound: float,
                 left_terms: int) -> float | np.ndarray:  # fmt: skip
    """The least sum of its terms' values with which a document could still reach `floor`
    when every term left adds all it can (for an OR group: by the terms it has matched,
    0 to all): one comparison a candidate instead of its score's arithmetic."""
    target = (floor * (1 - _ROUNDING_ROOM) - _ROUNDING_ROOM) / (1 + _ROUNDING_ROOM)
    slack = _ROUNDING_ROOM * (abs(target) + 1)  # for the rounding of this arithmetic
    if coordination is None:
        return target - left_bound - slack
    matched = np.arange(coordination.count + 1) + left_terms
    bonus = np.maximum(matched - 1, 0) / (coordination.count - coordination.scale) ** 2
    return target / ((coordination.count - 1) / coordination.count) - left_bound - bonus - slack


def _score(coordination: Coordination | None, sums, matched):  # noqa: ANN001, ANN202 - arrays or numbers
    return sums if coordination is None else coordination.apply(sums, matched)


def _below(score, floor: float):  # noqa: ANN001, ANN202 - an array or a number
    """True where `score` is certainly below `floor`, rounding allowed for."""
    return score * (1 + _ROUNDING_ROOM) + _ROUNDING_ROOM < floor * (1 - _ROUNDING_ROOM)
