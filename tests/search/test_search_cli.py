"""`qasearch search` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search.cli import search_command
from web.cli import main


def run(*args):
    return CliRunner().invoke(search_command, [str(a) for a in args])


def test_text_output(index_dir):
    result = run("kidney stone", "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 threads")
    assert "Kidney Stone Pain" in result.output
    assert "[kidney] [stone]" in result.output.lower()
    assert "Urology (1)" in result.output


def test_json_output_is_the_api_shape(index_dir):
    result = run("rash", "--index", index_dir, "--format", "json", "--specialty", "Dermatology",
                 "--limit", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "query", "corrected", "total", "page", "results", "facets", "suggestion", "partial",
        "common_words_only",
    }
    assert data["partial"] is False
    assert set(data["facets"]) == {"specialty", "doctor", "year", "sex", "age"}
    assert len(data["results"]) == 1 and data["results"][0]["specialty"] == "Dermatology"
    assert data["facets"]["specialty"]["Dermatology"] == data["total"]


def test_sort_page_and_doctor(index_dir):
    result = run("", "--index", index_dir, "--format", "json", "--sort", "oldest",
                 "--doctor", "Wu Yuxin", "--page", "2", "--limit", "2")
    data = json.loads(result.output)
    assert data["page"] == 2 and data["total"] == 4
    assert [r["id"] for r in data["results"]] == ["t001", "t002"]


def test_asker_filters_and_the_doctor_named_as_on_the_web(index_dir):
    result = run("", "--index", index_dir, "--year-from", "2016", "--year-to", "2019",
                 "--sex", "female", "--age", "20~29")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("4 threads")
    assert "answered by Wu Yuxin" in result.output and "Dr. " not in result.output
    assert "Year asked:" in result.output and "2016 (1)" in result.output


def test_correction_is_shown_and_exact_turns_it_off(index_dir):
    result = run("dermatitis rashh", "--index", index_dir)
    assert "Showing results for: dermatitis rash" in result.output
    assert "--exact" in result.output
    result = run("dermatitis rashh", "--index", index_dir, "--exact")
    assert "Did you mean: dermatitis rash" in result.output
    assert "1 threads" in result.output


def test_bad_parameters_exit_2_with_a_message(index_dir):
    for args in (["--sort", "best"], ["--page", "0"], ["--limit", "1000"], ["--format", "xml"]):
        result = run("rash", "--index", index_dir, *args)
        assert result.exit_code == 2, args
        assert "Invalid value" in result.output
    result = run("x" * 6000, "--index", index_dir)
    assert result.exit_code == 2 and "too long" in result.output


def test_missing_index_is_a_clear_message(tmp_path):
    result = run("rash", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert "no index at" in result.output and "reindex" in result.output


def test_registered_in_the_qasearch_group(index_dir):
    result = CliRunner().invoke(main, ["search", "cough", "--index", str(index_dir)])
    assert result.exit_code == 0 and "Persistent Cough at Night" in result.output


def test_index_is_required():
    result = run("rash")
    assert result.exit_code == 2 and "--index" in result.output
