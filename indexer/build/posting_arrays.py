"""Writing a generation's posting arrays (the format: search/index/posting_arrays.py).

Each build worker's segment writer keeps a copy of the postings it writes (a
`PostingCapture`, a block of postings at a time) and the worker saves it beside the
segment as raw part files named after the segment. Once the table of contents is written,
so the final segments and their order (hence every document's global docnum) are known,
the parent merges the parts field by field: the terms of all segments united in byte
order, each term's postings segment after segment with the segment's docnum offset
added. The merge streams a few million postings at a time, read from the parts with
plain reads and written out in order, so its memory does not grow with the archive.

Incremental reindex keeps the arrays usable: its writer merges only segments the arrays
do not cover (`merge_uncovered_only`), so the covered ones stay first and in order;
documents it adds are read from Whoosh, documents it deletes are masked as deleted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.writing import MERGE_SMALL

from search.index.posting_arrays import (
    DOCNUM_DTYPE,
    FIELDS,
    FORMAT_VERSION,
    KEY_BYTES,
    LENGTH_DTYPE,
    META_FILE,
    WEIGHT_DTYPE,
    field_path,
    segment_list,
    weight_code_dtype,
)
from search.results.ranking import field_lengths
from search.whoosh_internals.fast_segment_writer import PostingCapture
from search.whoosh_internals.mapped_storage import open_mapped_index

PART_PREFIX = "postings-part-"
# Postings assembled in memory at a time by the merge (x 8 bytes, twice: in and out).
MERGE_CHUNK_POSTINGS = 4_000_000


def new_capture() -> PostingCapture:
    return PostingCapture(FIELDS)


def save_capture(generation: Path, segment: Any, capture: PostingCapture) -> None:
    """Write one finalized segment's captured postings as part files (raw arrays)."""
    segment_id = segment.segment_id()
    fields = {}
    for fieldname, captured in capture.fields.items():
        base = generation / f"{PART_PREFIX}{segment_id}.{fieldname}"
        text = b"".join(captured.terms)
        text_ends = np.cumsum([len(term) for term in captured.terms], dtype=np.int64)
        _write_raw(_part(base, "text"), text)
        _write_raw(_part(base, "text_ends"), text_ends)
        _write_raw(_part(base, "ends"), captured.ends)
        _write_raw(_part(base, "docs"), captured.docnums)
        _write_raw(_part(base, "weights"), captured.weights)
        # The distinct weights (frequency x boost: a few dozen), sorted, for the codes.
        _write_raw(_part(base, "values"), np.unique(np.frombuffer(captured.weights, np.float32)))
        fields[fieldname] = len(captured.terms)
    marker = generation / f"{PART_PREFIX}{segment_id}.json"
    marker.write_text(json.dumps({"docs": segment.doc_count_all(), "fields": fields}))


def write_posting_arrays(generation: Path) -> None:
    """Merge the part files of the committed generation into its posting arrays."""
    with open_mapped_index(generation).searcher() as searcher:
        segments = segment_list(searcher)
        parts = [_SegmentParts.load(generation, segment_id, count) for segment_id, count in
                 _with_offsets(segments)]  # fmt: skip
        lengths = {name: field_lengths(searcher, name) for name in FIELDS}
    for fieldname in FIELDS:
        _write_field(generation, fieldname, [p for p in parts if fieldname in p.fields])
        np.save(field_path(generation, fieldname, "lengths"),
                lengths[fieldname].astype(LENGTH_DTYPE))
    meta = {"format": FORMAT_VERSION, "fields": list(FIELDS),
            "segments": [[segment_id, count] for segment_id, count in segments]}  # fmt: skip
    temporary = generation / f".{META_FILE}.tmp"
    temporary.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(temporary, generation / META_FILE)
    remove_parts(generation)


def remove_parts(generation: Path) -> None:
    for path in generation.glob(f"{PART_PREFIX}*"):
        path.unlink()


def merge_uncovered_only(covered_ids: set[str]) -> Callable[[Any, list[Any]], list[Any]]:
    """A Whoosh merge policy: MERGE_SMALL over the segments the arrays do not cover; the
    covered ones are kept first, in their order, so their docnums do not move."""

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        covered = [s for s in segments if s.segment_id() in covered_ids]
        others = [s for s in segments if s.segment_id() not in covered_ids]
        return covered + MERGE_SMALL(writer, others)

    return policy


def covered_segment_ids(generation: Path) -> set[str]:
    """The segments the generation's posting arrays describe (empty without arrays)."""
    try:
        meta = json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return set()
    return {str(name) for name, _count in meta.get("segments", [])}


@dataclass
class _FieldPart:
    terms: list[bytes]
    ends: np.ndarray  # running posting count at each term's end
    values: np.ndarray  # the distinct weights, sorted
    docs_path: Path
    weights_path: Path


@dataclass
class _SegmentParts:
    offset: int  # the segment's first global docnum
    fields: dict[str, _FieldPart]

    @classmethod
    def load(cls, generation: Path, segment_id: str, offset: int) -> _SegmentParts:
        marker = generation / f"{PART_PREFIX}{segment_id}.json"
        if not marker.is_file():
            raise RuntimeError(f"segment {segment_id} has no captured postings ({marker})")
        fields = {}
        for fieldname in json.loads(marker.read_text())["fields"]:
            base = generation / f"{PART_PREFIX}{segment_id}.{fieldname}"
            text = _part(base, "text").read_bytes()
            text_ends = np.fromfile(_part(base, "text_ends"), dtype=np.int64).tolist()
            starts = [0, *text_ends[:-1]]
            terms = [text[s:e] for s, e in zip(starts, text_ends, strict=True)]
            ends = np.fromfile(_part(base, "ends"), dtype=np.int64)
            values = np.fromfile(_part(base, "values"), dtype=np.float32)
            fields[fieldname] = _FieldPart(terms, ends, values, _part(base, "docs"),
                                           _part(base, "weights"))  # fmt: skip
        return cls(offset, fields)


