"""The manifest every reindex writes into its generation, and how a hostile one is refused."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from reindex_fixtures import make_thread, make_threads

from indexer.build.manifest import (
    MANIFEST_FILE,
    ManifestError,
    ManifestFile,
    files_digest,
    parse_manifest,
    read_manifest,
)
from indexer.build.reindex import build_index, update_index
from search.index.generations import current_generation
from search.index.schema import SCHEMA_VERSION


def listed_files(generation: Path) -> dict[str, tuple[int, str]]:
    """What is really on disk: relative path -> (size, sha256), the manifest left out."""
    return {
        path.name: (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in generation.iterdir()
        if path.is_file() and path.name != MANIFEST_FILE
    }


def as_dict(manifest) -> dict[str, tuple[int, str]]:
    return {f.path: (f.size, f.sha256) for f in manifest.files}


def test_a_full_build_describes_every_file_of_its_generation(tmp_path: Path) -> None:
    build_index(make_threads(12), tmp_path)
    live = current_generation(tmp_path)
    manifest = read_manifest(live)
    assert manifest.generation == live.name  # the final name, not building-...
    assert manifest.schema_version == SCHEMA_VERSION
    assert as_dict(manifest) == listed_files(live)
    assert {"meta.json", "threads.sqlite"} <= set(as_dict(manifest))
    assert manifest.total_bytes == sum(size for size, _ in listed_files(live).values())


def test_an_incremental_run_rewrites_the_manifest_of_the_generation_it_changed(
    tmp_path: Path,
) -> None:
    threads = make_threads(8)
    build_index(threads, tmp_path)
    live = current_generation(tmp_path)
    before = read_manifest(live)
    update_index([dataclasses.replace(threads[0], title="Knee"), *threads[1:-1], make_thread(40)],
                 tmp_path)
    after = read_manifest(current_generation(tmp_path))
    assert current_generation(tmp_path) == live
    assert after.digest != before.digest
    assert as_dict(after) == listed_files(live)


def test_the_digest_names_the_content_not_the_order_of_the_list(tmp_path: Path) -> None:
    build_index(make_threads(3), tmp_path)
    manifest = read_manifest(current_generation(tmp_path))
    assert files_digest(tuple(reversed(manifest.files))) == manifest.digest
    changed = dataclasses.replace(manifest.files[0], size=manifest.files[0].size + 1)
    assert files_digest((changed, *manifest.files[1:])) != manifest.digest


def manifest_bytes(files: list[dict], **overrides) -> bytes:
    entries = tuple(ManifestFile(**f) for f in files)  # no checks: bad values stay bad
    raw = {
        "format": 1, "generation": "gen-20260101T000000000000Z", "schema_version": 3,
        "written_at": "2026-01-01T00:00:00Z", "files": files,
        "digest": files_digest(entries),
    }
    raw.update(overrides)
    return json.dumps(raw).encode()


GOOD = {"path": "meta.json", "size": 10, "sha256": "a" * 64}


@pytest.mark.parametrize(
    ("files", "overrides", "complaint"),
    [
        ([{**GOOD, "path": "../../etc/passwd"}], {}, "unsafe"),
        ([{**GOOD, "path": "/etc/passwd"}], {}, "unsafe"),
        ([{**GOOD, "path": ".bashrc"}], {}, "unsafe"),
        ([{**GOOD, "path": "a/../b"}], {}, "unsafe"),
        ([{**GOOD, "path": "manifest.json"}], {}, "unsafe"),
        ([{**GOOD, "size": -1}], {}, "bad size"),
        ([{**GOOD, "size": "10"}], {}, "bad size"),
        ([{**GOOD, "sha256": "xyz"}], {}, "bad sha256"),
        ([GOOD, GOOD], {}, "listed twice"),
        ([GOOD], {"digest": "0" * 64}, "damaged"),
        ([GOOD], {"generation": "../gen-x"}, "bad generation"),
        ([GOOD], {"format": 2}, "not a format-1"),
        ([], {}, "no file list"),
    ],
)
def test_a_hostile_or_damaged_manifest_is_refused_saying_why(files, overrides, complaint) -> None:
    with pytest.raises(ManifestError, match=complaint):
        parse_manifest(manifest_bytes(files, **overrides), origin="primary/manifest.json")


def test_a_manifest_that_is_not_json_is_refused() -> None:
    with pytest.raises(ManifestError, match="not JSON"):
        parse_manifest(b"<html>502 Bad Gateway</html>", origin="primary/manifest.json")


def test_a_good_manifest_with_a_subfolder_parses() -> None:
    files = [GOOD, {**GOOD, "path": "postings/title.npy"}]
    manifest = parse_manifest(manifest_bytes(files), origin="m")
    assert [f.path for f in manifest.files] == ["meta.json", "postings/title.npy"]
