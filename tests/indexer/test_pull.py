"""`qasearch pull`: a replica copies the primary's generation, verifies it, switches to it.

The primary is a local index directory, read directly or served over HTTP by the
standard library's file server on 127.0.0.1 (what `python -m http.server` runs).
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from reindex_fixtures import make_thread, make_threads

from indexer.build.lock import ReindexLockedError, reindex_lock
from indexer.build.manifest import MANIFEST_FILE, read_manifest
from indexer.build.reindex import build_index, update_index
from indexer.replicate.pull import PullError, pull_generation
from indexer.replicate.sources import DirectorySource, HttpSource, SourceError, open_source
from search.engine import SearchEngine
from search.index.generations import current_generation, current_generation_name
from search.request import SearchRequest
from web.cli import main


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@pytest.fixture
def primary(tmp_path: Path) -> Path:
    index = tmp_path / "primary"
    build_index(make_threads(20), index)
    return index


@pytest.fixture
def served(primary: Path) -> Iterator[str]:
    """The primary's index directory over HTTP, as a replica sees it."""
    handler = functools.partial(QuietHandler, directory=str(primary))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def found_ids(index_dir: Path, query: str) -> list[str]:
    with SearchEngine(index_dir) as engine:
        response = engine.search(SearchRequest(query=query, per_page=50))
        return sorted(hit.id for hit in response.results)


def test_a_pull_over_http_makes_the_replica_answer_as_the_primary(
    primary: Path, served: str, tmp_path: Path
) -> None:
    replica = tmp_path / "replica"
    result = pull_generation(open_source(served), replica)
    assert result.switched and result.fetched_bytes > 0
    assert current_generation_name(replica) == current_generation_name(primary)
    assert found_ids(replica, "spots topic7") == found_ids(primary, "spots topic7") != []
    assert found_ids(replica, "dermatologist") == found_ids(primary, "dermatologist")
    assert not list(replica.glob("building-*"))

    again = pull_generation(open_source(served), replica)
    assert not again.switched and again.fetched_bytes == 0
    assert "already serving" in again.describe()


def test_a_running_engine_moves_to_the_pulled_generation_and_the_old_one_is_kept(
    primary: Path, tmp_path: Path
) -> None:
    replica = tmp_path / "replica"
    pull_generation(DirectorySource(primary), replica)
    first = current_generation_name(replica)
    with SearchEngine(replica, refresh_interval=0) as engine:
        assert engine.search(SearchRequest(query="topic77", exact=True)).total == 0
        build_index([*make_threads(20), make_thread(77)], primary)  # the reindex on the primary
        result = pull_generation(DirectorySource(primary), replica)
        assert result.generation == current_generation_name(primary) != first
        assert engine.refresh()
        assert engine.generation == result.generation
        assert engine.search(SearchRequest(query="topic77", exact=True)).total == 1
    # The replaced generation stays for servers that opened it just before the switch.
    assert sorted(p.name for p in replica.glob("gen-*")) == sorted([first, result.generation])


def test_after_an_incremental_run_only_the_changed_files_travel(
    primary: Path, tmp_path: Path
) -> None:
    replica = tmp_path / "replica"
    pull_generation(DirectorySource(primary), replica)
    before = current_generation_name(replica)
    threads = make_threads(20)
    threads[5] = dataclasses.replace(threads[5], title="Swollen knee")
    update_index(threads[1:], primary)  # one changed, one deleted
    assert current_generation_name(primary) == before  # changed in place there

    result = pull_generation(DirectorySource(primary), replica)
    assert result.switched
    assert result.generation.startswith(f"{before}-u")  # a new directory here
    assert result.reused_bytes > 0 and result.fetched_bytes > 0
    assert found_ids(replica, "swollen knee") == ["005_thread"]
    assert found_ids(replica, "topic0") == []
    local = read_manifest(replica / result.generation)
    assert local.digest == read_manifest(current_generation(primary)).digest


def test_a_file_changed_after_its_manifest_is_refused_and_nothing_switches(
    primary: Path, served: str, tmp_path: Path
) -> None:
    replica = tmp_path / "replica"
    pull_generation(open_source(served), replica)
    live = current_generation_name(replica)
    build_index([*make_threads(20), make_thread(90)], primary)
    new = current_generation(primary)
    store = new / "threads.sqlite"
    data = bytearray(store.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    store.write_bytes(bytes(data))

    with pytest.raises(PullError, match="threads.sqlite: its SHA-256 differs"):
        pull_generation(open_source(served), replica)
    assert current_generation_name(replica) == live
    assert not list(replica.glob("building-*"))
    assert not (replica / new.name).exists()


@pytest.mark.parametrize("make_source", [DirectorySource, "http"], ids=["directory", "http"])
def test_a_truncated_file_is_refused(
    primary: Path, served: str, tmp_path: Path, make_source
) -> None:
    store = current_generation(primary) / "threads.sqlite"
    store.write_bytes(store.read_bytes()[:-100])
    source = HttpSource(served) if make_source == "http" else make_source(primary)
    with pytest.raises(SourceError, match="threads.sqlite"):
        pull_generation(source, tmp_path / "replica")
    assert current_generation_name(tmp_path / "replica") is None
    assert not list((tmp_path / "replica").glob("building-*"))


def test_a_generation_of_another_schema_version_is_refused(primary: Path, tmp_path: Path) -> None:
    manifest_path = current_generation(primary) / MANIFEST_FILE
    raw = json.loads(manifest_path.read_text())
    raw["schema_version"] = 999
    manifest_path.write_text(json.dumps(raw))
    with pytest.raises(PullError, match="schema version 999.*install the primary's version"):
        pull_generation(DirectorySource(primary), tmp_path / "replica")


def test_a_generation_without_a_manifest_says_to_reindex_the_primary(
    primary: Path, tmp_path: Path
) -> None:
    (current_generation(primary) / MANIFEST_FILE).unlink()
    with pytest.raises(PullError, match="run a full `qasearch reindex` on the primary"):
        pull_generation(DirectorySource(primary), tmp_path / "replica")


def test_a_pull_waits_for_no_one_while_a_reindex_holds_the_replicas_lock(
    primary: Path, tmp_path: Path
) -> None:
    replica = tmp_path / "replica"
    with reindex_lock(replica), pytest.raises(ReindexLockedError, match="another reindex"):
        pull_generation(DirectorySource(primary), replica)


def test_the_command_reports_what_it_did_and_fails_with_a_reason(
    primary: Path, served: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    replica = tmp_path / "replica"
    ok = runner.invoke(main, ["pull", "--from", served, "--index", str(replica)])
    assert ok.exit_code == 0, ok.output
    assert f"now serving {current_generation_name(primary)}" in ok.output
    assert "verified against its manifest" in ok.output

    missing = runner.invoke(main, ["pull", "--from", served + "nowhere/", "--index", str(replica)])
    assert missing.exit_code == 1
    assert "HTTP 404" in missing.output and "Traceback" not in missing.output

    scheme = runner.invoke(main, ["pull", "--from", "ftp://primary/", "--index", str(replica)])
    assert scheme.exit_code == 1 and "only http://, https://" in scheme.output

    named = runner.invoke(
        main, ["pull", "--from", str(primary), "--index", str(replica), "--generation", "../x"]
    )
    assert named.exit_code == 1 and "not a generation name" in named.output
    assert current_generation_name(replica) == current_generation_name(primary)


def test_an_unreachable_primary_is_named(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    result = CliRunner().invoke(main, ["pull", "--from", url, "--index", str(tmp_path / "r")])
    assert result.exit_code == 1 and f"cannot reach {url}CURRENT" in result.output
