"""A bonus for threads where the query's words stand together.

BM25F scores each word alone: "headache every morning" ranked "headache every
afternoon" threads above morning-headache ones. Here each pair of consecutive query
words (consecutive once stop words are out, as the index counts positions) that also
stands side by side, in that order, in a thread's title or question earns the thread a
bonus, the pair's mean idf times the field's weight.

Bounded work: only the best MAX_CANDIDATES threads by BM25F are looked at, for at most
MAX_PAIRS pairs, and never by matching phrases over the archive: their stored title and
question are analysed again with the index's analyzer (the same positions the index
holds). Measured at 100,000 threads: ~2 ms for 30 threads, where skipping through the
words' posting lists to the same threads took ~20 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from whoosh.analysis import Analyzer
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
        self, searcher: Searcher, idf: Callable[[str, str], float], analyzer: Analyzer
    ) -> None:
        """`analyzer`: the text fields' own, so positions are the ones the index holds."""
        self.searcher = searcher
        self._idf = idf
        self._analyzer = analyzer
        self.fields_read = 0  # (thread, field) texts analysed: the work done, for tests

    def bonus(self, docnums: np.ndarray, pairs: Sequence[Pair]) -> np.ndarray:
        """For each docnum (in the given order), the sum of its adjacent-pair bonuses."""
        result = np.zeros(len(docnums), dtype=np.float64)
        pairs = list(dict.fromkeys(pairs))[:MAX_PAIRS]
        if not pairs or not len(docnums):
            return result
        words = {word for pair in pairs for word in pair}
        weights = {
            (field, pair): PROXIMITY_WEIGHT * field_weight
            * (self._idf(field, pair[0]) + self._idf(field, pair[1])) / 2
            for field, field_weight in PROXIMITY_FIELDS.items()
            for pair in pairs
        }
        for i, docnum in enumerate(docnums[:MAX_CANDIDATES]):
            stored = self.searcher.stored_fields(int(docnum))
            for field in PROXIMITY_FIELDS:
                positions = self._positions(stored.get(field) or "", words)
                for first, second in pairs:
                    if first in positions and second in positions and _distance(
                        positions[first], positions[second]
                    ) <= WINDOW:
                        result[i] += weights[(field, (first, second))]
        return result

    def _positions(self, text: str, words: set[str]) -> dict[str, list[int]]:
        """word -> its positions in `text`, as the index numbers them (stop words out)."""
        self.fields_read += 1
        by_word = getattr(self._analyzer, "positions_by_word", None)
        if by_word is not None:  # the indexer's own fast path: no Token per word
            return {word: positions for word, positions in by_word(text).items()
                    if word in words}
        found: dict[str, list[int]] = {}
        for token in self._analyzer(text, positions=True):
            if token.text in words:
                found.setdefault(token.text, []).append(token.pos)
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
