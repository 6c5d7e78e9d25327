"""Synthetic sample archives: pages in the site's format, for tests, demos and benchmarks.

`qasearch sample-archive OUT_DIR --threads N [--seed S]` writes N pages named
`000123_<hex>.txt` into subfolders of at most 1000 pages (`000/`, `001/`, ...). The same
seed and count always give byte-identical pages.

Overwriting policy: OUT_DIR must be new or empty, or hold a previous sample archive
(recognised by its `.sample-archive.json` marker), which `--force` replaces. A non-empty
folder without the marker is never written into, with or without `--force`, so a real
archive cannot be clobbered by mistake.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from indexer.archive.page_writer import render_page
from indexer.archive.records import Thread
from indexer.sample.threads import build_thread, thread_id

MARKER = ".sample-archive.json"
PAGES_PER_FOLDER = 1000
PAGE_NAME = re.compile(r"\d{6,}_[0-9a-f]{16}\.txt")
FOLDER_NAME = re.compile(r"\d{3,}")
# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 2 * PAGES_PER_FOLDER


class SampleArchiveError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def generate_threads(count: int, seed: int = 0) -> Iterator[Thread]:
    """The `count` threads of the sample archive for `seed`, in index order."""
    if count < 0:
        raise ValueError(f"count must be zero or more, not {count}")
    for index in range(count):
        yield build_thread(seed, index, count)


def page_path(out_dir: Path, seed: int, index: int) -> Path:
    """Where page `index` goes: `out_dir/000/000123_<hex>.txt`."""
    return out_dir / f"{index // PAGES_PER_FOLDER:03d}" / f"{thread_id(seed, index)}.txt"


def write_sample_archive(
    out_dir: Path,
    count: int,
    seed: int = 0,
    *,
    procs: int | None = None,
    progress: bool = False,
    replace: bool = False,
) -> int:
    """Write `count` pages into `out_dir`; returns the number written.

    Raises SampleArchiveError if `out_dir` is a non-empty folder other than a previous
    sample archive, or is a previous sample archive and `replace` is false.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    out_dir = Path(out_dir)
    _prepare(out_dir, replace)
    _write_marker(out_dir, count, seed, complete=False)
    ranges = [
        (seed, start, min(start + PAGES_PER_FOLDER, count), count, str(out_dir))
        for start in range(0, count, PAGES_PER_FOLDER)
    ]
    procs = procs or min(2, os.cpu_count() or 1)
    written = 0
    if procs == 1 or count < PARALLEL_FROM:
        with tqdm(total=count, unit="page", disable=not progress) as bar:
            for task in ranges:
                done = _write_range(task)
                written += done
                bar.update(done)
    else:
        # The pool starts before the progress bar's monitor thread, so forking is safe.
        with (
            multiprocessing.Pool(procs) as pool,
            tqdm(total=count, unit="page", disable=not progress) as bar,
        ):
            for done in pool.imap_unordered(_write_range, ranges):
                written += done
                bar.update(done)
    _write_marker(out_dir, count, seed, complete=True)
    return written


def _write_range(task: tuple[int, int, int, int, str]) -> int:
    seed, start, stop, count, out_dir = task
    folder = page_path(Path(out_dir), seed, start).parent
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(start, stop):
        thread = build_thread(seed, index, count)
        (folder / f"{thread.id}.txt").write_bytes(render_page(thread).encode("utf-8"))
    return stop - start


def _write_marker(out_dir: Path, count: int, seed: int, *, complete: bool) -> None:
    marker = {"generator": "qasearch sample-archive", "threads": count, "seed": seed,
              "complete": complete}
    (out_dir / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def is_sample_archive(folder: Path) -> bool:
    """True if `folder` holds a sample archive written by this module."""
    return (folder / MARKER).is_file()


def _prepare(out_dir: Path, replace: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SampleArchiveError(f"{out_dir} exists and is not a folder")
    if not out_dir.exists():
        out_dir.mkdir(parents=True)
        return
    if not any(out_dir.iterdir()):
        return
    if not is_sample_archive(out_dir):
        raise SampleArchiveError(
            f"{out_dir} is not empty and is not a sample archive; refusing to write into it. "
            "Choose a new or empty folder."
        )
    if not replace:
        raise SampleArchiveError(
            f"{out_dir} already holds a sample archive; use --force to replace it."
        )
    _remove_sample_pages(out_dir)


def _remove_sample_pages(out_dir: Path) -> None:
    """Delete a previous sample archive's pages and marker, and nothing else."""
    for folder in sorted(out_dir.iterdir()):
        if folder.is_dir() and FOLDER_NAME.fullmatch(folder.name):
            for page in folder.iterdir():
                if PAGE_NAME.fullmatch(page.name) and page.is_file():
                    page.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()
    (out_dir / MARKER).unlink()


@click.command("sample-archive")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--threads", "count", type=click.IntRange(min=1), required=True,
              help="How many thread pages to write.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed and count, same pages.")
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: up to 2).")
@click.option("--force", is_flag=True,
              help="Replace a previous sample archive in OUT_DIR (never any other files).")
def sample_archive_command(
    out_dir: Path, count: int, seed: int, procs: int | None, force: bool
) -> None:
    """Write a synthetic archive of --threads N thread pages into OUT_DIR.

    OUT_DIR must be new, empty, or a previous sample archive (replaced with --force).
    """
    started = time.perf_counter()
    try:
        written = write_sample_archive(
            out_dir, count, seed, procs=procs, progress=sys.stderr.isatty(), replace=force
        )
    except SampleArchiveError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write the sample archive: {error}") from None
    seconds = time.perf_counter() - started
    click.echo(f"Wrote {written} sample pages (seed {seed}) to {out_dir} in {seconds:.1f} s.")
