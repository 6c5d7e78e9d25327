"""A reindex killed mid-build (kill -9, Ctrl-C) leaves the live index answering, and
no worker process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from child_processes import WAIT_SECONDS, children_of, spawned, still_running, wait_for
from reindex_fixtures import make_threads
from whoosh.index import open_dir

from indexer.build.lock import lock_holder
from indexer.build.reindex import build_index
from indexer.sample.generator import generate_threads
from search.index.generations import current_generation

pytestmark = pytest.mark.slow

TESTS_DIR = Path(__file__).resolve().parent
ORPHAN_GRACE_SECONDS = 5  # the promise: no worker left 5 s after the kill


def slow_build_argv(index_dir: Path) -> list[str]:
    """A child running a 2-process build whose input trickles in; prints once it is building."""
    # Python leaves Ctrl-C ignored when it starts with SIGINT ignored, as a shell's
    # background job (`make test &`) does: the child takes Ctrl-C as a terminal gives it.
    script = textwrap.dedent(f"""
        import signal, sys, time
        signal.signal(signal.SIGINT, signal.default_int_handler)
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
    return [sys.executable, "-c", script]


def live_doc_count(index_dir: Path) -> int:
    with open_dir(current_generation(index_dir)).searcher() as searcher:
        return searcher.doc_count()


def building_dirs(index_dir: Path) -> list[Path]:
    return list(index_dir.glob("building-*"))


def test_kill_9_mid_build_leaves_live_index_and_debris_is_cleaned(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name
    with spawned(slow_build_argv(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                 text=True) as child:
        assert child.stdout.readline().strip() == "building"
        assert building_dirs(tmp_path)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=WAIT_SECONDS)
    assert current_generation(tmp_path).name == live
    assert live_doc_count(tmp_path) == 5
    assert building_dirs(tmp_path)  # debris until the next run
    # Orphaned workers die with their parent; the kernel has released the lock.
    assert wait_for(lambda: lock_holder(tmp_path) is None, timeout=30)
    build_index(make_threads(7), tmp_path)
    assert building_dirs(tmp_path) == []
    assert live_doc_count(tmp_path) == 7


def test_kill_9_of_a_reindex_leaves_no_worker_behind(tmp_path):
    """`qasearch reindex --procs 2` of a few thousand threads, killed -9 while its workers
    are busy: 5 s later none of them is left (they used to block in a pipe read)."""
    # JSON Lines reads faster than the workers index, so the job queue is full and a
    # batch is half written into the pipe when the kill lands: the case that hung.
    archive = tmp_path / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as out:
        for thread in generate_threads(3000, seed=2):
            out.write(json.dumps(thread.to_dict()) + "\n")
    index = tmp_path / "index"
    argv = [sys.executable, "-c", "from web.cli import main; main()",
            "reindex", str(archive), "--index", str(index), "--procs", "2"]  # fmt: skip
    with spawned(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:
        # Mid-build: both workers forked and batches flowing to them.
        assert wait_for(lambda: len(children_of(child.pid)) >= 2 and building_dirs(index)
                        or child.poll() is not None, timeout=WAIT_SECONDS)
        workers = children_of(child.pid)
        assert child.poll() is None and len(workers) >= 2, "the build ended before the kill"
        time.sleep(0.5)  # let batches be in flight through the job pipe
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=WAIT_SECONDS)
        wait_for(lambda: not still_running(workers), timeout=ORPHAN_GRACE_SECONDS)
        left = still_running(workers)
        assert left == [], f"workers {left} outlived their parent by {ORPHAN_GRACE_SECONDS} s"
    assert wait_for(lambda: lock_holder(index) is None, timeout=30)


def test_ctrl_c_mid_build_removes_the_building_dir(tmp_path):
    build_index(make_threads(5), tmp_path)
    live = current_generation(tmp_path).name
    with spawned(slow_build_argv(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                 text=True) as child:
        assert child.stdout.readline().strip() == "building"
        os.killpg(child.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        # communicate() waits for the pipes' end too: no worker may keep them open.
        _, stderr = child.communicate(timeout=WAIT_SECONDS)
        assert child.returncode != 0
        assert "KeyboardInterrupt" in stderr
    assert current_generation(tmp_path).name == live
    assert live_doc_count(tmp_path) == 5
    assert building_dirs(tmp_path) == []
