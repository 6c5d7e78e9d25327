"""Phrases are matched by reading positions only where the words already meet, and give
the same documents as Whoosh's own Phrase query; a phrase's share of the budget bounds
what it reads, and a cut-short phrase only ever misses documents."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import query as q

from search.budget import SearchLimits
from search.engine import SearchEngine
from search.index.schema import TEXT_FIELDS, text_analyzer
from search.request import SearchRequest
from search.results.matching import DocMatcher

ANALYZER = text_analyzer()


def _words(text: str) -> list[str]:
    return [token.text for token in ANALYZER(text)]


def _phrases(threads, count: int, seed: int) -> list[list[str]]:
    """Runs of 2-4 consecutive indexed words from the threads' questions and replies,
    plus a word doubled and a few runs that are not in the text in that order."""
    rng = random.Random(seed)
    found = []
    for thread in rng.sample(list(threads), count):
        text = thread.question if rng.random() < 0.6 else " ".join(r.text for r in thread.replies)
        words = _words(text)
        if len(words) < 4:
            continue
        start = rng.randrange(len(words) - 3)
        run = words[start:start + rng.choice((2, 3, 4))]
        found.append(run)
        found.append(list(reversed(run)))  # mostly not a phrase: the check must say so
        found.append([run[0], run[0]])
    return found


def _whoosh_ids(engine: SearchEngine, phrase: q.Phrase) -> list[int]:
    gen = engine._current
    return sorted(d for d in gen.searcher.docs_for_query(phrase) if gen.live[d])


@pytest.mark.parametrize("fixture", ["generated_engine", "segmented_engine"])
def test_phrase_matches_equal_whooshs(request, fixture, generated_threads, threads):
    """Same documents as Whoosh's Phrase (slop 1 and wider), also over several segments
    with a deleted document (where Whoosh wraps the posting reader: the public path)."""
    engine = request.getfixturevalue(fixture)
    source = generated_threads if fixture == "generated_engine" else threads
    matcher = engine._current.matcher
    checked = matched = 0
    for words in _phrases(source, min(20, len(source)), seed=3):
        for field in TEXT_FIELDS:
            for slop in (1, 3):
                phrase = q.Phrase(field, words, slop=slop)
                expected = _whoosh_ids(engine, phrase)
                got = np.flatnonzero(matcher.mask(phrase, SearchLimits().start())).tolist()
                assert got == expected, (field, words, slop)
                checked += 1
                matched += bool(expected)
    assert checked > 100 and matched > 10  # the sample holds real phrases, and others


def test_a_repeated_word_needs_that_many_occurrences_and_reads_no_positions(generated_engine):
    matcher: DocMatcher = generated_engine._current.matcher
    phrase = q.Phrase("symptoms", ["help"] * 59)
    result = matcher.phrases.match(phrase, documents=10**6, blocks=10**6)
    assert len(result.ids) == 0 and result.complete
    assert result.position_reads == 0 and result.documents_checked == 0


def test_a_phrase_reads_positions_only_where_all_its_words_are(generated_engine):
    gen = generated_engine._current
    words = ["week", "ago"]
    result = gen.matcher.phrases.match(q.Phrase("symptoms", words), 10**6, 10**6)
    both = np.intersect1d(*(gen.matcher.postings("symptoms", w)[0] for w in words))
    assert result.complete and len(result.ids) > 0
    assert result.documents_checked == len(both)
    assert result.position_reads <= len(both) * len(words)


def test_a_phrase_over_its_share_checks_the_likeliest_and_only_misses(generated_engine):
    gen = generated_engine._current
    phrase = q.Phrase("symptoms", ["week", "ago"])
    full = gen.matcher.phrases.match(phrase, 10**6, 10**6)
    assert full.documents_checked > 10 and full.blocks > 1
    for documents, blocks in ((8, 10**6), (10**6, 1)):
        cut = gen.matcher.phrases.match(phrase, documents, blocks)
        assert not cut.complete
        # Two words: 8 position lists are 4 documents; 1 block is what it may decode.
        assert cut.documents_checked <= documents // 2 and cut.blocks <= blocks
        assert cut.position_reads <= documents
        assert set(cut.ids.tolist()) < set(full.ids.tolist())  # fewer, never others
        negated = gen.matcher.phrases.match(phrase, documents, blocks, negated=True)
        assert set(negated.ids.tolist()) > set(full.ids.tolist())  # NOT excludes more


def test_phrase_search_within_a_tiny_budget_is_partial_and_never_shows_excluded(
    generated_engine,
):
    tiny = SearchLimits(seconds=None, position_reads=24, position_blocks=8)
    # A fresh engine: a phrase checked completely once is remembered (and then free).
    with SearchEngine(generated_engine.index_dir) as engine:
        cut = engine.search(SearchRequest('"week ago"', per_page=100), tiny.start())
        # Under a NOT, unchecked candidates count as holding the phrase: excluded.
        excluded = engine.search(SearchRequest('help -"week ago"', per_page=100), tiny.start())
        quoted = engine.search(SearchRequest('"week ago"', per_page=100))
    assert not quoted.partial and quoted.total > 10
    assert cut.partial and 0 < cut.total < quoted.total
    assert {h.id for h in cut.results} <= {h.id for h in quoted.results}
    shown = {hit.id for hit in excluded.results}
    assert excluded.partial and shown and not shown & {hit.id for hit in quoted.results}


def test_a_complete_phrase_is_cached_a_cut_one_is_not(generated_engine):
    gen = generated_engine._current
    matcher = DocMatcher(gen.searcher, gen.live)
    phrase = q.Phrase("symptoms", ["month", "ago"])
    matcher.mask(phrase, SearchLimits(seconds=None, position_reads=4).start())
    assert repr(phrase) not in matcher._fallback_cache
    matcher.mask(phrase, SearchLimits().start())
    assert repr(phrase) in matcher._fallback_cache
