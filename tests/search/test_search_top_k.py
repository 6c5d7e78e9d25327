"""Top-k by bounds (search/results/top_k.py) finds what scoring every match finds."""

from __future__ import annotations

import numpy as np
import pytest

from search.results import top_k
from search.results.top_k import Coordination, ScoredTerm, best_documents, score_every_match

SIZE = 20_000


def _terms(rng: np.random.Generator, distinct_values: int) -> list[ScoredTerm]:
    """A query's terms as the ranker gives them: rare ones with high values and common
    ones with low values, each value at most its bound; few distinct values make ties."""
    terms = []
    for share in rng.choice([0.001, 0.01, 0.05, 0.3, 0.5, 0.9], size=rng.integers(2, 9)):
        docs = np.flatnonzero(rng.random(SIZE) < share).astype(np.int32)
        top = float(-np.log(share) + 1)
        values = (rng.integers(1, distinct_values + 1, len(docs)) / distinct_values * top)
        values = values.astype(np.float32)

        def values_at(positions, ids, values=values):  # noqa: ANN001, ANN202
            return values if positions is None else values[positions]

        bound = float(values.max()) * (1 + rng.random())  # bounds need not be tight
        terms.append(ScoredTerm(docs, values_at, bound, terms=int(rng.integers(1, 3))))
    terms.sort(key=lambda term: -term.bound)
    return terms


def _best_by_scoring_all(terms, coordination, selected, end):  # noqa: ANN001, ANN202
    docnums = np.flatnonzero(selected)
    scores = score_every_match(terms, coordination, SIZE, docnums)
    order = np.lexsort((docnums, -scores))[:end]
    return docnums[order], scores[order]


def _ordered(docnums, scores, end):  # noqa: ANN001, ANN202
    order = np.lexsort((docnums, -scores))[:end]
    return docnums[order], scores[order]


@pytest.mark.parametrize("seed", range(40))
def test_the_best_documents_are_those_scoring_every_match_gives(seed):
    rng = np.random.default_rng(seed)
    terms = _terms(rng, distinct_values=int(rng.choice([3, 50, 10_000])))
    count = sum(term.terms for term in terms)
    coordination = Coordination.of(0.9, count) if seed % 3 else None
    selected = rng.random(SIZE) < rng.choice([1.0, 0.5, 0.02])
    for end in (1, 10, 30, 1000):
        expected = _best_by_scoring_all(terms, coordination, selected, end)
        docnums, scores = best_documents(terms, coordination, selected, end)
        got = _ordered(docnums, scores, end)
        # The same documents, in the same order, with scores equal to the last bit.
        assert np.array_equal(got[0], expected[0])
        assert np.array_equal(got[1], expected[1])


def test_some_searches_skip_common_terms(monkeypatch):
    """Else the test above would not test pruning at all."""
    finished = []
    real_finish = top_k._finish
    monkeypatch.setattr(top_k, "_finish",
                        lambda *args: finished.append(1) or real_finish(*args))  # fmt: skip
    for seed in range(40):
        rng = np.random.default_rng(seed)
        terms = _terms(rng, 50)
        best_documents(terms, None, np.ones(SIZE, dtype=bool), 10)
    assert len(finished) >= 10


def test_fewer_selected_documents_than_asked_for_are_all_returned():
    rng = np.random.default_rng(7)
    terms = _terms(rng, 50)
    selected = np.zeros(SIZE, dtype=bool)
    selected[[3, 500, 19_999]] = True
    docnums, scores = best_documents(terms, Coordination.of(0.9, 5), selected, 10)
    assert docnums.tolist() == [3, 500, 19_999]
    assert len(scores) == 3


def test_a_negative_boost_is_scored_in_full():
    """Bounds prove nothing when a term takes away from scores."""
    rng = np.random.default_rng(3)
    terms = _terms(rng, 50)
    docs = np.arange(SIZE, dtype=np.int32)
    penalty = np.full(SIZE, -5.0, dtype=np.float32)
    penalty[7] = -0.5  # the least penalised document of all
    terms.append(ScoredTerm(docs, lambda positions, ids: penalty if positions is None
                            else penalty[positions], -0.5))  # fmt: skip
    selected = np.ones(SIZE, dtype=bool)
    expected = _best_by_scoring_all(terms, None, selected, 10)
    got = _ordered(*best_documents(terms, None, selected, 10), 10)
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def _fixed(docs: np.ndarray, values: np.ndarray) -> ScoredTerm:
    def values_at(positions, ids):  # noqa: ANN001, ANN202
        return values if positions is None else values[positions]

    return ScoredTerm(docs.astype(np.int32), values_at, float(values.max()))


@pytest.mark.parametrize("coordinated", [False, True])
def test_terms_left_are_read_whole_once_the_candidates_outnumber_their_postings(coordinated):
    """A rare term's documents are the candidates; a common term is then searched for
    each of them, and a small last term is read whole: all three must count."""
    rng = np.random.default_rng(11)
    rare = np.sort(rng.choice(SIZE, 50, replace=False))
    small = np.sort(np.concatenate([rare[:30], rng.choice(SIZE, 70, replace=False)]))
    small = np.unique(small)
    terms = [
        _fixed(rare, rng.uniform(9, 10, len(rare)).astype(np.float32)),
        _fixed(np.arange(SIZE), rng.uniform(0.01, 0.5, SIZE).astype(np.float32)),
        _fixed(small, rng.uniform(0.01, 0.1, len(small)).astype(np.float32)),
    ]
    coordination = Coordination.of(0.9, 3) if coordinated else None
    selected = np.ones(SIZE, dtype=bool)
    expected = _best_by_scoring_all(terms, coordination, selected, 10)
    got = _ordered(*best_documents(terms, coordination, selected, 10), 10)
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
