"""`qasearch reindex` end to end over real page files: exit codes and messages."""

from __future__ import annotations

from click.testing import CliRunner
from whoosh.index import open_dir
from whoosh.query import Term

from indexer.build.lock import reindex_lock
from indexer.reindex_cli import reindex_command
from search.index.generations import current_generation


def write_archive(write_file, small_page, count, folder="archive"):
    for n in range(count):
        page = small_page.replace("Knee Pain After Running", f"Knee Pain Case{n}")
        write_file(f"{folder}/{n:03d}_page.txt", page)


def titles_matching(index_dir, word):
    with open_dir(current_generation(index_dir)).searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(Term("title", word), limit=None))


def test_reindex_then_incremental(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 5)
    write_file("archive/zz_broken.txt", "")
    index = str(tmp_path / "index")
    runner = CliRunner()
    result = runner.invoke(reindex_command, [str(tmp_path / "archive"), "--index", index])
    assert result.exit_code == 0, result.output
    assert "indexed 5 threads; 1 skipped: 1 page is empty" in result.output
    assert titles_matching(index, "case3") == ["003_page"]

    (tmp_path / "archive" / "003_page.txt").unlink()
    write_archive(write_file, small_page.replace("Knee", "Elbow"), 1, folder="archive/new")
    result = runner.invoke(
        reindex_command, [str(tmp_path / "archive"), "--index", index, "--incremental"]
    )
    assert result.exit_code == 0, result.output
    # new/000_page.txt has the id 000_page too: a duplicate of archive/000_page.txt
    assert "0 added, 0 updated, 1 deleted, 4 unchanged" in result.output
    assert titles_matching(index, "case3") == []


def test_strict_failure_exits_1_and_keeps_the_live_index(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 3)
    index = str(tmp_path / "index")
    runner = CliRunner()
    archive = str(tmp_path / "archive")
    assert runner.invoke(reindex_command, [archive, "--index", index]).exit_code == 0
    live = current_generation(index).name
    write_file("archive/bad.txt", "<html><body>not a thread</body></html>")
    result = runner.invoke(reindex_command, [archive, "--index", index, "--strict"])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "live index is unchanged" in result.output
    assert "Traceback" not in result.output
    assert current_generation(index).name == live


def test_lock_held_exits_1_naming_the_holder(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 2)
    index = tmp_path / "index"
    with reindex_lock(index) as holder:
        result = CliRunner().invoke(
            reindex_command, [str(tmp_path / "archive"), "--index", str(index)]
        )
    assert result.exit_code == 1
    assert f"another reindex is running (pid {holder['pid']}" in result.output
    assert "Traceback" not in result.output


def test_missing_source_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(reindex_command, [str(tmp_path / "nope"), "--index", str(tmp_path)])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_incremental_without_an_index_does_a_full_build(tmp_path, write_file, small_page):
    write_archive(write_file, small_page, 3)
    index = str(tmp_path / "index")
    result = CliRunner().invoke(
        reindex_command, [str(tmp_path / "archive"), "--index", index, "--incremental"]
    )
    assert result.exit_code == 0, result.output
    assert "indexed 3 threads" in result.output
    assert titles_matching(index, "case2") == ["002_page"]


def test_vectors_by_default_and_skipped_with_no_vectors(tmp_path, write_file, small_page):
    from indexer.reindex_cli import stats_command
    from search.semantic.vectors import VECTORS_FILE

    write_archive(write_file, small_page, 3)
    runner = CliRunner()
    for flags, semantic in (([], True), (["--no-vectors"], False)):
        index = tmp_path / f"index{len(flags)}"
        result = runner.invoke(reindex_command, [str(tmp_path / "archive"), "--index",
                                                 str(index), *flags])
        assert result.exit_code == 0, result.output
        assert ("vectors: 3 encoded, 0 reused" in result.output) == semantic
        assert (current_generation(index) / VECTORS_FILE).is_file() == semantic
        stats = runner.invoke(stats_command, ["--index", str(index), "--format", "json"])
        assert f'"semantic": {str(semantic).lower()}' in stats.output
    again = runner.invoke(reindex_command, [str(tmp_path / "archive"), "--index",
                                            str(tmp_path / "index0")])
    assert "vectors: 0 encoded, 3 reused" in again.output  # an unchanged archive
