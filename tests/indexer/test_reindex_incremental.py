"""Incremental reindex: add, change and delete in place on the live generation."""

from __future__ import annotations

import dataclasses

import pytest
from reindex_fixtures import make_thread, make_threads
from whoosh.index import open_dir
from whoosh.query import Term

from indexer.archive.records import ParseError
from indexer.build.reindex import StrictModeError, build_index, update_index
from search.index.generations import THREAD_STORE_FILE, current_generation, read_meta
from search.index.thread_store import ThreadStore


def search_ids(index_dir, field, word):
    with open_dir(current_generation(index_dir)).searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(Term(field, word), limit=None))


def stored(index_dir, thread_id):
    with ThreadStore(current_generation(index_dir) / THREAD_STORE_FILE) as store:
        return store.get(thread_id)


def test_incremental_adds_changes_and_deletes(tmp_path):
    threads = make_threads(10)
    build_index(threads, tmp_path)
    live = current_generation(tmp_path).name

    changed = dataclasses.replace(threads[3], title="Swollen knee after football")
    new = make_thread(50)
    # thread 7 is gone from the sources
    sources = [t for t in threads if t.id not in {"003_thread", "007_thread"}] + [changed, new]
    summary = update_index(sources, tmp_path)

    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (1, 1, 1, 8)
    assert summary.threads == 10
    assert current_generation(tmp_path).name == live  # in place, no new generation
    assert search_ids(tmp_path, "title", "knee") == ["003_thread"]
    assert search_ids(tmp_path, "title", "topic3") == []
    assert search_ids(tmp_path, "title", "topic50") == ["050_thread"]
    assert search_ids(tmp_path, "title", "topic7") == []
    assert stored(tmp_path, "003_thread")["title"] == "Swollen knee after football"
    assert stored(tmp_path, "050_thread")["id"] == "050_thread"
    assert stored(tmp_path, "007_thread") is None
    with open_dir(current_generation(tmp_path)).searcher() as searcher:
        assert searcher.doc_count() == 10
    meta = read_meta(current_generation(tmp_path))
    assert meta["threads"] == 10
    assert meta["updated_at"].endswith("Z")


def test_incremental_with_nothing_changed_writes_nothing(tmp_path):
    threads = make_threads(6)
    build_index(threads, tmp_path)
    summary = update_index(threads, tmp_path)
    assert (summary.written, summary.unchanged, summary.deleted) == (0, 6, 0)
    assert "0 added, 0 updated, 0 deleted, 6 unchanged" in summary.describe()


def test_moved_thread_is_not_a_change(tmp_path):
    build_index([make_thread(1)], tmp_path)
    summary = update_index([make_thread(1, source="moved/elsewhere.jsonl")], tmp_path)
    assert summary.unchanged == 1 and summary.written == 0


def test_incremental_strict_failure_touches_nothing(tmp_path):
    threads = make_threads(4)
    build_index(threads, tmp_path)
    items = [make_thread(60), ParseError("bad.txt", "truncated page"), *threads[1:]]
    with pytest.raises(StrictModeError):
        update_index(items, tmp_path, strict=True)
    assert search_ids(tmp_path, "title", "topic60") == []
    assert search_ids(tmp_path, "title", "topic0") == ["000_thread"]
    assert stored(tmp_path, "000_thread") is not None


def test_incremental_skips_bad_pages_without_deleting_others(tmp_path):
    build_index(make_threads(3), tmp_path)
    summary = update_index([*make_threads(3), ParseError("x.txt", "empty page")], tmp_path)
    assert summary.skipped_text() == "1 skipped: 1 empty page"
    assert summary.threads == 3
