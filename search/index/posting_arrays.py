"""Posting lists and field lengths as memory-mapped numpy arrays beside the Whoosh segments.

Whoosh stores a posting list as pickled, zlib-compressed blocks of 128 postings with their
positions; reading a common term of a 300,000-thread archive meant a thousand blocks
decoded in Python. The same postings are also written at reindex as plain arrays, so a
query reads a slice of a mapped file instead: its cost grows with the matches at memory
speed, and every worker shares the pages through the page cache (nothing is copied into
a worker). Whoosh stays the index of record; these files are derived data of one
generation, written once its final segments are known (indexer/build/posting_arrays.py),
and equal to Whoosh's postings (tests/indexer/test_posting_arrays.py compares every term).

Files in the generation directory, for each field of `FIELDS`:

    postings-<field>.keys.npy     S8 [T]       the first 8 bytes of each term (terms in byte order)
    postings-<field>.text.npy     uint8 [...]  the terms' UTF-8 bytes, one after another
    postings-<field>.bounds.npy   int64 [T+1, 2]  term i: text at [i, 0], postings at [i, 1]
    postings-<field>.docs.npy     int32 [P]    docnums, ascending within a term
    postings-<field>.weights.npy  uint8 [P]    Whoosh's posting weights (frequency x boost),
                                               as codes into weight_values (uint16 if
                                               more than 256 values, float32 and no table
                                               if more than 65,536)
    postings-<field>.weight_values.npy  float32 [<= 65,536]  the distinct weights, sorted
    postings-<field>.lengths.npy  float32 [N]  each document's length as Whoosh decodes it
    postings.json                 format, fields, and the segments the arrays cover

A term is found with two `searchsorted` calls on the keys and, when several terms share
their first 8 bytes, a binary search of that run in the text: no per-worker dict of terms.

Coverage: the arrays describe the segments listed in postings.json (id and document
count), which must be the searcher's first segments in that order; documents past them
(added by an incremental reindex) are read from Whoosh. Documents deleted since the
arrays were written are still in them: callers mask by the live documents, as they do.
"""

from __future__ import annotations

import json
import mmap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from search.index.schema import TEXT_FIELDS
from search.whoosh_internals.mapped_storage import release_mapped_pages

FORMAT_VERSION = 1
META_FILE = "postings.json"
FILE_PREFIX = "postings-"
KEY_BYTES = 8
# The fields a query can score (search/results/ranking.py SCORED_FIELDS); others (ids,
# facet values, spelling words) are only ever read through Whoosh.
FIELDS = (*TEXT_FIELDS, "doctor_names", "specialty_name")
PARTS = ("keys", "text", "bounds", "docs", "weights", "weight_values", "lengths")
DOCNUM_DTYPE = np.dtype(np.int32)
WEIGHT_DTYPE = np.dtype(np.float32)
LENGTH_DTYPE = np.dtype(np.float32)
_EMPTY_DOCS = np.zeros(0, dtype=DOCNUM_DTYPE)
_EMPTY_WEIGHTS = np.zeros(0, dtype=WEIGHT_DTYPE)
_EMPTY_DOCS.flags.writeable = False
_EMPTY_WEIGHTS.flags.writeable = False


def field_path(generation: Path, fieldname: str, part: str) -> Path:
    return generation / f"{FILE_PREFIX}{fieldname}.{part}.npy"


def weight_code_dtype(distinct_weights: int) -> np.dtype:
    """How weights are stored: codes as small as the number of distinct weights allows
    (a posting is then 5 bytes, not 8), or the float32 weights themselves."""
    if distinct_weights <= 1 << 8:
        return np.dtype(np.uint8)
    if distinct_weights <= 1 << 16:
        return np.dtype(np.uint16)
    return WEIGHT_DTYPE


@dataclass(frozen=True)
class PostingSlice:
    """One term's postings as read-only views of the mapped files, weights still coded."""

    docs: np.ndarray  # ascending docnums
    codes: np.ndarray  # weight codes into `table`, or float32 weights if it is empty
    table: np.ndarray

    def weights(self, positions: np.ndarray | None = None) -> np.ndarray:
        """Float32 weights of every posting, or of those at `positions`."""
        codes = self.codes if positions is None else self.codes[positions]
        return self.table.take(codes) if len(self.table) else codes


_EMPTY_SLICE = PostingSlice(_EMPTY_DOCS, _EMPTY_WEIGHTS, _EMPTY_WEIGHTS)


