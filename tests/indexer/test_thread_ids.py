"""Ids that could never be served at /thread/<id> (path separators, '.' or '..', control
characters, empty, over-long) are refused at import with their reason in the run's skip
summary, from page file names and JSON Lines alike: what is listed can be reached."""

from __future__ import annotations

import json
import os

import pytest
from reindex_fixtures import make_thread

from indexer.archive.jsonl import read_jsonl
from indexer.archive.pages import read_page
from indexer.archive.records import ParseError, Thread
from indexer.build.reindex import build_index, full_reindex
from indexer.build.reindex_summary import reason_group
from search.request import MAX_THREAD_ID_CHARS

REFUSED = {
    "../../etc/passwd": "path separator '/'",
    "a\\b": "path separator '\\\\'",
    "..": "path step",
    ".": "path step",
    "tab\there": "control character U+0009",
    "nul\x00byte": "control character U+0000",
    "line\u2028break": "control character U+2028",
    "x" * (MAX_THREAD_ID_CHARS + 1): f"longer than {MAX_THREAD_ID_CHARS} characters",
}
ACCEPTED = ["000_614d02a2dc9fc088", "café-42", "a b", "what?#100%", "a..b", ".hidden-id"]


def _record(thread_id: str) -> dict:
    return {**make_thread(1).to_dict(), "id": thread_id, "source": None}


def test_jsonl_ids_that_cannot_be_served_are_refused_with_line_and_reason(tmp_path):
    path = tmp_path / "threads.jsonl"
    ids = [*REFUSED, *ACCEPTED]
    path.write_text("".join(json.dumps(_record(i)) + "\n" for i in ids), encoding="utf-8")
    items = list(read_jsonl(path))
    for line, (thread_id, item) in enumerate(zip(ids, items, strict=True), start=1):
        if thread_id in REFUSED:
            assert isinstance(item, ParseError) and item.line == line, thread_id
            assert REFUSED[thread_id] in item.reason
            assert reason_group(item.reason) == "thread id cannot be served"
            assert str(item).startswith(f"{path}:{line}: thread id cannot be served")
        else:
            assert isinstance(item, Thread) and item.id == thread_id


@pytest.mark.parametrize("stem", ["..", "tab\there", "bell\x07", "back\\slash"])
def test_page_files_named_with_such_ids_are_refused(tmp_path, small_page, stem):
    path = tmp_path / f"{stem}.txt"
    path.write_text(small_page, encoding="utf-8")
    item = read_page(path)
    assert isinstance(item, ParseError)
    assert item.reason.startswith("thread id cannot be served (it ")
    assert "\t" not in str(item) and "\x07" not in str(item)  # shown escaped, one line


def test_the_run_summary_names_each_refused_id_and_indexes_the_rest(tmp_path):
    path = tmp_path / "threads.jsonl"
    ids = ["../../etc/passwd", "ok-1", "..", "ok-2"]
    path.write_text("".join(json.dumps(_record(i)) + "\n" for i in ids), encoding="utf-8")
    summary = full_reindex([path], tmp_path / "index")
    assert summary.threads == 2
    assert [str(e).split(": thread id")[0] for e in summary.skipped] == [f"{path}:1", f"{path}:3"]
    assert summary.skipped_by_reason() == {"thread id cannot be served": 2}
    assert "2 skipped: 2 thread id cannot be served" in summary.describe()


def test_records_built_in_python_are_checked_too(tmp_path):
    good = make_thread(1)
    bad = [Thread(**{**make_thread(n).__dict__, "id": i}) for n, i in
           enumerate(["../escape", "", "  "], start=2)]
    summary = build_index([good, *bad], tmp_path)
    assert summary.threads == 1
    assert [e.reason.split(")")[0] for e in summary.skipped] == [
        "thread id cannot be served (it contains the path separator '/'",
        "thread id cannot be served (it is empty",
        "thread id cannot be served (it is empty",
    ]


def test_a_blank_jsonl_id_was_already_refused(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text(json.dumps(_record("  ")) + "\n", encoding="utf-8")
    assert list(read_jsonl(path)) == [ParseError(str(path), "key 'id' is blank", 1)]


def test_a_page_file_with_a_servable_stem_keeps_it_as_its_id(tmp_path, small_page):
    path = tmp_path / "a..b.txt"
    path.write_text(small_page, encoding="utf-8")
    assert read_page(path).id == "a..b"
    assert os.path.basename(path) == "a..b.txt"
