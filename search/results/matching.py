"""Which documents match a query, as a numpy bool mask over docnums, without scoring.

Facet counts and totals need every match but no scores; Whoosh's own collectors score
every match (slow). Terms are read as arrays, slices of the generation's posting arrays
(search/index/posting_arrays.py) where it has them, else decoded from Whoosh's posting
lists, and combined with numpy set algebra; phrases are checked by phrases.py on the
documents their words select, within the search's position budget (search/budget.py);
anything unfamiliar falls back to Whoosh's unscored `docs()`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from search.budget import SearchBudget, SearchLimits
from search.index.posting_arrays import PostingArrays, PostingSlice
from search.results.phrases import PhraseMatcher

# Posting lists decoded from Whoosh kept per opened searcher (frequent words repeat),
# bounded by their total length: 8M postings x 8 bytes (int32 docnum + float32 weight) =
# 64 MB per worker. Only fields and documents the posting arrays do not cover use it.
MAX_CACHED_POSTINGS = 8_000_000
FALLBACK_CACHE_SIZE = 512  # complete phrase (and other position-checked) match sets kept
# ... and their docnums in all (a phrase of common words matches much of the archive:
# 512 such sets would be 200 MB at 100k threads): 2M x 4 bytes = 8 MB.
MAX_FALLBACK_IDS = 2_000_000


# (field, term) -> document frequency entries remembered per opened searcher (~150 bytes
# each): a query's words are looked up while it is built and again while it is ranked,
# each time in every segment's term table, and people's words repeat.
MAX_CACHED_FREQUENCIES = 100_000


def as_index(ids: np.ndarray) -> np.ndarray:
    """Docnums in numpy's own index type (intp). The posting arrays hold int32 (half the
    pages); a fancy-indexed write with int32 indices costs numpy a casting pass: for 100k
    docnums `mask[ids] = True` took 0.90 ms with int32 and 0.42 ms with intp, the
    `total[ids] += scores` of ranking 1.44 against 0.72 ms; the conversion 0.03 ms."""
    return ids.astype(np.intp, copy=False)


class DocFrequencies:
    """`reader.doc_frequency(fieldname, text)`, remembered (a reader never changes); from
    the posting arrays where they cover the field (plus the `rest` segments past them)."""

    def __init__(
        self,
        reader: IndexReader,
        limit: int = MAX_CACHED_FREQUENCIES,
        arrays: PostingArrays | None = None,
        rest: tuple[IndexReader, ...] = (),
    ) -> None:
        self.reader = reader
        self.limit = limit
        self.arrays = arrays
        self.rest = rest
        self._known: dict[tuple[str, str], int] = {}

    def __call__(self, fieldname: str, text: str | bytes) -> int:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        key = (fieldname, text)
        found = self._known.get(key)
        if found is None:
            if self.arrays is not None and self.arrays.covers(fieldname):
                found = self.arrays.doc_frequency(fieldname, text) + sum(
                    reader.doc_frequency(fieldname, text) for reader in self.rest
                )
            else:
                found = self.reader.doc_frequency(fieldname, text)
            if len(self._known) >= self.limit:
                self._known.clear()  # bounded memory in a long-lived worker
            self._known[key] = found
        return found


class DocMatcher:
    """Query -> bool mask of matching live docnums, for one opened searcher."""

    def __init__(
        self, searcher: Searcher, live: np.ndarray, arrays: PostingArrays | None = None
    ) -> None:
        self.searcher = searcher
        self.live = live
        self.size = len(live)
        self.arrays = arrays
        self._leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        # Segments past the arrays (written by an incremental reindex) are read from Whoosh,
        # and documents deleted since the arrays were written are dropped from their slices.
        self._rest = self._leaves[arrays.segment_count :] if arrays else self._leaves
        self._arrays_hold_deleted = arrays is not None and not live[: arrays.doc_count].all()
        self._arrays_alone = arrays is not None and not self._rest and not self._arrays_hold_deleted
        self.doc_frequency = DocFrequencies(
            searcher.reader(), arrays=arrays, rest=tuple(reader for reader, _ in self._rest)
        )
        self._term_cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self._cached_postings = 0
        self._fallback_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._fallback_ids = 0
        self._cache_lock = threading.Lock()  # web workers may search from several threads
        self.phrases = PhraseMatcher(searcher.schema, self._leaves, self.postings, self.size)

    def mask(self, query: q.Query | None, budget: SearchBudget | None = None) -> np.ndarray:
        """Every live document matching `query` (all live documents for None).

        Phrases are checked within `budget` (a fresh default one if None); when it runs
        out the mask leaves unchecked phrase candidates out and `budget.cut` says so.
        """
        if query is None:
            return self.live.copy()
        budget = budget if budget is not None else SearchLimits().start()
        run = _MaskRun(budget, phrases_left=self._uncached_phrases(query, budget))
        return self._mask(query, run, False) & self.live

    def _mask(self, node: q.Query, run: _MaskRun, negated: bool) -> np.ndarray:
        if isinstance(node, q.Term):
            return self._term_mask(node.fieldname, node.text, run.budget, negated)
        if isinstance(node, q.Or | q.DisjunctionMax):
            result = np.zeros(self.size, dtype=bool)
            for sub in node.subqueries:
                if isinstance(sub, q.Term) and not negated:  # straight into the result
                    ids = self._term_ids(sub.fieldname, sub.text, run.budget)
                    if ids is not None:  # None: not read within the budget
                        result[ids] = True
                else:
                    result |= self._mask(sub, run, negated)
            return result
        if isinstance(node, q.And):
            subs = node.subqueries
            if not subs:
                return np.zeros(self.size, dtype=bool)
            result = self._mask(subs[0], run, negated)
            for sub in subs[1:]:
                if not result.any():
                    break
                result &= self._mask(sub, run, negated)
            return result
        if isinstance(node, q.AndNot):
            return self._mask(node.a, run, negated) & ~self._mask(node.b, run, not negated)
        if isinstance(node, q.Require):
            return self._mask(node.a, run, negated) & self._mask(node.b, run, negated)
        if isinstance(node, q.AndMaybe):
            return self._mask(node.a, run, negated)
        if isinstance(node, q.Not):
            return self.live & ~self._mask(node.query, run, not negated)
        if isinstance(node, q.Every):
            return self.live.copy()
        if node is q.NullQuery:
            return np.zeros(self.size, dtype=bool)
        if isinstance(node, q.Phrase):
            return self._phrase_mask(node, run, negated)
        return self._fallback_mask(node)

    def _phrase_mask(self, node: q.Phrase, run: _MaskRun, negated: bool) -> np.ndarray:
        key = repr(node)
        ids = self._cached_fallback(key)
        if ids is None:
            ids = run.budget.phrase_matches.get(f"{negated}:{key}")
        if ids is None:
            budget = run.budget
            # An even share of what is left: a phrase that needs less leaves more to
            # the ones after it. Past the deadline, nothing more is checked.
            expired = budget.expired()
            documents = 0 if expired else budget.position_reads_left() // run.phrases_left
            blocks = 0 if expired else budget.position_blocks_left() // run.phrases_left
            run.phrases_left = max(1, run.phrases_left - 1)
            found = self.phrases.match(node, documents, blocks, negated=negated, budget=budget)
            budget.position_reads += found.position_reads
            budget.position_blocks += found.blocks
            budget.documents_checked += found.documents_checked
            ids = found.ids
            if found.complete:
                self._remember_fallback(key, ids)
            else:
                budget.cut.add("phrase positions")
            budget.phrase_matches[f"{negated}:{key}"] = ids
        result = np.zeros(self.size, dtype=bool)
        result[as_index(ids)] = True
        return result

    def _uncached_phrases(self, query: q.Query, budget: SearchBudget) -> int:
        """Phrase leaves that will need positions: each gets a share of what is left."""
        count = 0
        for leaf in query.leaves():
            if isinstance(leaf, q.Phrase):
                key = repr(leaf)
                if key not in self._fallback_cache and not any(
                    f"{negated}:{key}" in budget.phrase_matches for negated in (False, True)
                ):
                    count += 1
        return max(count, 1)

    def _term_ids(
        self, fieldname: str, text: str | bytes, budget: SearchBudget | None
    ) -> np.ndarray | None:
        """A term's docnums (a view of the mapped file where the arrays alone hold them:
        a mask needs no weights), None if not read within the budget."""
        if self._arrays_alone and self.arrays.covers(fieldname):
            return as_index(self.arrays.docnums(fieldname, text))
        found = self.postings(fieldname, text, budget)
        return None if found is None else found[0]

    def _term_mask(
        self, fieldname: str, text: str | bytes, budget: SearchBudget, negated: bool
    ) -> np.ndarray:
        ids = self._term_ids(fieldname, text, budget)
        if ids is None:  # not read (budget spent): under NOT, assume it excludes all
            return self.live.copy() if negated else np.zeros(self.size, dtype=bool)
        result = np.zeros(self.size, dtype=bool)
        result[ids] = True
        return result

    def posting_slice(self, fieldname: str, text: str | bytes) -> PostingSlice | None:
        """A term's postings unread (views of the mapped files), where the arrays alone
        hold them; None where `postings` must read or filter them."""
        if self._arrays_alone and self.arrays.covers(fieldname):
            return self.arrays.slice(fieldname, text)
        return None

    def postings(
        self, fieldname: str, text: str | bytes, budget: SearchBudget | None = None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Docnums (ascending) and weights (term frequency x field boost) of one term's
        live documents: read-only slices of the posting arrays where they cover the
        field, else decoded from Whoosh's posting lists and cached.

        Reading the arrays is not counted in `budget` (slices, no decoding: like the
        cache). A list decoded from Whoosh is read only while `budget` has posting
        blocks left; otherwise None (and `budget.cut` says so); for documents past the
        arrays, only their part is left out. Without a budget: always. (Counted, not
        timed: plain words are bounded by how many are kept, so their answer never
        depends on how busy the machine is.)
        """
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if self.arrays is None or not self.arrays.covers(fieldname):
            found = self._whoosh_postings(fieldname, text, self._leaves, budget)
            return None if found is None else (as_index(found[0]), found[1])
        ids, weights = self.arrays.postings(fieldname, text)
        ids = as_index(ids)
        if self._arrays_hold_deleted:
            keep = self.live[ids]
            ids, weights = ids[keep], weights[keep]
        if self._rest:
            more = self._whoosh_postings(fieldname, text, self._rest, budget)
            if more is not None and len(more[0]):
                ids = np.concatenate([ids, more[0]])
                weights = np.concatenate([weights, more[1]])
        return ids, weights

    def _whoosh_postings(
        self,
        fieldname: str,
        text: str,
        leaves: list[tuple[IndexReader, int]],
        budget: SearchBudget | None,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """One term's postings in `leaves`, decoded from Whoosh's blocks within `budget`,
        cached (the leaves are always the same for one field)."""
        key = (fieldname, text)
        with self._cache_lock:
            cached = self._term_cache.get(key)
            if cached is not None:
                self._term_cache.move_to_end(key)
                return cached
        if budget is not None and budget.posting_blocks_left() == 0:
            budget.cut.add("postings")
            return None
        ids, weights = [], []
        for reader, offset in leaves:
            if (fieldname, text) in reader:
                leaf_ids, leaf_weights, blocks = _read_postings(reader.postings(fieldname, text))
                ids.append(leaf_ids + offset)
                weights.append(leaf_weights)
                if budget is not None:
                    budget.posting_blocks += blocks
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
        # Anything else with positions: Whoosh's own matcher. A query asks for it twice
        # (mask, ranking) and people repeat queries, so the matching docnums are kept.
        key = repr(node)
        ids = self._cached_fallback(key)
        if ids is None:
            ids = np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64)
            ids = ids.astype(np.int32)
            self._remember_fallback(key, ids)
        result = np.zeros(self.size, dtype=bool)
        result[as_index(ids)] = True
        return result

    def _cached_fallback(self, key: str) -> np.ndarray | None:
        with self._cache_lock:
            ids = self._fallback_cache.get(key)
            if ids is not None:
                self._fallback_cache.move_to_end(key)
        return ids

    def _remember_fallback(self, key: str, ids: np.ndarray) -> None:
        """Keep a complete match set (phrases are checked twice a query, and repeated)."""
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


@dataclass
class _MaskRun:
    """One mask() call: the search's budget and the phrases still to be checked."""

    budget: SearchBudget
    phrases_left: int


def _read_postings(matcher) -> tuple[np.ndarray, np.ndarray, int]:  # noqa: ANN001
    """All docnums and weights of one posting list (a Whoosh leaf matcher), a block at a
    time where possible, and the number of blocks (of up to 128 postings) read."""
    if not all(hasattr(matcher, name) for name in ("_read_data", "_next_block", "_byteids")):
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        array = np.array(pairs, dtype=np.float64).reshape(-1, 2)
        return array[:, 0].astype(np.int64), array[:, 1], -(-len(pairs) // 128)
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
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), 0
    return np.concatenate(ids), np.concatenate(weights), len(ids)