@dataclass(frozen=True)
class FieldPostings:
    """One field's term table, postings and lengths, all read-only views of mappings."""

    keys: np.ndarray
    text: np.ndarray
    bounds: np.ndarray
    docs: np.ndarray
    weights: np.ndarray  # codes into weight_values, or float32 weights if it is empty
    weight_values: np.ndarray
    lengths: np.ndarray

    def find(self, term: bytes) -> int:
        """The term's row in the table, -1 if the field does not have it."""
        key = term[:KEY_BYTES]
        lo = int(self.keys.searchsorted(key, "left"))
        if lo == len(self.keys) or self.keys[lo] != key:
            return -1
        if self.term(lo) == term:  # the first term with this key: most look-ups end here
            return lo
        # Terms sharing their first 8 bytes (hypothyroid, hypothyroidism): bisect the run.
        hi = int(self.keys.searchsorted(key, "right"))
        while lo < hi:
            middle = (lo + hi) // 2
            if self.term(middle) < term:
                lo = middle + 1
            else:
                hi = middle
        return lo if lo < len(self.keys) and self.term(lo) == term else -1

    def term(self, row: int) -> bytes:
        start, end = self.bounds[row, 0], self.bounds[row + 1, 0]
        return self.text[start:end].tobytes()

    def slice(self, term: bytes) -> PostingSlice:
        """The postings of `term`, nothing read yet."""
        row = self.find(term)
        if row < 0:
            return _EMPTY_SLICE
        start, end = int(self.bounds[row, 1]), int(self.bounds[row + 1, 1])
        return PostingSlice(self.docs[start:end], self.weights[start:end], self.weight_values)

    def postings(self, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Docnums (a read-only view of the mapped file) and float32 weights of `term`."""
        found = self.slice(term)
        return found.docs, found.weights()

    @cached_property
    def max_weight(self) -> float:
        """The largest weight of any posting of the field (0 if it has none)."""
        if len(self.weight_values):
            return float(self.weight_values.max())
        return float(self.weights.max()) if len(self.weights) else 0.0

    def docnums(self, term: bytes) -> np.ndarray:
        """The docnums alone (a mask needs no weights)."""
        row = self.find(term)
        if row < 0:
            return _EMPTY_DOCS
        return self.docs[int(self.bounds[row, 1]) : int(self.bounds[row + 1, 1])]

    def doc_frequency(self, term: bytes) -> int:
        row = self.find(term)
        return 0 if row < 0 else int(self.bounds[row + 1, 1] - self.bounds[row, 1])

    def term_count(self) -> int:
        return len(self.keys)


class PostingArrays:
    """A generation's posting arrays, opened for one searcher."""

    def __init__(self, fields: dict[str, FieldPostings], segment_count: int, doc_count: int,
                 mappings: list[mmap.mmap]) -> None:  # fmt: skip
        self.fields = fields
        self.segment_count = segment_count  # the searcher's first segments they cover
        self.doc_count = doc_count  # ... holding docnums [0, doc_count)
        self._mappings = mappings

    @classmethod
    def open(cls, generation: Path, searcher: Searcher) -> PostingArrays | None:
        """The arrays of `generation` if it has them and they fit the searcher, else None
        (then every posting is read from Whoosh, which gives the same answers)."""
        try:
            meta = json.loads((generation / META_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if meta.get("format") != FORMAT_VERSION:
            return None
        covered = [(str(name), int(count)) for name, count in meta.get("segments", [])]
        if not covered or covered != segment_list(searcher)[: len(covered)]:
            return None  # segments merged or replaced since the arrays were written
        doc_count = sum(count for _, count in covered)
        mappings: list[mmap.mmap] = []
        fields = {}
        try:
            for fieldname in meta.get("fields", []):
                parts = {part: _mapped(field_path(generation, fieldname, part), mappings)
                         for part in PARTS}  # fmt: skip
                if len(parts["lengths"]) != doc_count:
                    return None
                fields[fieldname] = FieldPostings(**parts)
        except (OSError, ValueError):
            return None
        return cls(fields, len(covered), doc_count, mappings)

    def covers(self, fieldname: str) -> bool:
        return fieldname in self.fields

    def postings(self, fieldname: str, term: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        return self.fields[fieldname].postings(_as_bytes(term))

    def slice(self, fieldname: str, term: str | bytes) -> PostingSlice:
        return self.fields[fieldname].slice(_as_bytes(term))

    def max_weight(self, fieldname: str) -> float:
        return self.fields[fieldname].max_weight

    def docnums(self, fieldname: str, term: str | bytes) -> np.ndarray:
        return self.fields[fieldname].docnums(_as_bytes(term))

    def doc_frequency(self, fieldname: str, term: str | bytes) -> int:
        return self.fields[fieldname].doc_frequency(_as_bytes(term))

    def lengths(self, fieldname: str) -> np.ndarray:
        return self.fields[fieldname].lengths

    def mapped_bytes(self) -> int:
        """Bytes of the files mapped (a worker only has the pages it touched resident)."""
        return sum(len(mapping) for mapping in self._mappings)

    def release_pages(self) -> None:
        """Unmap the pages touched so far; they stay in the page cache (mapped_storage)."""
        release_mapped_pages(self._mappings)


def segment_list(searcher: Searcher) -> list[tuple[str, int]]:
    """(segment id, documents including deleted ones) of each segment, in docnum order;
    empty if the searcher's readers are not Whoosh segment readers."""
    found = []
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        if segment is None:
            return []
        found.append((segment.segment_id(), segment.doc_count_all()))
    return found


def _mapped(path: Path, mappings: list[mmap.mmap]) -> np.ndarray:
    """A read-only array over the data of an .npy file, mapped, not read."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        shape, fortran, dtype = _read_header(handle, version)
        offset = handle.tell()
        if fortran or dtype.hasobject:
            raise ValueError(f"{path}: not a plain C-ordered array")
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    mappings.append(mapping)
    count = int(np.prod(shape, dtype=np.int64))
    if offset + count * dtype.itemsize > len(mapping):
        raise ValueError(f"{path}: shorter than its header says")
    array = np.frombuffer(mapping, dtype=dtype, count=count, offset=offset)
    return array.reshape(shape)


def _read_header(handle: Any, version: tuple[int, int]) -> tuple[tuple[int, ...], bool, np.dtype]:
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(handle)
    return np.lib.format.read_array_header_2_0(handle)


def _as_bytes(term: str | bytes) -> bytes:
    return term.encode("utf-8") if isinstance(term, str) else term
