"""`qasearch reindex` leaves its outcome in last-reindex.json, whatever happened."""

from __future__ import annotations

import time

from click.testing import CliRunner

from indexer.build.lock import reindex_lock
from indexer.reindex_cli import reindex_command
from search.index.reindex_status import (
    STATUS_FILE,
    ReindexStatus,
    read_reindex_status,
    write_reindex_status,
)


def write_archive(write_file, small_page, count: int) -> None:
    for n in range(count):
        write_file(f"archive/{n:03d}_page.txt", small_page.replace("Knee", f"Knee{n}"))


def test_a_successful_run_records_its_mode_outcome_and_duration(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 3)
    index = tmp_path / "index"
    before = time.time()
    runner = CliRunner()
    assert (
        runner.invoke(reindex_command, [str(tmp_path / "archive"), "--index", str(index)]).exit_code
        == 0
    )
    status = read_reindex_status(index)
    assert status is not None and (status.mode, status.outcome) == ("full", "ok")
    assert before <= status.started_at <= status.finished_at <= time.time()
    assert status.duration_seconds == round(status.finished_at - status.started_at, 3)
    result = runner.invoke(
        reindex_command, [str(tmp_path / "archive"), "--index", str(index), "--incremental"]
    )
    assert result.exit_code == 0
    assert read_reindex_status(index).mode == "incremental"


def test_a_failed_run_is_recorded_and_the_live_index_kept(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 2)
    index = tmp_path / "index"
    runner = CliRunner()
    assert (
        runner.invoke(reindex_command, [str(tmp_path / "archive"), "--index", str(index)]).exit_code
        == 0
    )
    write_file("archive/bad.txt", "<html>not a thread</html>")
    result = runner.invoke(
        reindex_command, [str(tmp_path / "archive"), "--index", str(index), "--strict"]
    )
    assert result.exit_code == 1
    status = read_reindex_status(index)
    assert (status.mode, status.outcome) == ("full", "failed")


def test_a_run_refused_by_the_lock_leaves_the_running_ones_record(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 1)
    index = tmp_path / "index"
    index.mkdir()
    earlier = ReindexStatus("full", "ok", 1.0, 2.0, 1.0)
    write_reindex_status(index, earlier)
    with reindex_lock(index):
        result = CliRunner().invoke(
            reindex_command, [str(tmp_path / "archive"), "--index", str(index)]
        )
    assert result.exit_code == 1
    assert read_reindex_status(index) == earlier


def test_an_unreadable_status_file_reads_as_none(tmp_path) -> None:
    assert read_reindex_status(tmp_path) is None
    (tmp_path / STATUS_FILE).write_text("{not json")
    assert read_reindex_status(tmp_path) is None
    (tmp_path / STATUS_FILE).write_text('{"mode": "full", "outcome": "exploded"}')
    assert read_reindex_status(tmp_path) is None
