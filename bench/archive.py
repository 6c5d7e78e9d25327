"""Sample archives for the benchmark: generated once by `qasearch sample-archive`, reused.

A generated archive lives in OUT/archives/sample-<threads>-seed<seed>/; a small JSON
file beside it (not inside: the reindex reads every file under the folder) records that
generation finished, and with which version of the generator's code, so neither an
interrupted archive nor one from an older generator is reused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import indexer
from bench.queries import archive_pages


@dataclass(frozen=True)
class ArchiveInfo:
    path: str
    threads_requested: int
    seed: int | None
    pages: int
    bytes: int
    generated_s: float | None  # None when reused from an earlier run or given by the user
    # Which sample generator wrote it (generator_digest()); None for an archive given by
    # the user, whose origin the benchmark cannot know.
    generator_digest: str | None = None


def qasearch_executable() -> str:
    """The venv's `qasearch`, next to the interpreter running the benchmark."""
    return str(Path(sys.executable).with_name("qasearch"))


def ensure_archive(threads: int, seed: int, cache_dir: Path, given: Path | None) -> ArchiveInfo:
    """The archive to benchmark: `given` as is, else a cached or freshly generated one."""
    if given is not None:
        if not given.is_dir():
            raise FileNotFoundError(f"archive {given} is not a directory")
        return _describe(given, threads, None, None, None)
    path = cache_dir / f"sample-{threads}-seed{seed}"
    marker = path.with_name(path.name + ".complete.json")
    digest = generator_digest()
    finished = json.loads(marker.read_text()) if marker.is_file() and path.is_dir() else {}
    if finished.get("generator_digest") == digest:
        return _describe(path, threads, seed, None, digest)
    shutil.rmtree(path, ignore_errors=True)
    marker.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    command = [qasearch_executable(), "sample-archive", str(path),
               "--threads", str(threads), "--seed", str(seed)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed: {done.stderr.strip()[-1000:]}")
    info = _describe(path, threads, seed, time.perf_counter() - start, digest)
    marker.write_text(json.dumps(asdict(info), indent=1) + "\n")
    return info


def generator_digest() -> str:
    """A hash of the sample generator's files (indexer/sample/, the archive's page writer)."""
    package = Path(indexer.__file__).parent
    sources = sorted([*(package / "sample").glob("*.*"), package / "archive" / "page_writer.py"])
    digest = hashlib.sha256()
    for source in sources:
        if source.is_file():
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def recorded_generator_digest(archive: Path) -> str | None:
    """The generator digest recorded when the benchmark generated `archive`, if it did."""
    marker = archive.with_name(archive.name + ".complete.json")
    try:
        return json.loads(marker.read_text()).get("generator_digest")
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _describe(
    path: Path, threads: int, seed: int | None, generated_s: float | None, digest: str | None
) -> ArchiveInfo:
    pages = archive_pages(path)
    return ArchiveInfo(
        path=str(path),
        threads_requested=threads,
        seed=seed,
        pages=len(pages),
        bytes=sum(page.stat().st_size for page in pages),
        generated_s=None if generated_s is None else round(generated_s, 2),
        generator_digest=digest,
    )
