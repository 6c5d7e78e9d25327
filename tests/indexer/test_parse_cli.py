"""`qasearch parse`: output, errors, exit codes, round trip, broken pipe."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer.archive.jsonl import read_jsonl
from indexer.archive.sources import read_sources
from indexer.cli import parse_command
from web.cli import main


def run(*args: str):
    return CliRunner().invoke(parse_command, list(args))


def test_all_good_exits_0_and_prints_one_json_object_a_line(tmp_path, write_file, small_page):
    write_file("arc/knee.txt", small_page)
    write_file("arc/chinese.txt", small_page.replace("Lee,", "李明,"))
    result = run(str(tmp_path / "arc"))
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["chinese", "knee"]
    assert "李明" in lines[0]  # ensure_ascii=False: readable non-ASCII


def test_some_failures_exit_1_with_path_reason_on_stderr(tmp_path, write_file, small_page):
    write_file("arc/good.txt", small_page)
    bad = write_file("arc/bad.txt", "<html>\n<body>hi</body>")
    missing = tmp_path / "missing.txt"
    result = run(str(tmp_path / "arc"), str(missing))
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
    assert result.stderr.splitlines() == [
        f"{bad}: looks like an HTML page, not a thread page",
        f"{missing}: no such file or directory",
    ]


def test_no_sources_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "Missing argument 'SOURCES...'" in result.stderr


def test_round_trip_output_reads_back_equal(tmp_path, write_file, small_page, reference_page):
    write_file("arc/knee.txt", small_page)
    write_file(
        "arc/cp.txt", small_page.replace("apply ice", "apply ice \u2014 caf\u00e9").encode("cp1252")
    )
    sources = [reference_page, tmp_path / "arc"]
    result = CliRunner().invoke(main, ["parse", *map(str, sources)])
    assert result.exit_code == 0, result.output
    out = write_file("out.jsonl", result.stdout)
    originals = list(read_sources(sources))
    assert len(originals) == 3
    assert list(read_jsonl(out)) == originals
    again = run(str(out))  # and parse reads its own output
    assert again.exit_code == 0
    assert again.stdout == result.stdout


@pytest.mark.slow
def test_broken_pipe_is_quiet(tmp_path, small_page):
    records = tmp_path / "many.jsonl"
    thread = json.loads(run(str(_write(tmp_path / "p.txt", small_page))).stdout)
    with records.open("w") as handle:
        for n in range(5000):
            handle.write(json.dumps({**thread, "id": f"t{n}"}) + "\n")
    argv = ["qasearch", "parse", str(records)]
    code = f"import sys; from web.cli import main; sys.argv = {argv!r}; main()"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        first = proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        stderr = proc.stderr.read()
        proc.wait(timeout=60)
    assert json.loads(first)["id"] == "t0"
    assert stderr == b""
    assert proc.returncode == 1


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
