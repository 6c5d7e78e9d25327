"""index_stats() and `qasearch stats`."""

from __future__ import annotations

import json

from click.testing import CliRunner
from reindex_fixtures import make_threads

from indexer.build.reindex import build_index, index_stats
from indexer.build.stats import format_stats
from indexer.reindex_cli import stats_command
from search.index.generations import current_generation


def test_index_stats_reports_the_live_generation(tmp_path):
    build_index(make_threads(9), tmp_path)
    stats = index_stats(tmp_path)
    assert stats["generation"] == current_generation(tmp_path).name
    assert stats["threads"] == stats["documents"] == 9
    assert stats["specialties"] == {
        "Dermatology": 3, "Internal Medicine": 2, "Obstetrics and Gynecology": 2,
        "Otolaryngology": 2,
    }
    assert stats["size_bytes"] > 0
    assert stats["built_at"].endswith("Z")
    assert stats["reindex_running"] is None
    text = format_stats(stats)
    assert "threads:    9" in text
    assert "Dermatology" in text and stats["generation"] in text
    assert stats["read_path"] == {"posting_arrays": True, "documents_in_arrays": 9,
                                  "documents_in_segments": 9}  # fmt: skip
    assert "read path:  posting arrays\n" in text


def test_stats_tell_how_much_an_incremental_run_left_to_whoosh(tmp_path):
    from indexer.build.reindex import update_index

    build_index(make_threads(9), tmp_path)
    update_index(make_threads(12), tmp_path)
    stats = index_stats(tmp_path)
    assert stats["read_path"]["documents_in_arrays"] == 9
    assert stats["read_path"]["documents_in_segments"] == 12
    assert "posting arrays for 9 of 12 documents" in format_stats(stats)


def test_stats_command_text_and_json(tmp_path):
    build_index(make_threads(5), tmp_path)
    runner = CliRunner()
    text = runner.invoke(stats_command, ["--index", str(tmp_path)])
    assert text.exit_code == 0, text.output
    assert "threads:    5" in text.output
    as_json = runner.invoke(stats_command, ["--index", str(tmp_path), "--format", "json"])
    assert as_json.exit_code == 0
    data = json.loads(as_json.output)
    assert data["threads"] == 5
    assert sum(data["specialties"].values()) == 5


def test_stats_without_an_index_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(stats_command, ["--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "qasearch reindex" in result.output
    assert "Traceback" not in result.output
