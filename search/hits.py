"""From matching documents to the SearchHits a user sees: one page of a search's results
in the order asked for, and the threads similar to one.

A page is ranked by BM25F with the word-proximity bonus (search/results/ranking.py), by
date, or, when the generation has sentence vectors, in the fused order of the lexical
ranking and the query's neighbours (search/semantic/hybrid.py). Each hit carries its
stored fields and a snippet with the searched words marked (search/results/snippets.py).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as q

from search.budget import SearchBudget
from search.open_generation import OpenGeneration
from search.query.tree import query_terms
from search.request import SearchHit, SearchRequest
from search.results.meaningful import meaningful_key_terms
from search.results.ranking import has_scored_leaves
from search.results.snippets import Snippets
from search.semantic.hybrid import HybridSettings, Neighbours, SemanticLayer, fused_order

SIMILAR_TERMS = 12  # distinctive words of a question used to find similar threads
SNIPPET_FIELDS = ("symptoms", "replies")
# Similar questions by both methods: each one's top limit*depth, RRF with k 30, the
# vector side weighed as in search (lexical_depth covers every key-term candidate).
SIMILAR_FUSION_DEPTH = 4
SIMILAR_FUSION = HybridSettings(lexical_depth=1000, rrf_k=30, semantic_weight=1.5)


class HitBuilder:
    """Builds the hits of result pages and of similar threads, with their snippets."""

    def __init__(self, snippets: Snippets, semantic: SemanticLayer) -> None:
        self.snippets = snippets
        self.semantic = semantic

    def page(
        self,
        gen: OpenGeneration,
        request: SearchRequest,
        text: str,
        query: q.Query | None,
        selected: np.ndarray,
        total: int,
        budget: SearchBudget,
        hybrid: tuple[np.ndarray, Neighbours] | None = None,
    ) -> list[SearchHit]:
        """The hits of `request`'s page among the `total` `selected` documents, `query`
        being what `text` was searched as; `hybrid`: the lexical matches and the
        query's neighbours, when relevance order fuses both."""
        start = (request.page - 1) * request.per_page
        if start >= total:
            return []
        end = start + request.per_page
        terms = query_terms(query) if query is not None else set()
        if query is None or request.sort != "relevance" or not has_scored_leaves(query):
            # Date order: asked for, or nothing to rank by (no query, or only NOT words).
            columns = gen.columns
            order = columns.oldest_first if request.sort == "oldest" else columns.newest_first
            return self.hits(gen, order[selected[order]][start:end], None, terms)
        if hybrid is not None:
            lexical, neighbours = hybrid
            depth = max(end, self.semantic.settings.lexical_depth)
            ranked, _ = gen.ranker.top(query, lexical & selected, depth, budget)
            docnums, scores = fused_order(
                ranked, neighbours.docnums[selected[neighbours.docnums]],
                self.semantic.settings)
            return self.hits(gen, docnums[start:end], scores[start:end], terms)
        pairs = gen.builder.proximity_pairs(text)
        docnums, scores = gen.ranker.top_with_proximity(query, selected, end, pairs, budget)
        return self.hits(gen, docnums[start:end], scores[start:end], terms)

    def similar(self, gen: OpenGeneration, thread_id: str, limit: int) -> list[SearchHit]:
        """Up to `limit` threads whose question reads most like this one's, the thread
        itself excluded: the question's key terms, fused (RRF) with the nearest threads
        by sentence vector when the generation has vectors."""
        docnum = gen.searcher.document_number(id=thread_id)
        if docnum is None:
            return []
        depth = limit * SIMILAR_FUSION_DEPTH
        by_terms, scores, query = self._by_key_terms(gen, docnum, depth if gen.vectors else limit)
        terms = query_terms(query) if query is not None else set()
        if gen.vectors is None:
            return self.hits(gen, by_terms, scores, terms)
        # Vectors alone found more threads of the same condition than key terms with
        # 128-token vectors (0.847 against 0.794), fewer with the 64-token vectors search
        # ranks best with (0.791); fused, both kinds of evidence count (bench/RESULTS.md).
        near = self.semantic.similar(gen.vectors, docnum, gen.live, depth)
        fused, _ = fused_order(by_terms, near.docnums, SIMILAR_FUSION)
        return self.hits(gen, fused[:limit], None, terms)

    def _by_key_terms(self, gen: OpenGeneration, docnum: int, depth: int
                      ) -> tuple[np.ndarray, np.ndarray | None, q.Query | None]:
        fields = gen.searcher.stored_fields(docnum)
        text = " ".join(filter(None, (fields.get("title"), fields.get("symptoms"))))
        # Key terms of the question, filler left out: similar questions are found (and
        # their snippets marked) by what the question is about, not "went away last month".
        keywords = meaningful_key_terms(gen.searcher, gen.matcher.doc_frequency, text,
                                        SIMILAR_TERMS)
        if not keywords:
            return np.zeros(0, dtype=np.int64), None, None
        query = q.Or([q.Term("symptoms", word, boost=weight) for word, weight in keywords])
        others = gen.matcher.mask(query)
        others[docnum] = False
        docnums, scores = gen.ranker.top(query, others, depth)
        return np.asarray(docnums, dtype=np.int64), scores, query

    def hits(
        self, gen: OpenGeneration, docnums: np.ndarray, scores: np.ndarray | None,
        terms: set[str],
    ) -> list[SearchHit]:
        """The documents `docnums` as hits, in that order, their snippets marking
        `terms`; `scores` (NaN or None: unscored) rounded for the response."""
        stored = [gen.searcher.stored_fields(int(d)) for d in docnums]
        snippets = self.snippets.make_many(
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
