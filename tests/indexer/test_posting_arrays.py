"""The posting arrays written at reindex hold exactly Whoosh's postings, and search reads
them without changing any answer: after a full build of many segments, after incremental
runs, and when they are missing or do not fit (then Whoosh answers alone)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from reindex_fixtures import make_thread

from indexer.build import posting_arrays as writer
from indexer.build import segment_build
from indexer.build.reindex import build_index, update_index
from search.budget import SearchLimits
from search.engine import SearchEngine
from search.index.generations import current_generation
from search.index.posting_arrays import FIELDS, META_FILE, PostingArrays, field_path
from search.request import SearchRequest
from search.results.matching import DocMatcher
from search.results.ranking import field_lengths

QUERIES = ["headache", "pain in my lower back after lifting", "fever cough night",
           '"two weeks"', "rash -itch", "doctor:chen", "specialty:urology pain", "derma*",
           "stomch~", "the", "x-ray of the chest and a blood test", ""]  # fmt: skip
# Answers are compared whole: a deadline met under a loaded machine would cut one short.
NO_DEADLINE = SearchLimits(seconds=None)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list:
    from indexer.sample.generator import generate_threads

    return list(generate_threads(240, seed=7))


def _build_in_many_segments(threads: list, directory: Path, procs: int) -> Path:
    """A segment closed after every small batch, and a merge that assembles a few
    hundred postings at a time: docnum offsets and chunk edges everywhere."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segment_build, "BATCH_SIZE", 15)
        patch.setattr(segment_build, "SEGMENT_MB", 0.01)
        patch.setattr(writer, "MERGE_CHUNK_POSTINGS", 300)
        build_index(threads, directory, procs=procs)
    return directory


