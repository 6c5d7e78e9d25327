"""The numpy ranking agrees with Whoosh's own scoring, and segments change nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.request import SearchRequest

QUERIES = ["rash", "red spots thigh", "pain night", "urination burning frequent", '"kidney stone"',
           "cough -reflux", "doctor:chen back", "specialty:urology night", "urin*", "hikng~",
           "rash NOT markup", "general question unwell"]


@pytest.mark.parametrize("text", QUERIES)
def test_scores_equal_whooshs_bm25f(engine, text):
    gen = engine._current
    query = gen.builder.build(text)
    docnums, scores = gen.ranker.top(query, gen.matcher.mask(query), 100)
    # limit=None: Whoosh scores every match, no top-N shortcut.
    expected = {hit.docnum: hit.score for hit in gen.searcher.search(query, limit=None)}
    assert set(docnums.tolist()) == set(expected)
    for docnum, score in zip(docnums.tolist(), scores.tolist(), strict=True):
        assert score == pytest.approx(expected[docnum], rel=1e-6)


@pytest.mark.parametrize("text", ["", *QUERIES])
def test_segmented_index_answers_the_same(engine, segmented_engine, text):
    for specialties in ((), ("Dermatology", "Urology")):
        request = SearchRequest(text, specialties=specialties, per_page=100)
        one, many = engine.search(request), segmented_engine.search(request)
        assert many.total == one.total
        assert {h.id for h in many.results} == {h.id for h in one.results}
        assert many.facets == one.facets


def test_equal_scores_keep_one_order_whatever_the_build_order(threads, tmp_path):
    """A reindex of the same archive must not reshuffle results that tie: build order
    decides docnums (segments of parallel workers), so ties go by thread id."""
    from indexer.build.reindex import build_index
    from search.engine import SearchEngine

    twins = [
        replace(threads[0], id=f"twin-{n:02d}", title="Identical twin question")
        for n in range(12)
    ]
    orders = {}
    for name, records in (("forward", twins), ("reversed", twins[::-1])):
        build_index(records, tmp_path / name)
        with SearchEngine(tmp_path / name) as engine:
            response = engine.search(SearchRequest("identical twin", per_page=12))
        assert len({hit.score for hit in response.results}) == 1  # every score ties
        orders[name] = [hit.id for hit in response.results]
    assert orders["forward"] == orders["reversed"] == sorted(orders["forward"])


@pytest.mark.parametrize("size", [1, 7, 64, 1000, 20_000])
@pytest.mark.parametrize("end", [1, 10, 30])
def test_the_best_positions_are_a_full_partitions(size, end):
    # Scores with many ties (few distinct values), as short queries give: what is kept,
    # and in which order, must be what partitioning every score would keep.
    import numpy as np

    from search.results.ranking import _best_positions

    rng = np.random.default_rng(size * 31 + end)
    for distinct in (3, 50, size):
        scores = rng.integers(0, max(distinct, 1), size).astype(np.float64) / 7
        if size <= end:
            continue
        threshold = np.partition(scores, size - end)[size - end]
        expected = np.concatenate([np.flatnonzero(scores > threshold),
                                   np.flatnonzero(scores == threshold)])
        assert np.array_equal(_best_positions(scores, end), expected)


def test_asking_for_no_documents_gives_none(engine):
    gen = engine._current
    query = gen.builder.build("rash")
    docnums, scores = gen.ranker.top(query, gen.matcher.mask(query), 0)
    assert len(docnums) == 0 and len(scores) == 0
    assert len(engine.similar("t011", limit=0)) == 0
