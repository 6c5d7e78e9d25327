"""FIFOs and devices are refused, never opened for reading: given as a source they fail
the run with one line before the reindex lock is taken; inside a folder they are skipped
with a reason like any unreadable page."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from reindex_fixtures import make_threads

from indexer.archive.jsonl import read_jsonl
from indexer.archive.records import ParseError
from indexer.archive.sources import read_sources
from indexer.build.reindex import ReindexError, build_index, full_reindex, incremental_reindex
from indexer.cli import parse_command
from indexer.reindex_cli import reindex_command
from search.index.generations import LOCK_FILE, current_generation

FIFO_REASON = "a named pipe (FIFO), not a regular file"


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe called `threads.jsonl`. Should anything open it for reading after
    all, a writer comes along after a while and the test fails instead of hanging."""
    path = tmp_path / "threads.jsonl"
    os.mkfifo(path)
    done = threading.Event()

    def unblock() -> None:
        if not done.wait(20):
            with contextlib.suppress(OSError), open(path, "wb"):
                pass

    guard = threading.Thread(target=unblock, daemon=True)
    guard.start()
    yield path
    done.set()
    guard.join(30)


def test_a_fifo_given_as_jsonl_is_refused_before_the_lock(fifo, tmp_path):
    index = tmp_path / "index"
    for run in (full_reindex, incremental_reindex):
        with pytest.raises(ReindexError, match=r"named pipe \(FIFO\), not a page file") as error:
            run([fifo], index)
        assert str(fifo) in str(error.value) and "\n" not in str(error.value)
    assert not (index / LOCK_FILE).exists()  # never got as far as the lock


def test_a_device_given_as_a_source_is_refused(tmp_path):
    with pytest.raises(ReindexError, match="character device"):
        full_reindex([Path("/dev/null")], tmp_path / "index")


def test_the_live_index_is_untouched_and_the_cli_says_one_line(fifo, tmp_path):
    index = tmp_path / "index"
    build_index(make_threads(3), index)
    live = current_generation(index).name
    result = CliRunner().invoke(reindex_command, [str(fifo), "--index", str(index)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and FIFO_REASON.split(",")[0] in lines[0] and str(fifo) in lines[0]
    assert "Traceback" not in result.output
    assert current_generation(index).name == live


def test_a_fifo_inside_a_folder_is_skipped_with_its_reason(tmp_path, write_file, small_page):
    write_file("archive/good.txt", small_page)
    os.mkfifo(tmp_path / "archive" / "pipe.txt")
    items = list(read_sources([tmp_path / "archive"]))
    assert items[1] == ParseError(str(tmp_path / "archive" / "pipe.txt"), FIFO_REASON)
    summary = full_reindex([tmp_path / "archive"], tmp_path / "index")
    assert summary.threads == 1
    assert [str(error) for error in summary.skipped] == [
        f"{tmp_path / 'archive' / 'pipe.txt'}: {FIFO_REASON}"
    ]


def test_reading_a_fifo_directly_never_blocks(fifo):
    assert list(read_jsonl(fifo)) == [ParseError(str(fifo), FIFO_REASON)]
    result = CliRunner().invoke(parse_command, [str(fifo)])
    assert result.exit_code == 1 and FIFO_REASON in result.output
