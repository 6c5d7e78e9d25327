"""The search engine: one object per process that answers SearchRequests.

It opens the live generation (CURRENT), keeps one Whoosh searcher plus the facet
columns in numpy, and swaps to a new generation when `refresh()` sees one. A search is:
bounded query (query/) -> mask of all matches (results/matching.py) -> disjunctive
facet counts (results/facets.py) -> top hits ranked by BM25F and word proximity (or by
date) -> snippets. A misspelt query is searched corrected first, or a correction
suggested (query/correction.py). When the generation has sentence vectors
(search/semantic/), the mask is the lexical matches OR the query's nearest neighbours,
and relevance order fuses both rankings (search/semantic/hybrid.py: the logic lives
there; the engine only passes masks through).

Every search runs under a budget (search/budget.py, the engine's `limits`): expansions,
phrase positions and time. A search that reaches it answers with what it has and says
so (`SearchResponse.partial`); spelling correction, a second search, is then skipped.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as q
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from search.budget import SearchBudget, SearchLimits
from search.index.generations import (
    THREAD_STORE_FILE,
    IndexUnavailableError,
    current_generation,
    current_generation_name,
    read_meta,
)
from search.index.posting_arrays import PostingArrays
from search.index.schema import SCHEMA, STOP_WORDS_USED
from search.index.thread_store import ThreadStore, ThreadStoreError
from search.query.correction import Correction, correct
from search.query.parse import QueryBuilder, synonym_table
from search.query.suggest import Speller
from search.query.tree import query_terms
from search.query.vocabulary import SynonymFileError
from search.query.vocabulary import describe as describe_vocabulary
from search.request import FacetCounts, SearchHit, SearchRequest, SearchResponse
from search.results.completions import (
    DEFAULT_SUGGESTIONS,
    MAX_SUGGESTIONS,
    Completion,
    Completions,
)
from search.results.facets import FacetColumns, combined, disjunctive_counts
from search.results.matching import DocMatcher
from search.results.meaningful import meaningful_key_terms
from search.results.ranking import Ranker, has_scored_leaves
from search.results.snippets import Snippets
from search.semantic.hybrid import HybridSettings, Neighbours, SemanticLayer, fused_order
from search.semantic.vectors import VectorIndex
from search.whoosh_internals.mapped_storage import MappedFileStorage

REFRESH_INTERVAL = 1.0  # seconds between looks at CURRENT; refresh() is called per request
# Seconds between unmapping the index pages a worker has read (they stay in the page
# cache): its resident set then holds what it read lately, not all it ever read.
RELEASE_PAGES_INTERVAL = 2.0
SIMILAR_TERMS = 12  # distinctive words of a question used to find similar threads
SNIPPET_FIELDS = ("symptoms", "replies")
_WORDS = re.compile(r"\w+(?:'\w+)?", re.UNICODE)


@dataclass
class _Generation:
    """Everything opened for one generation; replaced as a whole on refresh."""

    name: str
    path: Path
    index: Any
    searcher: Searcher
    live: np.ndarray
    columns: FacetColumns
    matcher: DocMatcher
    ranker: Ranker
    builder: QueryBuilder
    speller: Speller
    store: ThreadStore
    completions: Completions
    vectors: VectorIndex | None  # None: this generation is searched lexically
    vocabulary: dict

    @classmethod
    def open(cls, path: Path, semantic: SemanticLayer) -> _Generation:
        try:
            index = FileIndex(MappedFileStorage(str(path)))
        except Exception as error:  # noqa: BLE001 - any Whoosh failure: unusable index
            raise IndexUnavailableError(
                f"cannot open the index in {path} ({error}): run a full reindex"
            ) from None
        searcher = index.searcher()
        reader = searcher.reader()
        live = np.zeros(reader.doc_count_all(), dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        try:
            store = ThreadStore(path / THREAD_STORE_FILE)
        except ThreadStoreError as error:
            searcher.close()
            raise IndexUnavailableError(f"{error}: run a full reindex") from None
        try:
            synonyms = synonym_table(path)
            vocabulary = describe_vocabulary(path, read_meta(path))
        except (SynonymFileError, IndexUnavailableError) as error:
            searcher.close()
            store.close()
            raise IndexUnavailableError(f"{error}: run a full reindex") from None
        # Posting arrays when the generation has them (and they fit its segments).
        matcher = DocMatcher(searcher, live, PostingArrays.open(path, searcher))
        columns = FacetColumns.load(reader)
        known_names = {
            "doctor_names": columns.doctor.names,
            "specialty_name": columns.specialty.names,
        }
        return cls(
            name=path.name,
            path=path,
            index=index,
            searcher=searcher,
            live=live,
            columns=columns,
            matcher=matcher,
            ranker=Ranker(searcher, matcher),
            builder=QueryBuilder(
                reader, doc_frequency=matcher.doc_frequency, known_names=known_names,
                synonyms=synonyms,
            ),
            speller=Speller(reader),
            store=store,
            completions=Completions.load(path),
            vectors=semantic.open_vectors(path, index.latest_generation(), len(live)),
            vocabulary=vocabulary,
        )

    def close(self) -> None:
        self.searcher.close()
        self.store.close()

    def release_pages(self) -> None:
        """Unmap the index pages read so far (posting arrays, Whoosh's segment files)."""
        if self.matcher.arrays is not None:
            self.matcher.arrays.release_pages()
        storage = getattr(self.index, "storage", None)
        if isinstance(storage, MappedFileStorage):
            storage.release_pages()


class SearchEngine:
    """Search over the live generation of the index in `index_dir`."""

    def __init__(self, index_dir: Path | str, refresh_interval: float = REFRESH_INTERVAL,
                 limits: SearchLimits | None = None, encoder: Any = "auto",
                 hybrid: HybridSettings | None = None) -> None:
        """`encoder`: the sentence encoder of semantic search; "auto" loads the installed
        model when a generation has vectors, None keeps search lexical."""
        self.index_dir = Path(index_dir)
        self.refresh_interval = refresh_interval
        self.limits = limits or SearchLimits()  # what each search may spend
        self._lock = threading.Lock()  # one refresh at a time
        self._search_lock = threading.RLock()
        self._checked_at = time.monotonic()
        self._released_at = self._checked_at
        self.semantic = SemanticLayer(encoder, hybrid)
        self._current = _Generation.open(current_generation(self.index_dir), self.semantic)
        self._snippets = Snippets(SCHEMA["symptoms"].analyzer)
        self.refresh_error: str | None = None  # why the last refresh() kept the old generation

    # -- the contract -----------------------------------------------------------------

    @property
    def generation(self) -> str:
        return self._current.name

    @property
    def semantic_active(self) -> bool:
        """Do searches of the live generation use its vectors (hybrid), or words alone?"""
        return self._current.vectors is not None

    def search(self, request: SearchRequest, budget: SearchBudget | None = None) -> SearchResponse:
        """Answer `request` within `budget` (default: a fresh one from the engine's
        limits; pass one to see afterwards what the search spent)."""
        # Whoosh's readers seek and read shared file objects: one search at a time per
        # engine (with the GIL, threads would gain little from running them together).
        with self._search_lock:
            self._release_pages_if_due()
            # The clock starts once the search may run, not while it waits for the lock.
            budget = budget if budget is not None else self.limits.start()
            return self._search(self._current, request, budget)

    def _release_pages_if_due(self) -> None:
        now = time.monotonic()
        if now - self._released_at >= RELEASE_PAGES_INTERVAL:
            self._released_at = now
            self._current.release_pages()

    def _search(
        self, gen: _Generation, request: SearchRequest, budget: SearchBudget
    ) -> SearchResponse:
        filters = gen.columns.filters(request)
        text = request.query
        query = gen.builder.build(text, budget)
        matches = gen.matcher.mask(query, budget)
        selected = combined(matches, filters)
        total = int(np.count_nonzero(selected))
        correction = Correction()
        tried: dict[str, tuple[q.Query | None, np.ndarray]] = {}

        def count(other: str) -> int:
            # The corrected query spends what is left of the same budget; if it runs
            # out, its count cannot be trusted and nothing is corrected or suggested.
            if budget.expired():
                return -1
            other_query = gen.builder.build(other, budget)
            other_matches = gen.matcher.mask(other_query, budget)
            if budget.partial:  # only the correction's search ran out: the answer is whole
                budget.cut.clear()
                return -1
            tried[other] = (other_query, other_matches)
            return int(np.count_nonzero(combined(other_matches, filters)))

        if query is not None and not budget.partial:
            correction = correct(
                text, total, gen.speller, count, exact=request.exact,
                keep=gen.builder.synonym_words(text),
            )
        if correction.corrected is not None:
            text = correction.corrected
            query, matches = tried[text]
            selected = combined(matches, filters)
            total = int(np.count_nonzero(selected))
        lexical = matches
        neighbours = None
        if gen.vectors is not None and query is not None and has_scored_leaves(query):
            # The result set is lexical OR neighbours, before filters: see hybrid.py.
            neighbours = self.semantic.neighbours(gen.vectors, text, gen.live)
            matches = matches | neighbours.mask
            selected = combined(matches, filters)
            total = int(np.count_nonzero(selected))
        facets = disjunctive_counts(gen.columns, matches, filters, request)
        hits = self._page(gen, request, text, query, selected, total, budget,
                          None if neighbours is None else (lexical, neighbours))
        # Words, but none searchable ("on my"): every thread, in date order.
        words = _WORDS.findall(request.query.lower())
        common_words_only = query is None and bool(words) and set(words) <= STOP_WORDS_USED
        return SearchResponse(
            request,
            total,
            tuple(hits),
            facets,
            suggestion=correction.suggestion,
            corrected=correction.corrected,
            partial=budget.partial,
            common_words_only=common_words_only,
        )

    def get_thread(self, thread_id: str) -> dict | None:
        return self._current.store.get(thread_id)

    def similar(self, thread_id: str, limit: int = 5) -> list[SearchHit]:
        """Threads whose question reads most like this one's, the thread itself excluded."""
        with self._search_lock:
            self._release_pages_if_due()
            return self._similar(self._current, thread_id, limit)

    def _similar(self, gen: _Generation, thread_id: str, limit: int) -> list[SearchHit]:
        docnum = gen.searcher.document_number(id=thread_id)
        if docnum is None:
            return []
        if gen.vectors is not None:
            near = self.semantic.similar(gen.vectors, docnum, gen.live, limit)
            return self._hits(gen, near.docnums, near.similarities, set())
        fields = gen.searcher.stored_fields(docnum)
        text = " ".join(filter(None, (fields.get("title"), fields.get("symptoms"))))
        # Key terms of the question, filler left out: similar questions are found (and
        # their snippets marked) by what the question is about, not "went away last month".
        keywords = meaningful_key_terms(gen.searcher, gen.matcher.doc_frequency, text,
                                        SIMILAR_TERMS)
        if not keywords:
            return []
        query = q.Or([q.Term("symptoms", word, boost=weight) for word, weight in keywords])
        others = gen.matcher.mask(query)
        others[docnum] = False
        docnums, scores = gen.ranker.top(query, others, limit)
        return self._hits(gen, docnums, scores, query_terms(query))

    def suggest(self, typed: str, limit: int = DEFAULT_SUGGESTIONS) -> list[Completion]:
        """The archive's phrases (titles, subject lines, related topics) continuing
        `typed`, most threads first; never anything people searched for."""
        return self._current.completions.complete(typed, min(max(limit, 1), MAX_SUGGESTIONS))

    def mark_words(self, query: str, texts: Sequence[str]) -> list[str]:
        """Safe HTML of each text with the words `query` searches for in <mark> (the
        thread page reached from a search); the texts escaped and unmarked without one."""
        with self._search_lock:
            built = self._current.builder.build(query) if query.strip() else None
        terms = query_terms(built) if built is not None else set()
        return self._snippets.mark_all(texts, terms)

    def specialty_counts(self) -> dict[str, int]:
        return self._current.store.specialty_counts()

    def stats(self) -> dict:
        gen = self._current
        meta = dict(read_meta(gen.path))
        meta.update(
            generation=gen.name,
            doc_count=gen.searcher.doc_count(),
            thread_count=gen.store.count(),
            semantic=self.semantic_active,
        )
        return meta

    @property
    def vocabulary(self) -> dict:
        """Which synonym vocabulary the live generation searches with (vocabulary.py)."""
        return self._current.vocabulary

    def refresh(self) -> bool:
        """Switch to a newer generation or commit if one is live; True if switched."""
        now = time.monotonic()
        if now - self._checked_at < self.refresh_interval:
            return False
        with self._lock:
            self._checked_at = now
            old = self._current
            try:
                name = current_generation_name(self.index_dir)
                if name is not None and name != old.name:
                    fresh = _Generation.open(current_generation(self.index_dir), self.semantic)
                elif not old.searcher.up_to_date():
                    # A fresh searcher rather than Searcher.refresh(): that one shares
                    # segment readers with the old searcher, which is closed below.
                    fresh = _Generation.open(old.path, self.semantic)
                else:
                    return False
            except (IndexUnavailableError, OSError) as error:
                # A broken switch must not take search down: keep answering from the
                # generation already open, and say why in refresh_error.
                self.refresh_error = str(error)
                return False
            self.refresh_error = None
            with self._search_lock:  # no search is still reading the old one
                self._current = fresh
                old.close()
        return True

    def close(self) -> None:
        self._current.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- parts ------------------------------------------------------------------------

    def _page(
        self,
        gen: _Generation,
        request: SearchRequest,
        text: str,
        query: q.Query | None,
        selected: np.ndarray,
        total: int,
        budget: SearchBudget,
        hybrid: tuple[np.ndarray, Neighbours] | None = None,
    ) -> list[SearchHit]:
        start = (request.page - 1) * request.per_page
        if start >= total:
            return []
        end = start + request.per_page
        terms = query_terms(query) if query is not None else set()
        if query is None or request.sort != "relevance" or not has_scored_leaves(query):
            # Date order: asked for, or nothing to rank by (no query, or only NOT words).
            columns = gen.columns
            order = columns.oldest_first if request.sort == "oldest" else columns.newest_first
            return self._hits(gen, order[selected[order]][start:end], None, terms)
        if hybrid is not None:
            lexical, neighbours = hybrid
            depth = max(end, self.semantic.settings.lexical_depth)
            ranked, _ = gen.ranker.top(query, lexical & selected, depth, budget)
            docnums, scores = fused_order(
                ranked, neighbours.docnums[selected[neighbours.docnums]],
                self.semantic.settings)
            return self._hits(gen, docnums[start:end], scores[start:end], terms)
        pairs = gen.builder.proximity_pairs(text)
        docnums, scores = gen.ranker.top_with_proximity(query, selected, end, pairs, budget)
        return self._hits(gen, docnums[start:end], scores[start:end], terms)

    def _hits(
        self, gen: _Generation, docnums: np.ndarray, scores: np.ndarray | None, terms: set[str]
    ) -> list[SearchHit]:
        stored = [gen.searcher.stored_fields(int(d)) for d in docnums]
        snippets = self._snippets.make_many(
            [([fields.get(name) or "" for name in SNIPPET_FIELDS], terms) for fields in stored]
        )
        return [
            SearchHit(
                id=fields["id"],
                title=fields.get("title", ""),
                specialty=fields.get("specialty", ""),
                doctor=fields.get("doctor") or None,
                asked=fields.get("asked") or None,
                score=None if scores is None or np.isnan(scores[i])
                else round(float(scores[i]), 4),
                snippet=snippets[i],
            )
            for i, fields in enumerate(stored)
        ]


__all__ = ["FacetCounts", "IndexUnavailableError", "SearchEngine"]
