"""refresh(): a new generation or an incremental commit is picked up, cheaply."""

from __future__ import annotations

from dataclasses import replace

from indexer.build.reindex import build_index, update_index
from search.engine import SearchEngine
from search.request import SearchRequest


def test_refresh_switches_to_a_new_generation(tmp_path, threads):
    THREADS = threads
    build_index(THREADS[:5], tmp_path)
    with SearchEngine(tmp_path, refresh_interval=0) as engine:
        first = engine.generation
        assert engine.refresh() is False
        assert engine.search(SearchRequest("")).total == 5
        build_index(THREADS, tmp_path)
        assert engine.refresh() is True
        assert engine.generation != first
        assert engine.search(SearchRequest("")).total == len(THREADS)
        assert engine.get_thread("t013") is not None
        assert engine.refresh() is False


def test_refresh_picks_up_an_incremental_commit(tmp_path, threads):
    THREADS = threads
    build_index(THREADS[:5], tmp_path)
    with SearchEngine(tmp_path, refresh_interval=0) as engine:
        changed = replace(THREADS[0], question="Now about a quixotic new symptom.")
        update_index([changed, *THREADS[1:6]], tmp_path)
        assert engine.refresh() is True
        assert [h.id for h in engine.search(SearchRequest("quixotic")).results] == ["t001"]
        response = engine.search(SearchRequest(""))
        assert response.total == 6
        assert sum(response.facets.specialty.values()) == 6


def test_refresh_is_throttled(tmp_path, threads):
    THREADS = threads
    build_index(THREADS[:2], tmp_path)
    with SearchEngine(tmp_path, refresh_interval=3600) as engine:
        build_index(THREADS[:3], tmp_path)
        assert engine.refresh() is False  # not looked at yet: cheap per request


def test_a_broken_switch_keeps_the_open_generation(tmp_path, threads):
    build_index(threads[:4], tmp_path)
    with SearchEngine(tmp_path, refresh_interval=0) as engine:
        (tmp_path / "CURRENT").write_text("gen-does-not-exist\n")
        assert engine.refresh() is False
        assert "gen-does-not-exist" in engine.refresh_error
        assert engine.search(SearchRequest("")).total == 4
