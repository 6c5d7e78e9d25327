"""Pull: copy the primary's live generation into this host's index, verify it, switch.

Under this index's reindex lock (one writer per index directory: a pull and a local
reindex exclude each other), a pull:

1. deletes debris of a dead pull or build and old generations (generation_dirs' rule);
2. reads the primary's CURRENT (or takes `--generation`) and that generation's manifest;
   refuses a manifest of another schema version (upgrade this host first);
3. stops there when the live generation here already has the manifest's digest;
4. copies every file into a fresh `building-...` directory, each counted and hashed on
   the way; files whose size and hash the live generation here already has are copied
   locally instead (after an incremental run on the primary, only what changed travels);
5. on any mismatch, a short or long file, a failed transfer or Ctrl-C, deletes the
   building directory: the live generation here is untouched;
6. renames the directory to its generation name and switches CURRENT with the reindex's
   own `switch_to` (fsync, then one atomic rename), then prunes as a reindex does.

Running servers notice the new CURRENT at their next request (the engine looks at most
once a second) and close the old generation after the switch; the one replaced stays on
disk until a later pull or reindex removes it (RETIRED_GRACE_SECONDS).

A generation the primary changed in place (incremental reindex) keeps its name there;
here it gets `<name>-u<stamp>-<digest>` so that it is a new directory, sorting after
the old copy, and servers switch to it as to any new generation.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from indexer.build.generation_dirs import (
    new_building_dir,
    remove_debris,
    remove_old_generations,
    remove_tree,
)
from indexer.build.lock import reindex_lock
from indexer.build.manifest import (
    MANIFEST_FILE,
    MAX_MANIFEST_BYTES,
    SAFE_COMPONENT,
    Manifest,
    ManifestError,
    ManifestFile,
    file_sha256,
    parse_manifest,
    read_manifest,
)
from indexer.replicate.sources import GenerationSource, SourceError, copy_counted
from search.index.generations import (
    CURRENT_FILE,
    GENERATION_PREFIX,
    IndexUnavailableError,
    current_generation_name,
    read_meta,
    switch_to,
)
from search.index.schema import SCHEMA_VERSION

SPACE_MARGIN = 64 * 1024 * 1024  # bytes left free on top of the copy


class PullError(RuntimeError):
    """The pull changed nothing live here; the message says why and what to do."""


@dataclass
class PullResult:
    index_dir: Path
    generation: str  # live here after the pull
    source_generation: str  # its name on the primary
    switched: bool
    files: int = 0
    fetched_bytes: int = 0  # from the primary
    reused_bytes: int = 0  # copied from the live generation here
    elapsed: float = 0.0
    removed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if not self.switched:
            return f"{self.index_dir}: already serving {self.generation}; nothing copied"
        return (
            f"{self.index_dir}: now serving {self.generation} ({self.files} files, "
            f"{self.fetched_bytes / 1e6:,.1f} MB fetched, {self.reused_bytes / 1e6:,.1f} MB "
            f"reused locally, {self.elapsed:.1f} s, verified against its manifest)"
            + (f"; removed {', '.join(self.removed)}" if self.removed else "")
        )


def pull_generation(
    source: GenerationSource, index_dir: Path | str, *, generation: str | None = None
) -> PullResult:
    """Make this host's index serve the source's live (or the named) generation."""
    index_dir = Path(index_dir)
    started = time.perf_counter()
    with reindex_lock(index_dir):
        removed = remove_debris(index_dir) + remove_old_generations(index_dir)
        name = generation or _source_current(source)
        manifest = _source_manifest(source, name)
        live_name = current_generation_name(index_dir)
        live = index_dir / live_name if live_name else None
        live_manifest = _local_manifest(live)
        if live_manifest is not None and live_manifest.digest == manifest.digest:
            return PullResult(index_dir, live_name or name, name, switched=False,
                              removed=removed)
        result = PullResult(index_dir, "", name, switched=True, files=len(manifest.files))
        final, existing = _local_name(index_dir, manifest)
        if existing:
            problems = _damaged(final, manifest)
            if problems:
                raise PullError(
                    f"{final} holds this generation but is damaged ({problems[0]}): delete "
                    "it and run the pull again; the live generation is unchanged"
                )
        else:
            _check_space(index_dir, manifest)
            building = new_building_dir(index_dir)
            try:
                _fill(building, manifest, source, name, live, live_manifest, result)
                _check_meta(building)
                os.rename(building, final)
            except BaseException:
                remove_tree(building)
                raise
        switch_to(index_dir, final)
        result.generation = final.name
        result.removed = removed + remove_old_generations(index_dir)
    result.elapsed = time.perf_counter() - started
    return result


def _source_current(source: GenerationSource) -> str:
    data = source.read_small(CURRENT_FILE, 256)
    name = data.decode("utf-8", "replace").strip()
    if not name.startswith(GENERATION_PREFIX) or not SAFE_COMPONENT.fullmatch(name):
        raise PullError(f"{source.description}{CURRENT_FILE} does not name a generation")
    return name


def _source_manifest(source: GenerationSource, name: str) -> Manifest:
    if not name.startswith(GENERATION_PREFIX) or not SAFE_COMPONENT.fullmatch(name):
        raise PullError(f"{name!r} is not a generation name (gen-<stamp>)")
    relative = f"{name}/{MANIFEST_FILE}"
    try:
        data = source.read_small(relative, MAX_MANIFEST_BYTES)
    except SourceError as error:
        raise PullError(
            f"{error}; a generation built before manifests existed has none: run a full "
            "`qasearch reindex` on the primary"
        ) from None
    manifest = parse_manifest(data, origin=f"{source.description}{relative}")
    if manifest.generation != name:
        raise ManifestError(f"{relative} describes {manifest.generation}, not {name}")
    if manifest.schema_version != SCHEMA_VERSION:
        raise PullError(
            f"{name} has schema version {manifest.schema_version}; this host's qasearch "
            f"reads version {SCHEMA_VERSION}: install the primary's version here first"
        )
    return manifest


def _local_manifest(generation: Path | None) -> Manifest | None:
    if generation is None or not generation.is_dir():
        return None
    try:
        return read_manifest(generation)
    except ManifestError:
        return None  # built here before manifests: nothing to compare or reuse


def _local_name(index_dir: Path, manifest: Manifest) -> tuple[Path, bool]:
    """Where this generation goes here, and whether a copy of it is already there."""
    copies = sorted(index_dir.glob(f"{manifest.generation}*"))
    for copy in copies:
        local = _local_manifest(copy)
        if local is not None and local.digest == manifest.digest:
            return copy, True
    if not copies:
        return index_dir / manifest.generation, False
    stamp = re.sub(r"[^0-9TZ]", "", manifest.written_at)[:16] or "0"
    return index_dir / f"{manifest.generation}-u{stamp}-{manifest.digest[:8]}", False


def _fill(
    building: Path, manifest: Manifest, source: GenerationSource, name: str,
    live: Path | None, live_manifest: Manifest | None, result: PullResult,
) -> None:
    reusable: dict[tuple[str, int], str] = {}
    if live is not None and live_manifest is not None:
        reusable = {(f.sha256, f.size): f.path for f in live_manifest.files}
    for entry in manifest.files:
        target = building / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            local = reusable.get((entry.sha256, entry.size))
            if local is not None and live is not None and _copy_local(live / local, out, entry):
                result.reused_bytes += entry.size
                continue
            digest = source.copy(f"{name}/{entry.path}", out, entry.size)
            if digest != entry.sha256:
                raise PullError(
                    f"{source.description}{name}/{entry.path}: its SHA-256 differs from the "
                    "manifest (changed or damaged on the way); the live generation is unchanged"
                )
            result.fetched_bytes += entry.size
    # The manifest last: a directory holding one is complete and verified.
    (building / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")


def _copy_local(path: Path, out: BinaryIO, entry: ManifestFile) -> bool:
    """Copy a file this host already has; False (and `out` emptied) if it is not intact."""
    try:
        with open(path, "rb") as handle:
            if copy_counted(handle, out, entry.size, str(path)) == entry.sha256:
                return True
    except (OSError, SourceError):
        pass
    out.seek(0)
    out.truncate()
    return False


def _damaged(generation: Path, manifest: Manifest) -> list[str]:
    """What differs between a local generation directory and its manifest."""
    problems = []
    for entry in manifest.files:
        path = generation / entry.path
        if not path.is_file() or path.stat().st_size != entry.size:
            problems.append(f"{entry.path} missing or of another size")
        elif file_sha256(path) != entry.sha256:
            problems.append(f"{entry.path} has another SHA-256")
    return problems


def _check_meta(building: Path) -> None:
    try:
        meta = read_meta(building)
    except IndexUnavailableError as error:
        raise PullError(f"the copied generation is unusable: {error}") from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise PullError(
            f"the copied generation's meta.json says schema version "
            f"{meta.get('schema_version')}, this host reads {SCHEMA_VERSION}"
        )


def _check_space(index_dir: Path, manifest: Manifest) -> None:
    needed = manifest.total_bytes  # files reused locally are copied too, only not fetched
    free = shutil.disk_usage(index_dir).free
    if free < needed + SPACE_MARGIN:
        raise PullError(
            f"{manifest.generation} needs {needed / 1e6:,.0f} MB in {index_dir}, "
            f"{free / 1e6:,.0f} MB are free: free some space; the live generation is unchanged"
        )
