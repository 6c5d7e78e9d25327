"""The manifest of a generation: every file's path, size and SHA-256, in `manifest.json`.

Written by the reindex into the generation directory itself (after meta.json, before the
generation is fsynced and switched to; again after an incremental run changed it in
place), so it travels with the generation and is deleted with it. A replica that copies
the generation checks every byte against it before switching (indexer/replicate/pull.py).

`digest` names the content: the SHA-256 of the canonical file list. Two copies with the
same digest are the same generation, byte for byte; the same name with another digest is
a generation an incremental run changed in place.

A manifest read from another host is untrusted input: parse_manifest accepts only plain
relative paths (no `..`, no absolute or hidden names), sizes and hex digests, and says
what was wrong otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from search.index.generations import write_atomically
from search.index.schema import SCHEMA_VERSION

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1
MAX_MANIFEST_BYTES = 4 * 1024 * 1024  # a generation has tens of files, not thousands
# One path component: what Whoosh, sqlite and we name files (MAIN_x.seg, _MAIN_1.toc).
SAFE_COMPONENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
HASH_CHUNK = 1024 * 1024


class ManifestError(ValueError):
    """A manifest is missing, malformed, or does not match its generation."""


@dataclass(frozen=True)
class ManifestFile:
    path: str  # relative to the generation directory, "/"-separated
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    generation: str
    schema_version: int
    files: tuple[ManifestFile, ...]
    digest: str
    written_at: str = ""

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        return json.dumps({
            "format": MANIFEST_FORMAT,
            "generation": self.generation,
            "schema_version": self.schema_version,
            "written_at": self.written_at,
            "digest": self.digest,
            "total_bytes": self.total_bytes,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }, indent=1)


def write_manifest(generation: Path, name: str | None = None) -> Manifest:
    """Hash every file of `generation` and write its manifest (atomically) into it.

    `name` is the generation's final name when it is written while still in its
    building directory.
    """
    files = tuple(
        ManifestFile(path, (generation / path).stat().st_size, file_sha256(generation / path))
        for path in generation_files(generation)
    )
    manifest = Manifest(
        generation=name or generation.name,
        schema_version=SCHEMA_VERSION,
        files=files,
        digest=files_digest(files),
        written_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    write_atomically(generation / MANIFEST_FILE, manifest.to_json())
    return manifest


def read_manifest(generation: Path) -> Manifest:
    """The manifest inside a local generation directory, or ManifestError."""
    try:
        data = (generation / MANIFEST_FILE).read_bytes()
    except FileNotFoundError:
        raise ManifestError(f"{generation} has no {MANIFEST_FILE}") from None
    return parse_manifest(data, origin=str(generation / MANIFEST_FILE))


def parse_manifest(data: bytes, origin: str) -> Manifest:
    """Check and parse a manifest's bytes; `origin` names where they came from."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{origin}: {len(data)} bytes, more than a manifest can be")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{origin}: not JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
        raise ManifestError(f"{origin}: not a format-{MANIFEST_FORMAT} generation manifest")
    generation = raw.get("generation")
    schema_version = raw.get("schema_version")
    entries = raw.get("files")
    if not isinstance(generation, str) or not SAFE_COMPONENT.fullmatch(generation):
        raise ManifestError(f"{origin}: bad generation name {generation!r}")
    if type(schema_version) is not int:
        raise ManifestError(f"{origin}: bad schema_version {schema_version!r}")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{origin}: no file list")
    files = tuple(_parse_entry(entry, origin) for entry in entries)
    paths = [f.path for f in files]
    if len(set(paths)) != len(paths):
        raise ManifestError(f"{origin}: a file is listed twice")
    digest = files_digest(files)
    if raw.get("digest") != digest:
        raise ManifestError(f"{origin}: its digest does not match its file list (damaged)")
    return Manifest(generation, schema_version, files, digest, str(raw.get("written_at", "")))


def generation_files(generation: Path) -> list[str]:
    """Every file of a generation (subfolders included) but the manifest, sorted.

    Hidden files are left out: they are the temporary files of an atomic write.
    """
    found = []
    for path in generation.rglob("*"):
        relative = path.relative_to(generation).as_posix()
        hidden = any(part.startswith(".") for part in PurePosixPath(relative).parts)
        if path.is_file() and relative != MANIFEST_FILE and not hidden:
            found.append(relative)
    return sorted(found)


def files_digest(files: tuple[ManifestFile, ...]) -> str:
    canonical = json.dumps(
        [[f.path, f.size, f.sha256] for f in sorted(files, key=lambda f: f.path)],
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _parse_entry(entry: Any, origin: str) -> ManifestFile:
    if not isinstance(entry, dict):
        raise ManifestError(f"{origin}: a file entry is not an object")
    path, size, sha256 = entry.get("path"), entry.get("size"), entry.get("sha256")
    if not isinstance(path, str) or not is_safe_relative_path(path):
        raise ManifestError(f"{origin}: unsafe or malformed file path {path!r}")
    if type(size) is not int or size < 0:
        raise ManifestError(f"{origin}: bad size {size!r} for {path}")
    if not isinstance(sha256, str) or not SHA256_HEX.fullmatch(sha256):
        raise ManifestError(f"{origin}: bad sha256 for {path}")
    return ManifestFile(path, size, sha256)


def is_safe_relative_path(path: str) -> bool:
    """A relative path whose every component is a plain file name (no `..`, no `/x`)."""
    parts = PurePosixPath(path).parts
    return (
        0 < len(parts) <= 4
        and "\\" not in path
        and PurePosixPath(*parts).as_posix() == path
        and all(SAFE_COMPONENT.fullmatch(part) for part in parts)
        and path != MANIFEST_FILE
    )
