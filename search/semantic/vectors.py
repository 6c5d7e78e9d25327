"""A generation's thread vectors on disk: what is embedded, the file format, and reading.

    gen-<stamp>/vectors.npy         int8 (doc_count_all, 384), row = Whoosh docnum
    gen-<stamp>/vector_scales.npy   float32 (doc_count_all,): row = int8 row * its scale
    gen-<stamp>/vector_hashes.npy   S32 (doc_count_all,), each row's content_hash (b"" if none)
    gen-<stamp>/vectors.json        model_version, max_tokens, text recipe, index_version

Rows are aligned to docnums, so a search needs no id map; a deleted document's row is
zeros (its similarity is 0, and it is never live anyway). `index_version` is the Whoosh
TOC generation the rows were computed for: a reader refuses vectors of another version
(after an incremental commit that did not rewrite them), so misaligned rows are never used.
The hashes let the next build reuse a row for an unchanged thread (same content hash,
same model, same recipe): a full reindex of an unchanged archive encodes nothing.

int8 with one scale per row (max |x| / 127) quarters the file (38 MB at 100,000 threads)
and moves cosines by ~1e-3. It is int8 rather than float16 for speed: numpy converts
int8 to float32 several times faster than float16 (which it does element by element
here), and the scan is that conversion plus one matrix-vector product per chunk. The
matrix is memory mapped, so web workers share it through the page cache.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

VECTORS_FILE = "vectors.npy"
VECTOR_SCALES_FILE = "vector_scales.npy"
VECTOR_HASHES_FILE = "vector_hashes.npy"
VECTORS_META_FILE = "vectors.json"
VECTOR_FILES = (VECTORS_FILE, VECTOR_SCALES_FILE, VECTOR_HASHES_FILE, VECTORS_META_FILE)
STORED_DTYPE = "int8"

# What is embedded for each thread (bench/RESULTS.md, semantic search): the title, the
# asker's subject and question, then the start of the replies, cut by the encoder at
# MAX_TOKENS. 64 tokens rank the shared relevance set best (hybrid nDCG@10 0.688 against
# 0.641 at 128) and cost half the encoding; alone they find fewer similar questions of
# the same condition than 128 (0.791 against 0.847, key terms 0.794), so similar
# questions fuse them with key terms (search/hits.py: 0.829). Title + question alone
# (0.647 fused) made similar questions worse still (0.784). Changing any of this
# changes the vectors' meta, so old vectors are not reused.
MAX_TOKENS = 64
REPLY_CHARS = 1000  # more than MAX_TOKENS ever hold: the encoder makes the real cut
TEXT_RECIPE = "title+symptoms+replies[:1000]"
QUERY_MAX_TOKENS = 128  # a pasted question is cut where the model was trained to read


def embed_text(fields: dict[str, Any]) -> str:
    """The text embedded for a thread, from its stored Whoosh fields."""
    parts = [fields.get("title") or "", fields.get("symptoms") or "",
             (fields.get("replies") or "")[:REPLY_CHARS]]
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class VectorsMeta:
    model_version: str
    max_tokens: int
    recipe: str
    dim: int
    index_version: int
    rows: int
    dtype: str = "float16"  # files written before int8 say nothing: they were float16

    def reusable_with(self, model_version: str) -> bool:
        """Can rows of these vectors stand for the same threads today?"""
        return (self.model_version, self.max_tokens, self.recipe) == (
            model_version, MAX_TOKENS, TEXT_RECIPE)


def read_vectors_meta(generation: Path) -> VectorsMeta | None:
    try:
        data = json.loads((generation / VECTORS_META_FILE).read_text(encoding="utf-8"))
        return VectorsMeta(**{k: data[k] for k in VectorsMeta.__dataclass_fields__
                              if k in data or k != "dtype"})
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def quantized(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float rows -> int8 rows and their scales (a zero row keeps scale 0)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    scales = np.abs(vectors).max(axis=1) / 127 if len(vectors) else np.zeros(0, np.float32)
    safe = np.where(scales > 0, scales, 1).astype(np.float32)
    rows = np.clip(np.rint(vectors / safe[:, None]), -127, 127).astype(np.int8)
    return rows, scales.astype(np.float32)


def write_vectors(generation: Path, vectors: np.ndarray, hashes: np.ndarray,
                  meta: VectorsMeta) -> None:
    """Write the files (float rows are stored as int8 + scales); the meta last, so a
    half-written set is never read."""
    rows, scales = quantized(vectors)
    np.save(generation / VECTORS_FILE, rows)
    np.save(generation / VECTOR_SCALES_FILE, scales)
    np.save(generation / VECTOR_HASHES_FILE, hashes.astype("S32", copy=False))
    (generation / VECTORS_META_FILE).write_text(
        json.dumps(meta.__dict__, indent=1, sort_keys=True), encoding="utf-8")


def cached_rows(generation: Path, model_version: str) -> tuple[dict[bytes, int], Any] | None:
    """content_hash -> row and a function row -> float32 vector, for a generation's
    vectors made by the same model and recipe (either stored form); None otherwise."""
    meta = read_vectors_meta(generation)
    if meta is None or not meta.reusable_with(model_version):
        return None
    try:
        hashes = np.load(generation / VECTOR_HASHES_FILE)
        matrix = np.load(generation / VECTORS_FILE, mmap_mode="r")
        scales = (np.load(generation / VECTOR_SCALES_FILE) if meta.dtype == STORED_DTYPE
                  else np.ones(len(matrix), dtype=np.float32))
    except (OSError, ValueError):
        return None
    if not len(hashes) == len(matrix) == len(scales):
        return None

    def row(number: int) -> np.ndarray:
        return np.asarray(matrix[number], dtype=np.float32) * scales[number]

    return {h: number for number, h in enumerate(hashes.tolist()) if h}, row


class VectorIndex:
    """The memory-mapped vectors of one generation, for nearest-neighbour search."""

    CHUNK = 1024  # rows converted to float32 at a time: the buffer stays in the CPU cache

    def __init__(self, matrix: np.ndarray, scales: np.ndarray, meta: VectorsMeta) -> None:
        self.matrix = matrix  # int8, memory mapped
        self.scales = scales
        self.meta = meta
        self._buffer = np.empty((min(self.CHUNK, len(matrix)), matrix.shape[1]), np.float32)
        self._lock = threading.Lock()  # the buffer is shared by the threads of a worker

    @classmethod
    def open(cls, generation: Path, index_version: int, doc_count_all: int,
             model_version: str | None) -> tuple[VectorIndex | None, str]:
        """The generation's vectors, or None and why they cannot be used."""
        meta = read_vectors_meta(generation)
        if meta is None:
            return None, f"generation {generation.name} has no vectors"
        if model_version is not None and meta.model_version != model_version:
            return None, (f"the vectors of {generation.name} were made by {meta.model_version}, "
                          f"not {model_version}")
        if meta.index_version != index_version or meta.rows != doc_count_all:
            return None, (f"the vectors of {generation.name} are for another version of its "
                          "index (an incremental reindex changed it): run a full reindex")
        if meta.dtype != STORED_DTYPE:
            return None, (f"the vectors of {generation.name} are {meta.dtype}, this program "
                          f"reads {STORED_DTYPE}: run a full reindex")
        try:
            matrix = np.load(generation / VECTORS_FILE, mmap_mode="r")
            scales = np.load(generation / VECTOR_SCALES_FILE)
        except (OSError, ValueError) as error:
            return None, f"cannot read the vectors of {generation.name}: {error}"
        if matrix.shape != (doc_count_all, meta.dim) or matrix.dtype != np.int8 or \
                scales.shape != (doc_count_all,):
            return None, f"{generation / VECTORS_FILE} has shape {matrix.shape}"
        return cls(matrix, scales, meta), ""

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of every row with a unit vector: float32 (rows,)."""
        vector = np.asarray(vector, dtype=np.float32)
        out = np.empty(len(self.matrix), dtype=np.float32)
        with self._lock:
            buffer = self._buffer
            for start in range(0, len(self.matrix), self.CHUNK):
                block = self.matrix[start:start + self.CHUNK]
                np.copyto(buffer[:len(block)], block, casting="unsafe")
                np.dot(buffer[:len(block)], vector, out=out[start:start + len(block)])
        out *= self.scales
        return out

    def row(self, docnum: int) -> np.ndarray:
        return np.asarray(self.matrix[docnum], dtype=np.float32) * self.scales[docnum]
