"""Full builds: read back, generation switch and retention, failure leaves the live index."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from reindex_fixtures import make_thread, make_threads
from whoosh.index import open_dir
from whoosh.query import Term

from indexer.archive.records import ParseError
from indexer.build import segment_build
from indexer.build.generation_dirs import RETIRED_GRACE_SECONDS
from indexer.build.reindex import ReindexError, StrictModeError, build_index
from search.index.generations import CURRENT_FILE, THREAD_STORE_FILE, current_generation, read_meta
from search.index.schema import SCHEMA_VERSION
from search.index.thread_store import ThreadStore


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def building_dirs(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("building-"))


def ids_matching(index_dir: Path, field: str, word: str) -> set[str]:
    ix = open_dir(current_generation(index_dir))
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(Term(field, word), limit=None)}


@pytest.mark.parametrize("procs", [1, 2])
def test_build_reads_back_documents_and_threads(tmp_path, procs):
    threads = make_threads(40)
    summary = build_index(threads, tmp_path, procs=procs)
    assert summary.written == summary.threads == 40
    live = current_generation(tmp_path)
    ix = open_dir(live)
    assert ix.doc_count() == 40
    with ix.searcher() as searcher:
        stored = searcher.document(id="007_thread")
    assert stored["title"] == "Red spots number 7 topic7"
    assert stored["specialty"] == threads[7].specialty
    assert stored["doctor"] == "Dr. Doctor2"
    assert stored["asked"] == "2017-06-01"
    assert ids_matching(tmp_path, "title", "topic7") == {"007_thread"}
    with ThreadStore(live / THREAD_STORE_FILE) as store:
        assert store.count() == 40
        assert store.get("007_thread") == json.loads(json.dumps(threads[7].to_dict()))
        assert store.get("nope") is None


def test_meta_describes_the_build(tmp_path):
    build_index(make_threads(8), tmp_path)
    live = current_generation(tmp_path)
    meta = read_meta(live)
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["generation"] == live.name
    assert meta["threads"] == 8
    assert meta["specialties"] == {
        "Dermatology": 2,
        "Internal Medicine": 2,
        "Obstetrics and Gynecology": 2,
        "Otolaryngology": 2,
    }
    assert meta["built_at"].endswith("Z")


def test_switch_keeps_only_the_live_and_the_previous_generation(tmp_path):
    build_index(make_threads(3), tmp_path)
    first = current_generation(tmp_path).name
    build_index(make_threads(4), tmp_path)
    second = current_generation(tmp_path).name
    build_index(make_threads(5), tmp_path)
    third = current_generation(tmp_path).name
    assert generations(tmp_path) == [second, third]
    assert first not in generations(tmp_path)
    assert (tmp_path / CURRENT_FILE).read_text().strip() == third
    assert open_dir(current_generation(tmp_path)).doc_count() == 5


def test_previous_generation_is_dropped_after_its_grace_period(tmp_path):
    build_index(make_threads(3), tmp_path)
    build_index(make_threads(4), tmp_path)
    old = time.time() - RETIRED_GRACE_SECONDS - 60
    os.utime(tmp_path / CURRENT_FILE, (old, old))
    build_index(make_threads(5), tmp_path)
    # The one retired long ago is gone; the one just replaced stays for its grace period.
    assert len(generations(tmp_path)) == 2


def test_failing_build_leaves_the_live_index_and_no_debris(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name

    def exploding():
        yield from make_threads(3, start=100)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        build_index(exploding(), tmp_path)
    assert current_generation(tmp_path).name == live
    assert open_dir(current_generation(tmp_path)).doc_count() == 5
    assert building_dirs(tmp_path) == []


def test_debris_of_a_dead_build_is_removed_by_the_next_run(tmp_path):
    build_index(make_threads(5), tmp_path)
    debris = tmp_path / "building-20200101T000000000000Z-999999"
    debris.mkdir()
    (debris / "half_written_segment").write_bytes(b"x" * 100)
    assert current_generation(tmp_path)  # debris does not disturb readers
    build_index(make_threads(6), tmp_path)
    assert building_dirs(tmp_path) == []


def test_strict_mode_fails_on_a_bad_page_and_keeps_the_live_index(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name
    items = [
        *make_threads(3, start=10),
        ParseError("archive/bad.txt", "not a thread page"),
        *make_threads(3, start=20),
    ]
    with pytest.raises(StrictModeError, match="archive/bad.txt: not a thread page"):
        build_index(items, tmp_path, strict=True)
    assert current_generation(tmp_path).name == live
    assert building_dirs(tmp_path) == []
    assert ids_matching(tmp_path, "title", "topic10") == set()


def test_bad_pages_are_skipped_and_summarised_by_reason(tmp_path):
    items = [
        make_thread(1),
        ParseError("a.txt", "not a thread page: no title line"),
        ParseError("b.txt", "not a thread page: binary data"),
        ParseError("c.txt", "page is 9,000,000 bytes, over the 2,000,000 cap"),
        ParseError("d.txt", "binary file (12% control characters)"),
        make_thread(2),
        make_thread(1, source="other/001_thread.txt"),
    ]
    summary = build_index(items, tmp_path)
    assert summary.written == 2
    assert summary.skipped_by_reason() == {
        "not a thread page": 2, "over the size cap": 1, "binary file": 1,
        "duplicate thread id": 1,
    }
    assert summary.skipped_text() == (
        "5 skipped: 2 not a thread page, 1 over the size cap, 1 binary file, "
        "1 duplicate thread id"
    )
    assert "indexed 2 threads; 5 skipped" in summary.describe()


def test_no_threads_at_all_is_an_error_and_changes_nothing(tmp_path):
    build_index(make_threads(2), tmp_path)
    live = current_generation(tmp_path).name
    with pytest.raises(ReindexError, match="no threads found"):
        build_index([ParseError("x.txt", "empty page")], tmp_path)
    assert current_generation(tmp_path).name == live
    assert building_dirs(tmp_path) == []


@pytest.mark.parametrize("procs", [1, 2])
def test_workers_start_new_segments_instead_of_spilling(tmp_path, monkeypatch, procs):
    monkeypatch.setattr(segment_build, "SEGMENT_MB", 0.02)  # ~20 KB of postings a segment
    monkeypatch.setattr(segment_build, "BATCH_SIZE", 10)
    build_index(make_threads(60), tmp_path, procs=procs)
    ix = open_dir(current_generation(tmp_path))
    assert len(ix._segments()) > procs
    assert ix.doc_count() == 60
    assert ids_matching(tmp_path, "title", "topic42") == {"042_thread"}
    assert ids_matching(tmp_path, "title", "topic3") == {"003_thread"}
