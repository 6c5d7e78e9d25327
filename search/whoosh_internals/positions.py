"""Word positions of one term in chosen documents of one segment, a block at a time.

Whoosh checks a phrase by stepping matchers posting by posting. To check only the
documents other terms already selected, this reads the posting blocks that hold those
documents (skipping the others by their header's last id, without decoding them) and
decodes positions for the chosen documents only. Decoding a block (up to 128 postings
with their positions) is the main cost, so the caller gives a number of blocks not to
exceed. Other codecs, or a matcher wrapped by Whoosh (e.g. over deletions), take the
public skip_to/value path, where a block is counted every 128 documents; both give the
same positions (tests/search/test_search_phrases.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_BLOCK_PARTS = ("_read_data", "_read_values", "_next_block", "_maxid", "_data", "_byteids")
_PUBLIC_BLOCK = 128  # documents per counted "block" on the public path


@dataclass
class PositionsRead:
    """What one read found, and how far it got."""

    found: dict[int, list[int]] = field(default_factory=dict)  # docnum -> positions
    blocks: int = 0  # posting blocks decoded
    reached: int = 0  # how many of the wanted documents were looked at (all, unless stopped)


def read_positions(
    matcher: Any, wanted: np.ndarray, decode: Callable[[bytes], list[int]], max_blocks: int
) -> PositionsRead:
    """Positions of the matcher's term in the documents of `wanted` (sorted, segment-local
    docnums) that hold it, decoding at most `max_blocks` posting blocks; documents
    without the term are absent from `found`. `decode` is the field format's positions
    decoder (`format.decoder("positions")`)."""
    if not len(wanted):
        return PositionsRead()
    if not matcher.is_active():
        return PositionsRead(reached=len(wanted))
    if all(hasattr(matcher, name) for name in _BLOCK_PARTS):
        return _read_by_blocks(matcher, wanted, decode, max_blocks)
    read = PositionsRead()
    for target in wanted.tolist():
        if read.reached % _PUBLIC_BLOCK == 0:
            if read.blocks >= max_blocks:
                return read
            read.blocks += 1
        read.reached += 1
        if not matcher.is_active():
            continue
        matcher.skip_to(target)
        if matcher.is_active() and matcher.id() == target:
            read.found[target] = decode(matcher.value())
    return read


def _read_by_blocks(
    matcher: Any, wanted: np.ndarray, decode: Callable[[bytes], list[int]], max_blocks: int
) -> PositionsRead:
    read = PositionsRead()
    while read.reached < len(wanted) and matcher.is_active():
        last = matcher._maxid  # the block header names its last docnum
        if last < wanted[read.reached]:
            matcher._next_block()  # none of ours in this block: not decoded
            continue
        if read.blocks >= max_blocks:
            return read
        read.blocks += 1
        stop = int(np.searchsorted(wanted, last, side="right"))
        if matcher._data is None:
            matcher._read_data()
        matcher._read_values()
        raw_ids = np.asarray(matcher._data[0], dtype=np.int64)
        ids = raw_ids if matcher._byteids else np.cumsum(raw_ids)  # ids are delta-coded
        targets = wanted[read.reached:stop]
        at = np.minimum(np.searchsorted(ids, targets), len(ids) - 1)
        values = matcher._values
        for index in np.flatnonzero(ids[at] == targets).tolist():
            read.found[int(targets[index])] = decode(values[int(at[index])])
        read.reached = stop
        matcher._next_block()
    read.reached = len(wanted)  # the posting list ended: the rest do not hold the term
    return read
