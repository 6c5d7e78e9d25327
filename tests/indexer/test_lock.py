"""One reindex at a time; a lock left by a dead process never blocks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from child_processes import spawned
from reindex_fixtures import make_threads

from indexer.build.lock import ReindexLockedError, lock_holder, reindex_lock
from indexer.build.reindex import build_index
from search.index.generations import LOCK_FILE, current_generation


def test_second_reindex_fails_at_once_naming_the_running_one(tmp_path):
    with reindex_lock(tmp_path) as holder:
        with pytest.raises(ReindexLockedError) as caught:
            build_index(make_threads(3), tmp_path)
        message = str(caught.value)
        assert f"pid {os.getpid()}" in message
        assert holder["started"] in message
        assert "another reindex is running" in message
        assert "wait for it or stop it" in message
        assert lock_holder(tmp_path)["pid"] == os.getpid()
    assert lock_holder(tmp_path) is None
    build_index(make_threads(3), tmp_path)  # free again once released


def test_stale_lock_file_does_not_block(tmp_path):
    (tmp_path / LOCK_FILE).write_text('{"pid": 999999, "host": "gone", "started": "2020"}')
    assert lock_holder(tmp_path) is None
    build_index(make_threads(3), tmp_path)
    assert current_generation(tmp_path)


def test_lock_of_a_killed_process_is_released(tmp_path):
    # A child takes the lock, reports, and is killed -9 without releasing anything.
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from indexer.build.lock import reindex_lock
        with reindex_lock(Path({str(tmp_path)!r})):
            print("locked", flush=True)
            time.sleep(60)
    """)
    with spawned([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout.readline().strip() == "locked"
        assert lock_holder(tmp_path)["pid"] == child.pid
        with pytest.raises(ReindexLockedError, match=f"pid {child.pid}"):
            build_index(make_threads(2), tmp_path)
    assert lock_holder(tmp_path) is None
    build_index(make_threads(2), tmp_path)
