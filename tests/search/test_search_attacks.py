"""The hostile query forms of issue 10 cost a bounded amount of work on an archive of a
few thousand threads, and ordinary syntax among them still finds what it should.

Work is counted (position lists read, documents checked, terms expanded, lexicon
entries and posting blocks read), never timed; the times are bench/attack.py's.
The deadline is off (seconds=None) so the counts do not depend on the machine's load.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.attack_forms import Vocabulary
from indexer.build.reindex import build_index
from indexer.sample.generator import generate_threads
from search.budget import SearchBudget, SearchLimits
from search.engine import SearchEngine
from search.request import SearchRequest

pytestmark = pytest.mark.slow

THREADS = 3000
LIMITS = SearchLimits(seconds=None)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple]:
    threads = tuple(generate_threads(THREADS, seed=5))
    directory = tmp_path_factory.mktemp("attack-index")
    build_index(threads, directory, procs=2)
    return directory, threads


@pytest.fixture
def engine(archive) -> Iterator[SearchEngine]:
    """A fresh engine per test: nothing learnt from an earlier test's queries."""
    with SearchEngine(archive[0], limits=LIMITS) as opened:
        yield opened


@pytest.fixture(scope="module")
def common_words(archive) -> list[str]:
    """The archive's most frequent words as people type them, stop words left out.

    The same vocabulary bench/attack.py draws its forms from, so the two count alike.
    """
    with SearchEngine(archive[0]) as opened:
        return list(Vocabulary.from_reader(opened._current.searcher.reader()).words)


def _search(engine: SearchEngine, text: str) -> tuple:
    budget = LIMITS.start()
    response = engine.search(SearchRequest(text, per_page=20), budget)
    return response, budget


def _within_limits(budget: SearchBudget) -> None:
    limits = budget.limits
    assert budget.position_reads <= limits.position_reads
    assert budget.documents_checked <= limits.position_reads
    assert budget.expansions <= limits.expansions
    assert budget.scanned_terms <= limits.scanned_terms


def test_one_word_quoted_59_times_reads_no_positions(engine, common_words):
    word = common_words[0]
    text = '"' + " ".join([word] * 59) + '"'
    assert len(text) <= 300
    response, budget = _search(engine, text)
    # No thread holds the word 59 times: the counts in the posting list say so.
    assert response.total == 0 and not response.partial
    assert budget.documents_checked == 0 and budget.position_reads == 0


def test_17_quoted_repeated_word_pairs_are_bounded(engine, common_words):
    text = " ".join(f'"{w} {w}"' for w in common_words[:17])
    response, budget = _search(engine, text)
    _within_limits(budget)
    assert budget.position_blocks <= LIMITS.position_blocks
    assert response.partial  # 17 phrases: more than are checked


def test_25_quoted_pairs_of_common_words_are_bounded(engine, common_words):
    short = [w for w in common_words if len(w) <= 5]
    pairs = [f'"{short[i % len(short)]} {short[(3 * i + 1) % len(short)]}"' for i in range(25)]
    response, budget = _search(engine, " ".join(pairs)[:300])
    _within_limits(budget)
    assert budget.position_blocks <= LIMITS.position_blocks
    assert response.partial


def test_70_two_letter_prefixes_share_one_budget(engine):
    reader = engine._current.searcher.reader()
    counts: dict[str, int] = {}
    for raw in reader.lexicon("symptoms"):
        if raw[:2].isalpha():
            counts[raw[:2].decode()] = counts.get(raw[:2].decode(), 0) + 1
    prefixes = sorted(counts, key=lambda p: -counts[p])[:70]
    assert len(prefixes) == 70
    response, budget = _search(engine, " ".join(f"{p}*" for p in prefixes))
    _within_limits(budget)
    assert response.partial and response.total > 0


def test_fuzzy_on_every_word_of_a_long_query_is_bounded(engine, common_words):
    words = [w for w in common_words if len(w) >= 5]
    text = " ".join(f"{w}~2" for w in words)[:300].rsplit(" ", 1)[0]
    assert text.count("~2") >= 25
    response, budget = _search(engine, text)
    _within_limits(budget)
    assert response.partial and response.total > 0


def test_a_real_phrase_still_finds_its_thread_among_hostile_ones(engine, archive, common_words):
    thread = next(t for t in archive[1] if len(t.question.split()) > 12)
    quote = '"' + " ".join(thread.question.split()[3:8]) + '"'  # five words of its question
    alone, budget = _search(engine, quote)
    assert thread.id in {hit.id for hit in alone.results} and not alone.partial
    _within_limits(budget)
    # First among 17 phrases: the phrases typed first are the ones checked.
    hostile = " ".join([quote] + [f'"{w} {w}"' for w in common_words[:16]])
    response, budget = _search(engine, hostile)
    assert response.partial
    _within_limits(budget)
    gen = engine._current
    budget = LIMITS.start()
    matched = gen.matcher.mask(gen.builder.build(hostile, budget), budget)
    assert matched[gen.searcher.document_number(id=thread.id)]


def test_one_prefix_and_one_fuzzy_word_are_whole(engine, common_words):
    word = next(w for w in common_words if len(w) >= 6)
    prefix, budget = _search(engine, f"{word[:4]}*")
    assert not prefix.partial and prefix.total >= _search(engine, word)[0].total > 0
    _within_limits(budget)
    typo = word[:-1] + ("x" if word[-1] != "x" else "y")
    fuzzy, budget = _search(engine, f"{typo}~")
    assert not fuzzy.partial and fuzzy.total >= _search(engine, word)[0].total
    _within_limits(budget)
