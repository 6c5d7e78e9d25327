"""`qasearch reindex` and `qasearch stats`: thin click wrappers over indexer.build.reindex."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import click

from indexer.archive.sources import count_sources
from indexer.build.lock import ReindexLockedError
from indexer.build.progress import ReindexProgress
from indexer.build.reindex import (
    ReindexError,
    full_reindex,
    incremental_reindex,
)
from indexer.build.segment_build import SegmentBuildError
from indexer.build.stats import format_stats, index_stats
from indexer.build.vector_build import VectorOptions
from search.index.generations import IndexUnavailableError
from search.index.reindex_status import ReindexStatus, write_reindex_status
from search.index.thread_store import ThreadStoreError
from search.semantic import EncoderUnavailable, SentenceEncoder

INDEX_OPTION = click.option(
    "--index", "index_dir", required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The index directory (holds CURRENT and the generations).",
)


class ReindexFailed(click.ClickException):
    """A failed run: exit status 1, message only (no traceback)."""

    exit_code = 1


@click.command("reindex")
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@INDEX_OPTION
@click.option("--incremental", is_flag=True,
              help="Update the live index in place: add new, replace changed, delete removed "
                   "threads (a full build if there is no index yet).")
@click.option("--strict", is_flag=True,
              help="Fail on the first page that cannot be read, leaving the live index as is.")
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help="Worker processes for a full build (default: one per CPU).")
@click.option("--no-vectors", is_flag=True,
              help="Skip the sentence vectors of semantic search (search is then lexical).")
@click.option("--synonyms", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None,
              help="An operator's synonyms file (one group a line, entries separated by "
                   "commas), copied into the new generation; full reindex only.")
def reindex_command(
    sources: tuple[Path, ...], index_dir: Path, incremental: bool, strict: bool,
    procs: int | None, no_vectors: bool, synonyms: Path | None,
) -> None:
    """Index archive SOURCEs (page files, folders of pages, .jsonl files) into --index.

    A full reindex builds a new generation beside the live one and switches to it when
    it is complete; searches keep working throughout.
    """
    if incremental and synonyms is not None:
        raise click.UsageError(
            "--synonyms needs a full reindex (it is copied into a new generation); "
            "run without --incremental"
        )
    extra = {} if incremental else {"synonyms": synonyms}
    run = incremental_reindex if incremental else full_reindex
    started = time.time()
    outcome: str | None = "failed"
    vector_bar = _LazyBar("vectors")
    vectors = None if no_vectors else _vector_options(vector_bar)
    try:
        with ReindexProgress(total=_count(sources)) as progress:
            try:
                summary = run(list(sources), index_dir, strict=strict, procs=procs,
                              progress=progress, vectors=vectors, **extra)
            finally:
                vector_bar.close()
        outcome = "ok"
    except ReindexLockedError as error:
        outcome = None  # the run holding the lock records its own outcome
        raise ReindexFailed(str(error)) from None
    except ReindexError as error:
        raise ReindexFailed(str(error)) from None
    except (IndexUnavailableError, ThreadStoreError) as error:
        # Only an incremental run reads the live index; a full one replaces it.
        raise ReindexFailed(f"{error}; run without --incremental to rebuild it") from None
    except SegmentBuildError as error:
        raise ReindexFailed(f"{error}\nthe live index is unchanged") from None
    except sqlite3.Error as error:  # the thread store; a full disk is an OutOfSpaceError
        raise ReindexFailed(
            f"thread store: {error}; a full reindex leaves the live index unchanged on such "
            "errors (check free space and permissions, then run it again)"
        ) from None
    except OSError as error:
        raise ReindexFailed(
            f"{error}; a full reindex leaves the live index unchanged on such errors "
            "(check free space and permissions, then run it again)"
        ) from None
    except KeyboardInterrupt:
        outcome = "interrupted"
        hint = "" if incremental else "; the live index is unchanged"
        raise ReindexFailed(f"interrupted{hint}") from None
    finally:
        if outcome is not None:
            _record_status(index_dir, "incremental" if incremental else "full", outcome, started)
    click.echo(summary.describe())
    for error in summary.skipped[:20]:
        click.echo(f"  skipped {error}", err=True)
    if len(summary.skipped) > 20:
        click.echo(f"  ... and {len(summary.skipped) - 20} more", err=True)


@click.command("stats")
@INDEX_OPTION
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def stats_command(index_dir: Path, output_format: str) -> None:
    """Show the live index: threads, threads per specialty, size, generation, build time."""
    try:
        stats = index_stats(index_dir)
    except IndexUnavailableError as error:
        raise ReindexFailed(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(stats, indent=2, sort_keys=True))
    else:
        click.echo(format_stats(stats))


class _LazyBar:
    """A progress bar made at its first step, so it never shows while indexing runs."""

    def __init__(self, desc: str) -> None:
        self.desc = desc
        self.bar: ReindexProgress | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = ReindexProgress(total=total, desc=self.desc)
        self.bar.encoding(done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _vector_options(progress: _LazyBar) -> VectorOptions | None:
    """The encoder for the run's vectors, or None (and why, once) when it cannot load."""
    try:
        encoder = SentenceEncoder.load()
    except EncoderUnavailable as error:
        click.echo(f"warning: no sentence vectors, search will be lexical: {error}", err=True)
        return None
    return VectorOptions(encoder, progress)


def _record_status(index_dir: Path, mode: str, outcome: str, started: float) -> None:
    """Leave the run's outcome for /metrics; never let that hide the run's own result."""
    finished = time.time()
    status = ReindexStatus(mode, outcome, started, finished, round(finished - started, 3))
    try:
        if index_dir.is_dir():
            write_reindex_status(index_dir, status)
    except OSError as error:
        click.echo(f"warning: could not record the run's status in {index_dir}: {error}", err=True)


def _count(sources: tuple[Path, ...]) -> int:
    """How many items to expect, for the progress bar's ETA (a listing, no parsing)."""
    return count_sources(sources)
