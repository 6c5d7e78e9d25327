"""A full disk anywhere in a reindex (segments, store shards and their merge, fsync, the
switch) fails the run with one line, no traceback, and the live index keeps answering.

The disk is filled by monkeypatching the write paths to fail as a full disk does:
OSError(ENOSPC) from the os (Whoosh's files, fsync) and sqlite's "database or disk is
full" (the thread store)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from reindex_fixtures import make_threads
from whoosh.index import open_dir

from indexer.build import reindex as reindex_module
from indexer.build import segment_build
from indexer.build.disk_space import OutOfSpaceError, is_disk_full
from indexer.build.reindex import build_index, full_reindex, incremental_reindex
from indexer.reindex_cli import reindex_command
from search.index.generations import current_generation
from search.index.thread_store import ThreadStore


def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _sqlite_full(*_args: object, **_kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


class _FullDiskConnection:
    """A sqlite connection to a disk with no room: reading works, inserting does not."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self._real = real

    def execute(self, sql: str, *args: object) -> object:
        if sql.lstrip().upper().startswith("INSERT"):
            _sqlite_full()
        return self._real.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


@pytest.fixture
def live(tmp_path: Path, write_file, small_page) -> tuple[Path, Path, str]:
    """An index with a live generation of 3 threads, and an archive of 5 pages."""
    index = tmp_path / "index"
    build_index(make_threads(3), index)
    for n in range(5):
        write_file(f"archive/{n:03d}_page.txt", small_page.replace("Knee", f"Knee{n}"))
    return index, tmp_path / "archive", current_generation(index).name


def _still_answers(index: Path, generation: str) -> None:
    assert current_generation(index).name == generation
    with open_dir(current_generation(index)).searcher() as searcher:
        assert searcher.doc_count() == 3
    assert not list(index.glob("building-*"))  # the half-built one is gone, space given back


def _fill_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "segments":
        monkeypatch.setattr(segment_build._ShardWriter, "add", _enospc)
    elif where == "store shard":
        monkeypatch.setattr(ThreadStore, "put_encoded", _sqlite_full)
    elif where == "store merge":
        real_connect = sqlite3.connect
        monkeypatch.setattr(segment_build.sqlite3, "connect",
                            lambda *a, **k: _FullDiskConnection(real_connect(*a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(reindex_module, "fsync_tree", _enospc)
    elif where == "switch":
        monkeypatch.setattr(reindex_module, "switch_to", _enospc)


WHERE = ["segments", "store shard", "store merge", "fsync", "switch"]


@pytest.mark.parametrize("where", WHERE)
def test_a_full_disk_fails_the_build_in_one_line_and_keeps_the_live_index(
    live, monkeypatch, where
):
    index, archive, generation = live
    _fill_disk(monkeypatch, where)
    with pytest.raises(OutOfSpaceError) as error:
        full_reindex([archive], index, procs=1)
    message = str(error.value)
    assert "\n" not in message and f"out of disk space in {index}" in message
    assert "the live index is unchanged" in message
    monkeypatch.undo()
    _still_answers(index, generation)


@pytest.mark.parametrize("where", ["segments", "store shard", "store merge"])
def test_the_cli_prints_one_line_and_exits_1(live, monkeypatch, where):
    index, archive, generation = live
    _fill_disk(monkeypatch, where)
    result = CliRunner().invoke(reindex_command, [str(archive), "--index", str(index),
                                                  "--procs", "1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "OperationalError" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: out of disk space in ")
    monkeypatch.undo()
    _still_answers(index, generation)


@pytest.mark.slow
def test_a_worker_meeting_a_full_disk_is_told_in_one_line(live, monkeypatch):
    """The same in parallel workers (forked: they inherit the patched writer)."""
    index, archive, generation = live
    _fill_disk(monkeypatch, "segments")
    result = CliRunner().invoke(reindex_command, [str(archive), "--index", str(index),
                                                  "--procs", "2"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: out of disk space in ")
    monkeypatch.undo()
    _still_answers(index, generation)


def test_an_incremental_run_on_a_full_disk_says_so_in_one_line(live, monkeypatch):
    index, archive, generation = live
    monkeypatch.setattr(ThreadStore, "put_encoded", _sqlite_full)
    with pytest.raises(OutOfSpaceError, match="run it again once there is space"):
        incremental_reindex([archive], index)


def test_only_a_full_disk_counts_as_one():
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_disk_full(sqlite3.OperationalError("database or disk is full"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))
    assert not is_disk_full(ValueError("no space left on device"))
