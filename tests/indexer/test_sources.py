"""read_sources: folders, single pages, JSON Lines, missing paths, duplicates, streaming."""

from __future__ import annotations

import json

from indexer.archive.pages import parse_thread
from indexer.archive.records import ParseError, Thread
from indexer.archive.sources import count_sources, iter_page_files, read_sources


def page(title: str) -> str:
    return f"{title} - Dermatology\n\nShare to:\n\nSpots\n\nI have {title.lower()}.\n"


def test_folder_with_one_bad_page_reads_the_rest(tmp_path, write_file):
    write_file("archive/a.txt", page("Red Spots"))
    write_file("archive/b.txt", b"\x00\x01binary")
    write_file("archive/sub/c.txt", page("Itchy Skin"))
    write_file("archive/sub/deeper/d.TXT", page("Dry Skin"))
    items = list(read_sources([tmp_path / "archive"]))
    assert [type(item).__name__ for item in items] == ["Thread", "ParseError", "Thread", "Thread"]
    assert [item.id for item in items if isinstance(item, Thread)] == ["a", "c", "d"]
    assert items[1] == ParseError(
        str(tmp_path / "archive" / "b.txt"), "binary file (contains NUL bytes)"
    )
    assert items[2].source == str(tmp_path / "archive" / "sub" / "c.txt")


def test_hidden_and_non_txt_files_are_skipped(tmp_path, write_file):
    write_file("archive/.hidden.txt", page("Hidden"))
    write_file("archive/.git/x.txt", page("In Git"))
    write_file("archive/notes.md", page("Notes"))
    write_file("archive/page.txt", page("Visible"))
    assert [p.name for p in iter_page_files(tmp_path / "archive")] == ["page.txt"]
    assert [t.title for t in read_sources([str(tmp_path / "archive")])] == ["Visible"]


def test_folder_order_is_sorted(tmp_path, write_file):
    for name in ["b.txt", "a.txt", "c/z.txt", "b2/y.txt", "10.txt"]:
        write_file(f"arc/{name}", page(f"Page {name[0]}"))
    names = [p.relative_to(tmp_path / "arc").as_posix() for p in iter_page_files(tmp_path / "arc")]
    assert names == ["10.txt", "a.txt", "b.txt", "b2/y.txt", "c/z.txt"]


def test_single_page_file_jsonl_and_missing_path(tmp_path, write_file):
    single = write_file("one.page", page("Single"))  # an explicit file is a page, any suffix
    thread = parse_thread(page("From Jsonl"), "j1", source="orig.txt")
    lines = write_file("more.jsonl", json.dumps(thread.to_dict()) + "\n{broken\n")
    missing = tmp_path / "nope.txt"
    items = list(read_sources([single, missing, lines]))
    assert items[0].title == "Single" and items[0].id == "one"
    assert items[1] == ParseError(str(missing), "no such file or directory")
    assert items[2] == thread
    assert isinstance(items[3], ParseError) and items[3].line == 2


def test_duplicate_ids_report_the_later_one(tmp_path, write_file):
    write_file("a/x.txt", page("First"))
    write_file("b/x.txt", page("Second"))
    lines = write_file(
        "c.jsonl",
        json.dumps(parse_thread(page("Third"), "x").to_dict())
        + "\n"
        + json.dumps(parse_thread(page("Fourth"), "y").to_dict()),
    )
    items = list(read_sources([tmp_path / "a", tmp_path / "b", lines]))
    assert items[0].title == "First"
    first = tmp_path / "a" / "x.txt"
    assert items[1] == ParseError(
        str(tmp_path / "b" / "x.txt"), f"duplicate thread id x, first seen in {first}"
    )
    assert items[2] == ParseError(str(lines), f"duplicate thread id x, first seen in {first}", 1)
    assert items[3].id == "y"


def test_duplicate_first_seen_in_a_jsonl_line_names_the_line(write_file):
    lines = write_file("d.jsonl", json.dumps(parse_thread(page("One"), "z").to_dict()) + "\n")
    second = write_file("z.txt", page("Two"))
    items = list(read_sources([lines, second]))
    assert items[1].reason == f"duplicate thread id z, first seen in {lines}:1"


def test_read_sources_streams_lazily(tmp_path, write_file):
    write_file("arc/a.txt", page("Alpha"))
    write_file("arc/b.txt", page("Beta"))
    stream = read_sources([tmp_path / "arc"])
    assert next(stream).title == "Alpha"
    (tmp_path / "arc" / "b.txt").unlink()  # not read yet, so its removal shows
    assert list(stream) == [
        ParseError(str(tmp_path / "arc" / "b.txt"), "No such file or directory")
    ]


def test_count_sources_matches_what_read_sources_yields(tmp_path, write_file):
    write_file("arc/a.txt", page("Alpha"))
    write_file("arc/sub/b.txt", page("Beta"))
    write_file("arc/.hidden.txt", page("Hidden"))
    lines = write_file("x.jsonl", '{"broken\n\n  \n{}\n[]\n')
    sources = [tmp_path / "arc", lines, tmp_path / "missing", tmp_path / "arc" / "a.txt"]
    assert count_sources(sources) == 7
    assert len(list(read_sources(sources))) == 7