def _with_offsets(segments: list[tuple[str, int]]) -> list[tuple[str, int]]:
    offsets, total = [], 0
    for segment_id, count in segments:
        offsets.append((segment_id, total))
        total += count
    return offsets


def _write_field(generation: Path, fieldname: str, parts: list[_SegmentParts]) -> None:
    vocabulary = sorted(set().union(*(part.fields[fieldname].terms for part in parts)))
    row_of = {term: row for row, term in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary), dtype=np.int64)
    rows, part_counts = [], []
    for part in parts:
        field = part.fields[fieldname]
        part_rows = np.fromiter((row_of[t] for t in field.terms), dtype=np.int64,
                                count=len(field.terms))  # fmt: skip
        part_count = np.diff(field.ends, prepend=0)
        counts[part_rows] += part_count  # a segment lists each of its terms once
        rows.append(part_rows)
        part_counts.append(part_count)
    starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    text_starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum([len(term) for term in vocabulary], out=text_starts[1:])
    np.save(field_path(generation, fieldname, "keys"),
            np.array([term[:KEY_BYTES] for term in vocabulary], dtype=f"S{KEY_BYTES}"))
    np.save(field_path(generation, fieldname, "text"),
            np.frombuffer(b"".join(vocabulary), dtype=np.uint8))
    np.save(field_path(generation, fieldname, "bounds"), np.stack([text_starts, starts], axis=1))
    values = np.unique(np.concatenate([WEIGHT_DTYPE.type([]), *(
        part.fields[fieldname].values for part in parts)]))  # fmt: skip
    code_dtype = weight_code_dtype(len(values))
    np.save(field_path(generation, fieldname, "weight_values"),
            values if code_dtype != WEIGHT_DTYPE else values[:0])
    total = int(starts[-1])
    with _NpyStream(field_path(generation, fieldname, "docs"), DOCNUM_DTYPE, total) as docs, \
            _NpyStream(field_path(generation, fieldname, "weights"), code_dtype,
                       total) as weights:  # fmt: skip
        first = 0
        while first < len(vocabulary):
            last = max(first + 1, int(np.searchsorted(starts, starts[first]
                                                      + MERGE_CHUNK_POSTINGS, "right")) - 1)
            last = min(last, len(vocabulary))
            chunk_docs, chunk_weights = _merge_rows(parts, fieldname, rows, part_counts,
                                                    starts, first, last)  # fmt: skip
            docs.write(chunk_docs)
            if code_dtype != WEIGHT_DTYPE:  # every weight is in `values`: exact codes
                chunk_weights = np.searchsorted(values, chunk_weights).astype(code_dtype)
            weights.write(chunk_weights)
            first = last


def _merge_rows(
    parts: list[_SegmentParts], fieldname: str, rows: list[np.ndarray],
    part_counts: list[np.ndarray], starts: np.ndarray, first: int, last: int,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The postings of vocabulary rows [first, last), term by term, segment by segment."""
    size = int(starts[last] - starts[first])
    docs = np.empty(size, dtype=DOCNUM_DTYPE)
    weights = np.empty(size, dtype=WEIGHT_DTYPE)
    cursor = starts[first:last] - starts[first]  # where each row's next postings go
    for part, part_rows, part_count in zip(parts, rows, part_counts, strict=True):
        lo, hi = np.searchsorted(part_rows, [first, last])
        if lo == hi:
            continue
        field = part.fields[fieldname]
        begin = int(field.ends[lo - 1]) if lo else 0
        end = int(field.ends[hi - 1])
        counts = part_count[lo:hi]
        chunk_rows = part_rows[lo:hi] - first
        # Postings of this segment's terms are contiguous in its part; each term's run
        # goes to its row's cursor.
        run_starts = (field.ends[lo:hi] - counts) - begin
        destination = np.repeat(cursor[chunk_rows] - run_starts, counts) + np.arange(end - begin)
        cursor[chunk_rows] += counts
        docs[destination] = _read_raw(field.docs_path, np.uint32, begin, end) + part.offset
        weights[destination] = _read_raw(field.weights_path, np.float32, begin, end)
    return docs, weights


class _NpyStream:
    """An .npy file of known length written front to back (no mapping, no whole array)."""

    def __init__(self, path: Path, dtype: np.dtype, length: int) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.length = length
        self.written = 0

    def __enter__(self) -> _NpyStream:
        self.handle = open(self.path, "wb")  # noqa: SIM115 - closed in __exit__
        np.lib.format.write_array_header_1_0(self.handle, {
            "descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False,
            "shape": (self.length,)})  # fmt: skip
        return self

    def write(self, values: np.ndarray) -> None:
        self.handle.write(np.ascontiguousarray(values, dtype=self.dtype).data)
        self.written += len(values)

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
        if exc[0] is None and self.written != self.length:
            raise RuntimeError(f"{self.path}: wrote {self.written} of {self.length} values")


def _read_raw(path: Path, dtype: type, begin: int, end: int) -> np.ndarray:
    itemsize = np.dtype(dtype).itemsize
    return np.fromfile(path, dtype=dtype, count=end - begin, offset=begin * itemsize)


def _write_raw(path: Path, data: Any) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _part(base: Path, kind: str) -> Path:
    return base.with_name(f"{base.name}.{kind}")
