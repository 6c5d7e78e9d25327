"""Which documents hold a phrase, for a bounded amount of work whatever its words.

Whoosh checks a phrase document by document through a tree of Python matchers: a
phrase of common words, or one word repeated 59 times, held a worker for seconds. Here
the cheap work selects the candidates first: the phrase's words' posting lists (cached
arrays, see matching.py) are intersected, keeping only documents that hold each word at
least as often as the phrase repeats it (`"help help help"` needs three). Positions
are then read only for those candidates, word by word in phrase order, dropping a
candidate as soon as its chain breaks, and only up to this phrase's share of the
search's budget (search/budget.py): position lists decoded, and posting blocks decoded
to reach them (a block holds up to 128 documents' positions and is the main cost). When
the candidates need more than that, the likeliest ones (most occurrences of the words)
are checked and the phrase is marked incomplete.

The result is the same as Whoosh's Phrase query (same slop rule: each next word 1 to
`slop` positions after the previous one), which tests/search/test_search_phrases.py
checks phrase by phrase.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as q
from whoosh.fields import Schema

from search.budget import SearchBudget
from search.query.tree import term_text
from search.whoosh_internals.positions import read_positions

# DocMatcher.postings: (field, word, budget) -> docnums and weights, None if not read.
Postings = Callable[[str, str, SearchBudget | None], tuple[np.ndarray, np.ndarray] | None]
Decode = Callable[[bytes], list[int]]
_EMPTY = np.zeros(0, dtype=np.int32)
_WEIGHT_SLACK = 1e-4  # posting weights are float32 (term frequency x field boost)


@dataclass(frozen=True)
class PhraseResult:
    """The documents found, and how much was checked."""

    ids: np.ndarray  # sorted docnums
    complete: bool  # False: some candidates were not checked (the share ran out)
    position_reads: int  # (document, word) position lists decoded
    blocks: int  # posting blocks decoded to reach them
    documents_checked: int


class PhraseMatcher:
    """Phrase -> matching docnums over one opened searcher's segments."""

    def __init__(
        self, schema: Schema, leaves: Sequence[tuple[Any, int]], postings: Postings, size: int
    ) -> None:
        self.schema = schema
        self.postings = postings
        self.size = size  # docnums in the searcher
        self._leaves = [(reader, offset, offset + reader.doc_count_all())
                        for reader, offset in leaves]

    def match(
        self,
        node: q.Phrase,
        documents: int,
        blocks: int,
        *,
        negated: bool = False,
        budget: SearchBudget | None = None,
    ) -> PhraseResult:
        """Docnums holding the phrase, decoding at most `documents` position lists and
        `blocks` posting blocks (the words' posting lists are read within `budget`).

        Candidates left unchecked are left out, or, under a NOT (`negated`), counted as
        matches, so that a cut-short search never shows a document it should exclude.
        """
        fieldname = node.fieldname
        words = [term_text(word) for word in node.words]
        if fieldname not in self.schema or not words:
            return PhraseResult(_EMPTY, True, 0, 0, 0)
        field_format = self.schema[fieldname].format
        if field_format is None or not field_format.supports("positions"):
            return PhraseResult(_EMPTY, True, 0, 0, 0)
        found = self._candidates(fieldname, words, field_format.field_boost, budget)
        if found is None:  # a word's posting list was not read: nothing could be checked
            every = np.arange(self.size) if negated else _EMPTY
            return PhraseResult(every, False, 0, 0, 0)
        candidates, likelihood = found
        if not len(candidates):
            return PhraseResult(_EMPTY, True, 0, 0, 0)
        most = documents // len(set(words))
        chosen = candidates
        if len(candidates) > most:
            # The likeliest first: most occurrences of the words (and so the best ranked).
            order = np.lexsort((candidates, -likelihood))[:most]
            chosen = np.sort(candidates[order])
        check = _Check(fieldname, int(node.slop), field_format.decoder("positions"), blocks)
        found, cut_short = self._check(check, words, chosen)
        unchecked = np.union1d(cut_short, np.setdiff1d(candidates, chosen, assume_unique=True))
        if negated:
            found = np.union1d(found, unchecked)
        return PhraseResult(found.astype(np.int32), not len(unchecked), check.reads,
                            blocks - check.blocks_left, len(chosen) - len(cut_short))

    def _candidates(
        self, fieldname: str, words: list[str], boost: float, budget: SearchBudget | None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Docnums holding every word often enough, and the words' summed weights there;
        None when the budget left a posting list unread."""
        lists = []
        for word, count in Counter(words).items():
            read = self.postings(fieldname, word, budget)
            if read is None:
                return None
            ids, weights = read
            if count > 1:  # weight = occurrences x field boost
                enough = weights >= count * boost * (1 - _WEIGHT_SLACK)
                ids, weights = ids[enough], weights[enough]
            if not len(ids):
                return _EMPTY, np.zeros(0)
            lists.append((ids, weights))
        lists.sort(key=lambda pair: len(pair[0]))  # rarest first: the set shrinks fastest
        candidates = lists[0][0]
        for ids, _ in lists[1:]:
            candidates = np.intersect1d(candidates, ids, assume_unique=True)
            if not len(candidates):
                return _EMPTY, np.zeros(0)
        likelihood = np.zeros(len(candidates))
        for ids, weights in lists:
            likelihood += weights[np.searchsorted(ids, candidates)]
        return candidates, likelihood

    def _check(
        self, check: _Check, words: list[str], chosen: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The chosen docnums where the words follow each other, and those that could not
        be checked (the blocks ran out)."""
        positions: dict[str, dict[int, list[int]]] = {}
        unchecked: list[np.ndarray] = []
        alive = chosen
        reach: dict[int, list[int]] = {}  # docnum -> positions where the chain so far ends
        for index, word in enumerate(words):
            if word not in positions:
                positions[word], unreached = self._positions(check, word, alive)
                check.reads += len(alive) - len(unreached)
                if len(unreached):
                    unchecked.append(unreached)
            found = positions[word]
            if index == 0:
                reach = {doc: found[doc] for doc in alive.tolist() if doc in found}
            else:
                reach = _extend(reach, found, check.slop)
            if not reach:
                alive = _EMPTY
                break
            alive = np.fromiter(sorted(reach), dtype=np.int64, count=len(reach))
        left = np.concatenate(unchecked) if unchecked else _EMPTY
        return np.setdiff1d(alive, left), np.unique(left)

    def _positions(
        self, check: _Check, word: str, docnums: np.ndarray
    ) -> tuple[dict[int, list[int]], np.ndarray]:
        """Positions of `word` in `docnums`, and the docnums not reached in the blocks."""
        found: dict[int, list[int]] = {}
        unreached = []
        for reader, start, end in self._leaves:
            local = docnums[(docnums >= start) & (docnums < end)] - start
            if not len(local) or (check.fieldname, word) not in reader:
                continue
            matcher = reader.postings(check.fieldname, word)
            read = read_positions(matcher, local, check.decode, check.blocks_left)
            check.blocks_left -= read.blocks
            for doc, where in read.found.items():
                found[doc + start] = where
            if read.reached < len(local):
                unreached.append(local[read.reached:] + start)
        return found, (np.concatenate(unreached) if unreached else _EMPTY)


@dataclass
class _Check:
    """One phrase being checked: its field and slop, and what it may still decode."""

    fieldname: str
    slop: int
    decode: Decode
    blocks_left: int
    reads: int = 0


def _extend(
    reach: dict[int, list[int]], found: dict[int, list[int]], slop: int
) -> dict[int, list[int]]:
    """Chains that the next word continues: a position 1 to `slop` after a chain's end."""
    extended = {}
    for doc, ends in reach.items():
        following = [
            p for p in found.get(doc, ())
            if (j := bisect_left(ends, p)) > 0 and p - ends[j - 1] <= slop
        ]
        if following:
            extended[doc] = following
    return extended
