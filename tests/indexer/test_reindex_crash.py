"""A reindex killed mid-build (kill -9, Ctrl-C) leaves the live index answering."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from reindex_fixtures import make_threads
from whoosh.index import open_dir

from indexer.build.lock import lock_holder
from indexer.build.reindex import build_index
from search.index.generations import current_generation

pytestmark = pytest.mark.slow

TESTS_DIR = Path(__file__).resolve().parent


def start_slow_build(index_dir: Path) -> subprocess.Popen:
    """A child running a 2-process build whose input trickles in; prints once it is building."""
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(TESTS_DIR)!r})
        from reindex_fixtures import make_thread
        from indexer.build.reindex import build_index

        def trickle():
            for n in range(100_000):
                if n == 300:
                    print("building", flush=True)
                if n > 300:
                    time.sleep(0.005)
                yield make_thread(n)

        build_index(trickle(), {str(index_dir)!r}, procs=2)
    """)
    return subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def live_doc_count(index_dir: Path) -> int:
    with open_dir(current_generation(index_dir)).searcher() as searcher:
        return searcher.doc_count()


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def building_dirs(index_dir: Path) -> list[Path]:
    return list(index_dir.glob("building-*"))


def test_kill_9_mid_build_leaves_live_index_and_debris_is_cleaned(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name
    child = start_slow_build(tmp_path)
    try:
        assert child.stdout.readline().strip() == "building"
        assert building_dirs(tmp_path)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.stdout.close()
        child.stderr.close()
    assert current_generation(tmp_path).name == live
    assert live_doc_count(tmp_path) == 5
    assert building_dirs(tmp_path)  # debris until the next run
    # Orphaned workers notice their parent is gone; the kernel has released the lock.
    assert wait_for(lambda: lock_holder(tmp_path) is None)
    build_index(make_threads(7), tmp_path)
    assert building_dirs(tmp_path) == []
    assert live_doc_count(tmp_path) == 7


def test_ctrl_c_mid_build_removes_the_building_dir(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name
    child = start_slow_build(tmp_path)
    try:
        assert child.stdout.readline().strip() == "building"
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=20) != 0
        assert "KeyboardInterrupt" in child.stderr.read()
    finally:
        child.kill()
        child.stdout.close()
        child.stderr.close()
    assert current_generation(tmp_path).name == live
    assert live_doc_count(tmp_path) == 5
    assert building_dirs(tmp_path) == []
