"""Hybrid search: the lexical matches plus the threads nearest the query's vector.

The result set of a query is

    lexical mask  OR  neighbours (the SEMANTIC_DEPTH live threads most similar to the
                      query vector, among those at least FLOOR similar)

computed before any facet filter, so totals and disjunctive facet counts count exactly
the threads a user can page through, whatever the filters and the sort. By relevance the
set is ordered by reciprocal rank fusion: score = 1/(k + lexical rank) for the lexical
top LEXICAL_DEPTH + weight/(k + semantic rank) for the neighbours; the rest of the
lexical matches follow in lexical order. By date, the whole set is in date order.

The floor keeps a query for one rare exact term (a drug, a doctor's name) from being
diluted: unrelated threads stay below it. The values are the benchmark's choice
(bench/RESULTS.md#semantic).

`SemanticLayer` is per engine: it loads the encoder lazily (once; EncoderUnavailable is
logged once and search stays lexical), opens each generation's vectors (a generation
without usable vectors is logged once and searched lexically), and caches query vectors
by normalised text.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from search.semantic.model_files import EncoderUnavailable
from search.semantic.vectors import QUERY_MAX_TOKENS, VectorIndex

log = logging.getLogger("qasearch.semantic")


@dataclass(frozen=True)
class HybridSettings:
    # Chosen by bench.relevance.semantic on the shared set (bench/RESULTS.md): nDCG@10
    # 0.639 against 0.527 lexical. The floor costs nothing there between 0 and 0.4, and
    # 0.4 keeps one-rare-word queries to the threads holding the word.
    semantic_depth: int = 100  # neighbours taken into the result set
    floor: float = 0.40  # least cosine for a neighbour
    lexical_depth: int = 100  # lexical ranks that take part in the fusion
    rrf_k: int = 30
    semantic_weight: float = 1.5


@dataclass(frozen=True)
class Neighbours:
    """The semantic part of a result set: docnums best first, their cosines, as a mask."""

    docnums: np.ndarray
    similarities: np.ndarray
    mask: np.ndarray


def nearest(similarities: np.ndarray, live: np.ndarray, depth: int, floor: float) -> Neighbours:
    """The `depth` live rows of highest similarity at or above `floor`, best first."""
    eligible = np.flatnonzero(live & (similarities >= floor))
    if len(eligible) > depth:
        part = np.argpartition(-similarities[eligible], depth - 1)[:depth]
        eligible = eligible[part]
    # Ties by docnum, so the order is the same on every run.
    order = np.lexsort((eligible, -similarities[eligible]))
    docnums = eligible[order]
    mask = np.zeros(len(live), dtype=bool)
    mask[docnums] = True
    return Neighbours(docnums, similarities[docnums], mask)


def fused_order(lexical: np.ndarray, semantic: np.ndarray,
                settings: HybridSettings) -> tuple[np.ndarray, np.ndarray]:
    """RRF of the lexical ranking's top `lexical_depth` with the semantic ranking; then
    the rest of `lexical` in its order. Returns docnums and scores (NaN for that rest)."""
    k = settings.rrf_k
    scores: dict[int, float] = {}
    for rank, docnum in enumerate(lexical[:settings.lexical_depth].tolist(), 1):
        scores[docnum] = 1.0 / (k + rank)
    for rank, docnum in enumerate(semantic.tolist(), 1):
        scores[docnum] = scores.get(docnum, 0.0) + settings.semantic_weight / (k + rank)
    # Ties (a lexical and a semantic hit at the same rank) go to the lexical one.
    lexical_rank = {d: r for r, d in enumerate(lexical[:settings.lexical_depth].tolist())}
    head = sorted(scores, key=lambda d: (-scores[d], lexical_rank.get(d, len(lexical_rank)), d))
    tail = [d for d in lexical[settings.lexical_depth:].tolist() if d not in scores]
    docnums = np.array(head + tail, dtype=np.int64)
    values = np.array([scores[d] for d in head] + [np.nan] * len(tail), dtype=np.float64)
    return docnums, values


class QueryVectorCache:
    """Query vectors by normalised text, the least recently used dropped beyond `size`."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    @staticmethod
    def normalise(text: str) -> str:
        return " ".join(text.casefold().split())

    def get(self, text: str, encode: Any) -> np.ndarray:
        key = self.normalise(text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        vector = encode(key)
        with self._lock:
            self.misses += 1
            self._items[key] = vector
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return vector


class SemanticLayer:
    """The encoder, the query-vector cache and the reasons semantic search is off."""

    def __init__(self, encoder: Any = "auto", settings: HybridSettings | None = None) -> None:
        self._encoder = encoder  # "auto": SentenceEncoder.load() at first need; None: off
        self._encoder_tried = encoder != "auto"
        self.settings = settings or HybridSettings()
        self.cache = QueryVectorCache()
        self._logged: set[str] = set()
        self._lock = threading.Lock()

    def encoder(self) -> Any | None:
        with self._lock:
            if not self._encoder_tried:
                self._encoder_tried = True
                try:
                    from search.semantic.encoder import SentenceEncoder

                    self._encoder = SentenceEncoder.load()
                except EncoderUnavailable as error:
                    self._encoder = None
                    self._say(f"semantic search is off, search is lexical: {error}")
            return self._encoder

    def open_vectors(self, generation: Path, index_version: int,
                     doc_count_all: int) -> VectorIndex | None:
        """The generation's vectors when they and the encoder can be used, else None."""
        vectors, why = VectorIndex.open(generation, index_version, doc_count_all, None)
        if vectors is None:
            self._say(f"semantic search is off for this generation, search is lexical: {why}")
            return None
        encoder = self.encoder()
        if encoder is None:
            return None
        if vectors.meta.model_version != encoder.model_version:
            self._say(f"semantic search is off for {generation.name}: its vectors were made "
                      f"by {vectors.meta.model_version}, the encoder is {encoder.model_version}")
            return None
        return vectors

    def neighbours(self, vectors: VectorIndex, text: str, live: np.ndarray) -> Neighbours:
        encoder = self.encoder()
        vector = self.cache.get(
            text, lambda t: encoder.encode([t], max_tokens=QUERY_MAX_TOKENS, threads=1)[0])
        return nearest(vectors.similarities(vector), live, self.settings.semantic_depth,
                       self.settings.floor)

    def similar(self, vectors: VectorIndex, docnum: int, live: np.ndarray,
                limit: int) -> Neighbours:
        """The threads nearest one thread's own vector, itself excluded."""
        others = live.copy()
        others[docnum] = False
        return nearest(vectors.similarities(vectors.row(docnum)), others, limit, -1.0)

    def _say(self, message: str) -> None:
        """Log why semantic search is off, once per reason (not per request)."""
        if message not in self._logged:
            self._logged.add(message)
            log.warning(message)