@pytest.fixture(scope="module")
def many_segments(generated: list, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_in_many_segments(
        generated[:90], tmp_path_factory.mktemp("arrays-many-segments"), procs=1
    )


def _whoosh_only(engine: SearchEngine) -> DocMatcher:
    gen = engine._current
    return DocMatcher(gen.searcher, gen.live)


def _assert_same_postings(engine: SearchEngine) -> int:
    """Every term of every covered field: the same docnums, weights and frequency."""
    gen = engine._current
    reader = gen.searcher.reader()
    whoosh = _whoosh_only(engine)
    compared = 0
    for fieldname in FIELDS:
        terms = [text for field, text in reader.all_terms() if field == fieldname]
        for term in terms:
            ids, weights = gen.matcher.postings(fieldname, term)
            expected_ids, expected_weights = whoosh.postings(fieldname, term)
            assert np.array_equal(ids, expected_ids), (fieldname, term)
            assert weights.dtype == expected_weights.dtype
            assert np.array_equal(weights, expected_weights), (fieldname, term)
            word = term.decode("utf-8")
            for probe in (word, word + "q", word[:-1]):  # present and absent terms
                expected = reader.doc_frequency(fieldname, probe)
                assert gen.matcher.doc_frequency(fieldname, probe) == expected, probe
            compared += 1
        assert np.array_equal(gen.ranker.lengths[fieldname],
                              field_lengths(gen.searcher, fieldname))  # fmt: skip
    return compared


def _responses(engine: SearchEngine) -> list:
    found = []
    for text in QUERIES:
        for specialties in ((), ("Dermatology",)):
            response = engine.search(SearchRequest(text, specialties=specialties, per_page=50))
            found.append((response.total, [(h.id, h.score) for h in response.results],
                          response.facets))  # fmt: skip
    return found


@pytest.fixture
def without_arrays(tmp_path: Path) -> Iterator:
    """A copy of an index with the arrays' metadata removed: Whoosh answers alone."""

    def copy(index_dir: Path) -> SearchEngine:
        target = tmp_path / "whoosh-only"
        shutil.copytree(index_dir, target)
        (current_generation(target) / META_FILE).unlink()
        return SearchEngine(target, limits=NO_DEADLINE)

    yield copy


def _assert_arrays_hold_whooshs_postings(index_dir: Path) -> None:
    with SearchEngine(index_dir, limits=NO_DEADLINE) as engine:
        gen = engine._current
        assert gen.matcher.arrays is not None
        assert len(gen.searcher.leaf_searchers()) > 4  # the build made many
        reader = gen.searcher.reader()
        for fieldname in FIELDS:
            vocabulary = [t for f, t in reader.all_terms() if f == fieldname]
            assert gen.matcher.arrays.fields[fieldname].term_count() == len(vocabulary)
        assert _assert_same_postings(engine) > 1000
    assert not list(current_generation(index_dir).glob(f"{writer.PART_PREFIX}*"))


def test_arrays_hold_whooshs_postings_for_every_term(many_segments: Path) -> None:
    _assert_arrays_hold_whooshs_postings(many_segments)


@pytest.mark.slow
def test_arrays_of_parallel_workers_hold_whooshs_postings(generated: list, tmp_path: Path) -> None:
    """Two build workers: segments arrive in the order the workers finish."""
    _assert_arrays_hold_whooshs_postings(_build_in_many_segments(generated, tmp_path, procs=2))


def test_searching_the_arrays_answers_as_whoosh_does(many_segments: Path, without_arrays) -> None:
    with (SearchEngine(many_segments, limits=NO_DEADLINE) as engine,
          without_arrays(many_segments) as plain):
        assert plain._current.matcher.arrays is None
        assert _responses(engine) == _responses(plain)


@pytest.mark.slow
def test_incremental_runs_keep_the_arrays_for_the_segments_they_leave(
    generated: list, tmp_path: Path, without_arrays
) -> None:
    index_dir = tmp_path / "index"
    build_index(generated[:200], index_dir, procs=1)
    covered = json.loads((current_generation(index_dir) / META_FILE).read_text())["segments"]
    for run in range(3):
        changed = [replace(t, question=f"{t.question} now a headache, run {run}")
                   for t in generated[run * 10 : run * 10 + 5]]  # fmt: skip
        kept = generated[run * 10 + 5 : 200 - run * 7]  # the first and last few deleted
        added = [make_thread(900 + run * 20 + n, words="headache") for n in range(15)]
        update_index([*changed, *kept, *added], index_dir)
        with SearchEngine(index_dir, limits=NO_DEADLINE) as engine:
            matcher = engine._current.matcher
            assert matcher.arrays is not None and matcher.arrays.segment_count == len(covered)
            assert matcher._rest  # the added documents come from Whoosh
            _assert_same_postings(engine)
            with without_arrays(index_dir) as plain:
                assert _responses(engine) == _responses(plain)
            shutil.rmtree(tmp_path / "whoosh-only")


def test_arrays_that_do_not_fit_are_not_used(many_segments: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(many_segments, index_dir)
    generation = current_generation(index_dir)
    meta_path = generation / META_FILE
    meta = json.loads(meta_path.read_text())
    with SearchEngine(index_dir, limits=NO_DEADLINE) as engine:
        expected = _responses(engine)
        searcher = engine._current.searcher
        assert PostingArrays.open(generation, searcher) is not None
        for broken in (
            {**meta, "format": meta["format"] + 1},  # a format this program cannot read
            {**meta, "segments": [[name, count + 1] for name, count in meta["segments"]]},
            {**meta, "segments": meta["segments"][::-1]},  # segments in another order
        ):
            meta_path.write_text(json.dumps(broken))
            assert PostingArrays.open(generation, searcher) is None
        meta_path.write_text(json.dumps(meta))
        docs = field_path(generation, "symptoms", "docs")
        docs.write_bytes(docs.read_bytes()[:-8])  # truncated
        assert PostingArrays.open(generation, searcher) is None
    with SearchEngine(index_dir, limits=NO_DEADLINE) as engine:  # still answers, from Whoosh
        assert engine._current.matcher.arrays is None
        assert _responses(engine) == expected
