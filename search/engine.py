"""The search engine: one object per process that answers SearchRequests.

It opens the live generation (CURRENT): one Whoosh searcher plus the facet columns in
numpy and the rest of what search/open_generation.py holds, and swaps to a new
generation when `refresh()` sees one. A search is: bounded query (query/) -> mask of all
matches (results/matching.py) -> disjunctive facet counts (results/facets.py) -> the
page's hits ranked by BM25F and word proximity (or by date) with snippets (hits.py). A
misspelt query is searched corrected first, or a correction suggested
(query/correction.py). When the generation has sentence vectors
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
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as q

from search.budget import SearchBudget, SearchLimits
from search.hits import HitBuilder
from search.index.generations import IndexUnavailableError, current_generation, read_meta
from search.index.schema import SCHEMA, STOP_WORDS_USED
from search.open_generation import OpenGeneration, reopened
from search.query.correction import Correction, correct
from search.query.tree import query_terms
from search.request import FacetCounts, SearchHit, SearchRequest, SearchResponse
from search.results.completions import DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS, Completion
from search.results.facets import combined, disjunctive_counts
from search.results.ranking import has_scored_leaves
from search.results.snippets import Snippets
from search.semantic.hybrid import HybridSettings, SemanticLayer
from search.whoosh_internals.mapped_storage import mapped_resident_bytes

REFRESH_INTERVAL = 1.0  # seconds between looks at CURRENT; refresh() is called per request
# Seconds between unmapping the index pages a worker has read (they stay in the page
# cache): its resident set then holds what it read lately, not all it ever read.
RELEASE_PAGES_INTERVAL = 2.0
# ...and sooner once this much more is mapped than just after the last release: a busy
# worker at 300,000 threads maps ~180 MB of index pages in 2 s, and its RSS went over
# 300 MB. Checked before each search (~6 us). Counted from the level after a release,
# which holds the program's own code, so a large library never makes every search release.
RELEASE_PAGES_ABOVE_BYTES = 96 * 1024 * 1024
_WORDS = re.compile(r"\w+(?:'\w+)?", re.UNICODE)


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
        self._mapped_after_release = mapped_resident_bytes() or 0
        self.semantic = SemanticLayer(encoder, hybrid)
        self._current = OpenGeneration.open(current_generation(self.index_dir), self.semantic)
        self._snippets = Snippets(SCHEMA["symptoms"].analyzer)
        self._hits = HitBuilder(self._snippets, self.semantic)
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
        if now - self._released_at >= RELEASE_PAGES_INTERVAL or (
            (mapped := mapped_resident_bytes()) is not None
            and mapped - self._mapped_after_release > RELEASE_PAGES_ABOVE_BYTES
        ):
            self._released_at = now
            self._current.release_pages()
            self._mapped_after_release = mapped_resident_bytes() or 0

    def _search(
        self, gen: OpenGeneration, request: SearchRequest, budget: SearchBudget
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
        hits = self._hits.page(gen, request, text, query, selected, total, budget,
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
            return self._hits.similar(self._current, thread_id, limit)

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
        """Threads per specialty, most first (ties by name).

        From the facet column, about a millisecond at 300,000 threads: the thread store's
        GROUP BY took a second there, and every page without results lists them."""
        gen = self._current
        return gen.columns.specialty.ranked_counts(np.flatnonzero(gen.live))

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
                fresh = reopened(self.index_dir, old, self.semantic)
            except (IndexUnavailableError, OSError) as error:
                # A broken switch must not take search down: keep answering from the
                # generation already open, and say why in refresh_error.
                self.refresh_error = str(error)
                return False
            if fresh is None:  # nothing new (an earlier refresh_error stands)
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


__all__ = ["FacetCounts", "IndexUnavailableError", "SearchEngine"]
