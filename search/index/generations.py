"""The layout of an index directory: generations and the pointer to the live one.

    INDEX_DIR/
      CURRENT              name of the live generation (replaced atomically)
      gen-<stamp>/         a complete generation: Whoosh files, posting arrays
                           (postings-*.npy, postings.json), threads.sqlite, meta.json,
                           manifest.json (every file's size and hash, for replicas)
      building-<stamp>/    a generation being built (debris if its builder died)
      reindex.lock         held by the one running reindex

Readers only ever follow CURRENT, so a half-built generation is never seen. The
indexer writes generations; the searcher opens them; both import this module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from search.index.schema import SCHEMA_VERSION

CURRENT_FILE = "CURRENT"
GENERATION_PREFIX = "gen-"
BUILDING_PREFIX = "building-"
META_FILE = "meta.json"
THREAD_STORE_FILE = "threads.sqlite"
LOCK_FILE = "reindex.lock"


class IndexUnavailableError(RuntimeError):
    """No usable index at the given directory; the message says how to make one."""


def current_generation(index_dir: Path | str) -> Path:
    """The live generation's directory, or IndexUnavailableError."""
    index_dir = Path(index_dir)
    try:
        name = (index_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexUnavailableError(
            f"no index at {index_dir}: build one with `qasearch reindex SOURCE --index {index_dir}`"
        ) from None
    generation = index_dir / name
    if not name.startswith(GENERATION_PREFIX) or "/" in name or not generation.is_dir():
        raise IndexUnavailableError(
            f"{index_dir / CURRENT_FILE} names a missing generation {name!r}: run a full reindex"
        )
    meta = read_meta(generation)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexUnavailableError(
            f"the index at {index_dir} was built with schema version "
            f"{meta.get('schema_version')}, this program reads version {SCHEMA_VERSION}: "
            "run a full reindex"
        )
    return generation


def current_generation_name(index_dir: Path | str) -> str | None:
    """Cheap check used by long-running readers to notice a switch."""
    try:
        return (Path(index_dir) / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def read_meta(generation: Path) -> dict[str, Any]:
    try:
        return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise IndexUnavailableError(
            f"generation {generation} has no readable {META_FILE} ({error}): run a full reindex"
        ) from None


def write_meta(generation: Path, meta: dict[str, Any]) -> None:
    write_atomically(generation / META_FILE, json.dumps(meta, indent=2, sort_keys=True))


def switch_to(index_dir: Path, generation: Path) -> None:
    """Make `generation` the live one: one atomic rename, after everything is on disk."""
    fsync_tree(generation)
    write_atomically(index_dir / CURRENT_FILE, generation.name + "\n")


def fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(directory)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text`: readers see the old file or the new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
