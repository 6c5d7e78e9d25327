"""A bonus for threads where the query's words stand together.

BM25F scores each word alone: "headache every morning" ranked "headache every
afternoon" threads above morning-headache ones. Here each pair of consecutive query
words (consecutive once stop words are out, as the index counts positions) that also
stands side by side, in that order, in a thread's title or question earns the thread a
bonus, the pair's mean idf times the field's weight.

Bounded work: only the best MAX_CANDIDATES threads by BM25F are looked at, for at most
MAX_PAIRS pairs; positions are read straight from the posting lists, only for those of
the threads that hold both words of a pair (one forward pass per word and field), never
by matching the phrase over the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from whoosh.searching import Searcher

MAX_CANDIDATES = 30  # threads re-ranked (the first three pages people read)
MAX_PAIRS = 16
# Where standing together counts, and how much (relative to a word's BM25F weight there).
PROXIMITY_FIELDS = {"title": 3.0, "symptoms": 2.5}
PROXIMITY_WEIGHT = 1.0
WINDOW = 2  # positions apart (stop words do not count) that still stand together

Pair = tuple[str, str]


class ProximityScorer:
    """Adjacent-pair bonuses for given docnums of one opened searcher."""

    def __init__(
        self,
        searcher: Searcher,
        idf: Callable[[str, str], float],
        holders: Callable[[str, str], np.ndarray],
    ) -> None:
        """`holders(field, word)`: the docnums holding the word (the matcher's cached
        posting ids), so positions are read only where both words of a pair are."""
        self._leaves = [
            (leaf.reader(), offset, leaf.reader().doc_count_all())
            for leaf, offset in searcher.leaf_searchers()
        ]
        self._idf = idf
        self._holders = holders
        self.positions_read = 0  # posting entries decoded: the work done, for tests

    def bonus(self, docnums: np.ndarray, pairs: Sequence[Pair]) -> np.ndarray:
        """For each docnum (in the given order), the sum of its adjacent-pair bonuses."""
        result = np.zeros(len(docnums), dtype=np.float64)
        pairs = list(dict.fromkeys(pairs))[:MAX_PAIRS]
        if not pairs or not len(docnums):
            return result
        where = {int(doc): i for i, doc in enumerate(docnums)}
        candidates = np.asarray(docnums)
        for field, field_weight in PROXIMITY_FIELDS.items():
            holding = {
                word: set(candidates[np.isin(candidates, self._holders(field, word))].tolist())
                for word in {word for pair in pairs for word in pair}
            }
            both = {pair: holding[pair[0]] & holding[pair[1]] for pair in pairs}
            needed: dict[str, set[int]] = {}
            for (first, second), docs in both.items():
                needed.setdefault(first, set()).update(docs)
                needed.setdefault(second, set()).update(docs)
            positions = {
                word: self._positions(field, word, sorted(docs))
                for word, docs in needed.items() if docs
            }
            for (first, second), docs in both.items():
                if not docs:
                    continue
                pair_weight = PROXIMITY_WEIGHT * field_weight * (
                    self._idf(field, first) + self._idf(field, second)
                ) / 2
                after, before = positions[first], positions[second]
                for doc in docs:
                    if _distance(after[doc], before[doc]) <= WINDOW:
                        result[where[doc]] += pair_weight
        return result

    def _positions(self, field: str, word: str, docnums: list[int]) -> dict[int, list[int]]:
        """docnum -> positions of `word` in `field`, for those of `docnums` holding it."""
        found: dict[int, list[int]] = {}
        for reader, offset, count in self._leaves:
            local = [d - offset for d in docnums if offset <= d < offset + count]
            if not local or (field, word) not in reader:
                continue
            postings = reader.postings(field, word)
            for doc in local:
                if postings.is_active() and postings.id() < doc:
                    postings.skip_to(doc)
                if not postings.is_active():
                    break
                if postings.id() == doc:
                    found[doc + offset] = postings.value_as("positions")
                    self.positions_read += 1
        return found


def _distance(first: list[int], second: list[int]) -> int:
    """How close the two words come, in either order ("chest pain" for "pain in the
    chest"); WINDOW + 1 when never within WINDOW positions."""
    nearest = WINDOW + 1
    others = set(second)
    for p in first:
        for d in range(1, min(nearest, WINDOW + 1)):
            if p - d in others or p + d in others:
                nearest = d
                break
    return nearest
