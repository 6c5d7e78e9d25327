"""Which documents match a query, as a numpy bool mask over docnums, without scoring.

Facet counts and totals need every match but no scores; Whoosh's own collectors score
every match (slow). Terms are read straight from the posting lists into arrays and
combined with numpy set algebra; nodes that need positions (phrases) or anything
unfamiliar fall back to Whoosh's unscored `docs()` so the semantics always agree
with the scored search.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

# Posting lists kept per opened searcher (frequent words repeat), bounded by their total
# length: 8M postings x 8 bytes (int32 docnum + float32 weight) = 64 MB per worker.
MAX_CACHED_POSTINGS = 8_000_000
FALLBACK_CACHE_SIZE = 512  # phrase (and other position-checked) match sets kept
# ... and their docnums in all (a phrase of common words matches much of the archive:
# 512 such sets would be 200 MB at 100k threads): 2M x 4 bytes = 8 MB.
MAX_FALLBACK_IDS = 2_000_000


# (field, term) -> document frequency entries remembered per opened searcher (~150 bytes
# each): a query's words are looked up while it is built and again while it is ranked,
# each time in every segment's term table, and people's words repeat.
MAX_CACHED_FREQUENCIES = 100_000


class DocFrequencies:
    """`reader.doc_frequency(fieldname, text)`, remembered (a reader never changes)."""

    def __init__(self, reader: IndexReader, limit: int = MAX_CACHED_FREQUENCIES) -> None:
        self.reader = reader
        self.limit = limit
        self._known: dict[tuple[str, str], int] = {}

    def __call__(self, fieldname: str, text: str | bytes) -> int:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        key = (fieldname, text)
        found = self._known.get(key)
        if found is None:
            found = self.reader.doc_frequency(fieldname, text)
            if len(self._known) >= self.limit:
                self._known.clear()  # bounded memory in a long-lived worker
            self._known[key] = found
        return found


class DocMatcher:
    """Query -> bool mask of matching live docnums, for one opened searcher."""

    def __init__(self, searcher: Searcher, live: np.ndarray) -> None:
        self.searcher = searcher
        self.live = live
        self.size = len(live)
        self.doc_frequency = DocFrequencies(searcher.reader())
        self._leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._term_cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self._cached_postings = 0
        self._fallback_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._fallback_ids = 0
        self._cache_lock = threading.Lock()  # web workers may search from several threads

    def mask(self, query: q.Query | None) -> np.ndarray:
        """Every live document matching `query` (all live documents for None)."""
        if query is None:
            return self.live.copy()
        return self._mask(query) & self.live

    def _mask(self, node: q.Query) -> np.ndarray:
        if isinstance(node, q.Term):
            return self._term_mask(node.fieldname, node.text)
        if isinstance(node, q.Or | q.DisjunctionMax):
            result = np.zeros(self.size, dtype=bool)
            for sub in node.subqueries:
                result |= self._mask(sub)
            return result
        if isinstance(node, q.And):
            subs = node.subqueries
            if not subs:
                return np.zeros(self.size, dtype=bool)
            result = self._mask(subs[0])
            for sub in subs[1:]:
                if not result.any():
                    break
                result &= self._mask(sub)
            return result
        if isinstance(node, q.AndNot):
            return self._mask(node.a) & ~self._mask(node.b)
        if isinstance(node, q.Require):
            return self._mask(node.a) & self._mask(node.b)
        if isinstance(node, q.AndMaybe):
            return self._mask(node.a)
        if isinstance(node, q.Not):
            return self.live & ~self._mask(node.query)
        if isinstance(node, q.Every):
            return self.live.copy()
        if node is q.NullQuery:
            return np.zeros(self.size, dtype=bool)
        return self._fallback_mask(node)

    def _term_mask(self, fieldname: str, text: str | bytes) -> np.ndarray:
        result = np.zeros(self.size, dtype=bool)
        result[self._term_ids(fieldname, text)] = True
        return result

    def _term_ids(self, fieldname: str, text: str | bytes) -> np.ndarray:
        return self.postings(fieldname, text)[0]

    def postings(self, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        """Docnums and weights (term frequency x field boost) of one term, cached."""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        key = (fieldname, text)
        with self._cache_lock:
            cached = self._term_cache.get(key)
            if cached is not None:
                self._term_cache.move_to_end(key)
                return cached
        ids, weights = [], []
        for reader, offset in self._leaves:
            if (fieldname, text) in reader:
                leaf_ids, leaf_weights = _read_postings(reader.postings(fieldname, text))
                ids.append(leaf_ids + offset)
                weights.append(leaf_weights)
        found = (
            (np.concatenate(ids).astype(np.int32), np.concatenate(weights).astype(np.float32))
            if ids
            else (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        )
        with self._cache_lock:
            if key not in self._term_cache:
                self._term_cache[key] = found
                self._cached_postings += len(found[0])
            while self._cached_postings > MAX_CACHED_POSTINGS and len(self._term_cache) > 1:
                _, (old_ids, _) = self._term_cache.popitem(last=False)
                self._cached_postings -= len(old_ids)
        return found

    def _fallback_mask(self, node: q.Query) -> np.ndarray:
        # Phrases check positions document by document in Python (tens of ms for a
        # common pair of words); a query asks for them twice (mask, ranking) and people
        # repeat phrases, so the matching docnums are kept.
        key = repr(node)
        with self._cache_lock:
            ids = self._fallback_cache.get(key)
            if ids is not None:
                self._fallback_cache.move_to_end(key)
        if ids is None:
            ids = np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64)
            ids = ids.astype(np.int32)
            with self._cache_lock:
                if key not in self._fallback_cache:
                    self._fallback_cache[key] = ids
                    self._fallback_ids += len(ids)
                while len(self._fallback_cache) > 1 and (
                    len(self._fallback_cache) > FALLBACK_CACHE_SIZE
                    or self._fallback_ids > MAX_FALLBACK_IDS
                ):
                    _, old_ids = self._fallback_cache.popitem(last=False)
                    self._fallback_ids -= len(old_ids)
        result = np.zeros(self.size, dtype=bool)
        result[ids] = True
        return result


def _read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001 - Whoosh leaf
    """All docnums and weights of one posting list, a block at a time where possible."""
    if not all(hasattr(matcher, name) for name in ("_read_data", "_next_block", "_byteids")):
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        array = np.array(pairs, dtype=np.float64).reshape(-1, 2)
        return array[:, 0].astype(np.int64), array[:, 1]
    # Whoosh 3 codec: each block holds up to 128 delta-encoded ids and their weights
    # (None when all are 1, one number when all are equal); decoding a block with
    # numpy is far quicker than stepping through the postings one by one.
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        block_ids = np.asarray(raw_ids, dtype=np.int64)
        ids.append(block_ids if matcher._byteids else np.cumsum(block_ids))
        if raw_weights is None:
            weights.append(np.ones(len(block_ids)))
        elif isinstance(raw_weights, int | float):
            weights.append(np.full(len(block_ids), float(raw_weights)))
        else:
            weights.append(np.asarray(raw_weights, dtype=np.float64))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(ids), np.concatenate(weights)
