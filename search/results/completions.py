"""Suggestions as you type: typed text -> the archive's phrases that continue it.

The phrases and their suffix array come from the generation (search/index/phrases.py).
What is typed matches at the start of any word of a phrase ("spots" -> "Red Spots",
"red sp" -> "Tiny red spots"); matches are ranked by how many threads carry the phrase,
then phrases that start with the typed text, then shorter ones. One lookup is two
bisections over the suffix array plus a partial sort of the matching range in numpy:
bounded work whatever the archive's size.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.index.phrases import read_phrases, typed_key

DEFAULT_SUGGESTIONS = 8
MAX_SUGGESTIONS = 20
MAX_TYPED_CHARS = 200  # longer text is a pasted question: nothing to complete
_LAST = "\U0010ffff"  # sorts after any character a key can hold


@dataclass(frozen=True)
class Completion:
    text: str  # the phrase as the archive writes it
    threads: int  # threads carrying this phrase (title, subject line or related topic)

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "threads": self.threads}


class Completions:
    """The phrases of one generation, ready to complete typed text."""

    def __init__(
        self, keys: list[str], texts: list[str], counts: np.ndarray, suffixes: np.ndarray
    ) -> None:
        self.keys = keys
        self.texts = texts
        self.counts = counts
        valid = (suffixes[:, 0] >= 0) & (suffixes[:, 0] < len(keys)) if len(suffixes) else []
        if len(suffixes) and not np.all(valid):
            suffixes = suffixes[valid]  # a damaged file must not index out of range
        self._phrase = np.ascontiguousarray(suffixes[:, 0]) if len(suffixes) else suffixes
        self._offset = np.ascontiguousarray(suffixes[:, 1]) if len(suffixes) else suffixes
        # Kept as numpy arrays, not Python lists: a bisection reads ~20 entries, and lists
        # of 500,000 ints would cost every web worker ~50 MB at 300,000 threads.

    @classmethod
    def load(cls, generation: Path) -> Completions:
        return cls(*read_phrases(generation))

    def __len__(self) -> int:
        return len(self.keys)

    def _suffix(self, position: int) -> str:
        return self.keys[int(self._phrase[position])][int(self._offset[position]):]

    def complete(self, typed: str, limit: int = DEFAULT_SUGGESTIONS) -> list[Completion]:
        """Up to `limit` phrases continuing `typed`, most threads first."""
        if len(typed) > MAX_TYPED_CHARS or not len(self._phrase):
            return []
        key = typed_key(typed)
        if not key.strip():
            return []
        size = len(self._phrase)
        low = bisect.bisect_left(range(size), key, key=self._suffix)
        high = bisect.bisect_left(range(size), key + _LAST, lo=low, key=self._suffix)
        if low >= high:
            return []
        phrases = self._phrase[low:high]
        counts = self.counts[phrases]
        # A phrase may match at two of its words: take a few more than asked, dedupe.
        take = min(len(phrases), limit * 4)
        if take < len(phrases):
            top = np.argpartition(-counts, take - 1)[:take]
        else:
            top = np.arange(len(phrases))
        best: dict[int, tuple[int, int, int, str]] = {}
        for i in top.tolist():
            number = int(phrases[i])
            starts = self._offset[low + i] == 0
            rank = (-int(counts[i]), 0 if starts else 1, len(self.keys[number]), self.keys[number])
            if number not in best or rank < best[number]:
                best[number] = rank
        ranked = sorted(best, key=best.__getitem__)[:limit]
        return [Completion(self.texts[n], int(self.counts[n])) for n in ranked]
