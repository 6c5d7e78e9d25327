"""The benchmark reports each worker's PSS beside its RSS, and names the sample generator
behind every figure (figures of archives from different generators do not compare)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.archive import ensure_archive, generator_digest, recorded_generator_digest
from bench.processes import memory_rollup
from bench.report import render_growth, render_markdown, render_table


def test_memory_rollup_splits_a_process_into_shared_and_own_memory() -> None:
    # A child that maps a file and touches it: file-backed pages show in RSS and PSS.
    code = ("import mmap, sys; f = open(sys.executable, 'rb'); "
            "m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ); "
            "sum(m[i] for i in range(0, len(m), 4096)); sys.stdout.write('ok\\n'); "
            "sys.stdout.flush(); sys.stdin.read()")  # fmt: skip
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout.readline() == "ok\n"
        rollup = memory_rollup(child.pid)
    finally:
        child.communicate("")
    assert 0 < rollup["pss_mb"] <= rollup["rss_mb"]
    assert rollup["pss_file_mb"] > 0 and rollup["pss_anon_mb"] > 0
    assert abs(rollup["pss_anon_mb"] + rollup["pss_file_mb"] - rollup["pss_mb"]) < 1
    assert memory_rollup(child.pid) == {}  # gone: nothing, not an error


def test_memory_rollup_of_this_process() -> None:
    rollup = memory_rollup(os.getpid())
    assert rollup["rss_mb"] >= rollup["pss_mb"] > 0


def _figures(digest: str | None) -> dict:
    return {
        "threads": 1000, "archive": {"path": "/a", "seed": 1, "generator_digest": digest},
        "build": {"project": {"wall_s": 1.0, "threads_per_s": 1000.0, "generation_bytes": 1,
                              "peak_rss_bytes": 1},
                  "fts5": {"wall_s": 1.0, "db_bytes": 1}},
        "query": {"project": {"p50_ms": 1.0, "p95_ms": 2.0, "cpu": {"p50_ms": 0.5,
                                                                     "p95_ms": 1.5}},
                  "fts5": {"p50_ms": 3.0, "p95_ms": 4.0}},
        "web": {"distinct": {"requests_per_s": 200.0, "p50_ms": 5.0, "p99_ms": 9.0,
                             "errors": 0},
                "zipf": {"requests_per_s": 300.0, "p50_ms": 4.0, "p99_ms": 8.0, "errors": 0},
                "memory": {"workers_rss_mb": [120.0, 110.0], "max_worker_rss_mb": 120.0,
                           "workers_pss_mb": [70.0, 65.0], "max_worker_pss_mb": 70.0,
                           "workers_pss_anon_mb": [50.0, 48.0],
                           "workers_pss_file_mb": [20.0, 17.0]}},
    }  # fmt: skip


def test_reports_name_the_generator_and_show_pss() -> None:
    figures = _figures("0123abcd")
    for text in (render_table(figures), render_markdown(figures)):
        assert "generator 0123abcd" in text
        assert "70.0, 65.0" in text and "50.0 / 20.0" in text
        assert "0.5 / 1.5" in text  # CPU time
    growth = render_growth([figures])
    assert "120.0 / 70.0" in growth and "0123abcd" in growth
    assert "generator unknown" in render_table(_figures(None))


def test_archives_record_their_generator(tmp_path: Path) -> None:
    given = tmp_path / "mine"
    given.mkdir()
    assert ensure_archive(10, 1, tmp_path / "cache", given).generator_digest is None
    cached = tmp_path / "cache" / "sample-10-seed1"
    cached.mkdir(parents=True)
    marker = cached.with_name(cached.name + ".complete.json")
    marker.write_text(json.dumps({"generator_digest": generator_digest()}))
    info = ensure_archive(10, 1, tmp_path / "cache", None)  # reused, not generated
    assert info.generator_digest == generator_digest() == recorded_generator_digest(cached)
    assert recorded_generator_digest(given) is None
