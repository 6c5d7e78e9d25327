"""The matcher's caches stay within their bounds and never change an answer."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as q

from search.engine import SearchEngine
from search.results import matching
from search.results.matching import DocFrequencies, DocMatcher

PHRASES = [("week", "ago"), ("month", "ago"), ("two", "week"), ("few", "dai")]


def _fresh_matcher(engine: SearchEngine) -> DocMatcher:
    gen = engine._current
    return DocMatcher(gen.searcher, gen.live)


def test_phrase_cache_is_bounded_by_docnums_and_answers_the_same(
    generated_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    phrases = [q.Phrase("symptoms", list(words)) for words in PHRASES]
    unbounded = _fresh_matcher(generated_engine)
    expected = [unbounded.mask(phrase) for phrase in phrases]
    sizes = sorted(int(np.count_nonzero(mask)) for mask in expected)
    assert sizes[0] > 0, "the generated archive should hold each of these phrases"

    monkeypatch.setattr(matching, "MAX_FALLBACK_IDS", sizes[-1])
    bounded = _fresh_matcher(generated_engine)
    for _ in range(2):
        for phrase, mask in zip(phrases, expected, strict=True):
            assert np.array_equal(bounded.mask(phrase), mask)
            cached = sum(len(ids) for ids in bounded._fallback_cache.values())
            assert cached == bounded._fallback_ids <= sizes[-1]


def test_posting_cache_is_bounded_and_answers_the_same(
    generated_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = [("symptoms", w) for w in ("week", "ago", "two", "help", "dai", "month")]
    unbounded = _fresh_matcher(generated_engine)
    expected = [unbounded.postings(*term) for term in terms]
    bound = max(len(ids) for ids, _ in expected)
    monkeypatch.setattr(matching, "MAX_CACHED_POSTINGS", bound)
    bounded = _fresh_matcher(generated_engine)
    for _ in range(2):
        for term, (ids, weights) in zip(terms, expected, strict=True):
            got_ids, got_weights = bounded.postings(*term)
            assert np.array_equal(got_ids, ids) and np.array_equal(got_weights, weights)
            assert bounded._cached_postings <= bound


def test_remembered_doc_frequencies_match_the_reader_and_stay_bounded(
    generated_engine: SearchEngine,
) -> None:
    reader = generated_engine._current.searcher.reader()
    frequencies = DocFrequencies(reader, limit=3)
    words = ["week", "ago", "two", "help", "nosuchword", "dai"]
    for _ in range(2):
        for word in words:
            assert frequencies("symptoms", word) == reader.doc_frequency("symptoms", word)
            assert frequencies("symptoms", word.encode()) == frequencies("symptoms", word)
            assert len(frequencies._known) <= 3
    assert frequencies("symptoms", "week") > 0 and frequencies("symptoms", "nosuchword") == 0
