"""Reindex: archive sources -> a new index generation, switched in atomically.

Full rebuild (`full_reindex`, `build_index`): under the reindex lock, delete debris of
dead builds, write every thread into `building-<stamp>-<pid>/` beside the live
generation (segments written in parallel, see segment_build), write meta.json, open the
result once with a searcher to prove it reads, write its manifest (every file's size and
SHA-256, for replicas: see manifest), fsync, rename it to `gen-<stamp>/` and replace
CURRENT. Anything going wrong before that last step (an exception, Ctrl-C,
kill -9, a bad page in strict mode) leaves the live generation answering as before.
Old generations are then pruned (see generation_dirs for the retention rule).

Incremental (`incremental_reindex`, `update_index`): in place on the live generation,
see indexer/incremental. Without a live index (or with one of another schema version)
it does a full build.

Bad pages never abort a run: they are collected as ParseErrors and summarised by
reason. With `strict=True` any bad page fails the run (StrictModeError) and the live
index is untouched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from indexer.archive.records import ParseError, Thread
from indexer.build.disk_space import OutOfSpaceError, is_disk_full, out_of_space
from indexer.build.generation_dirs import (
    finished_name,
    new_building_dir,
    remove_debris,
    remove_old_generations,
    remove_tree,
)
from indexer.build.incremental import update_in_place
from indexer.build.lock import close_inherited_locks, reindex_lock
from indexer.build.manifest import write_manifest
from indexer.build.phrases import counted_phrases
from indexer.build.reindex_summary import (
    Progress,
    ReindexError,
    ReindexSummary,
    SourceIntake,
    StrictModeError,
)
from indexer.build.segment_build import build_segments
from indexer.build.stats import index_stats
from indexer.build.vector_build import INLINE_ENCODE_LIMIT, VectorOptions, has_current_vectors
from search.index.generations import (
    THREAD_STORE_FILE,
    IndexUnavailableError,
    current_generation,
    fsync_tree,
    switch_to,
    write_meta,
)
from search.index.phrases import PhraseCounter
from search.index.posting_arrays import PostingArrays
from search.index.schema import SCHEMA_VERSION
from search.index.thread_store import ThreadStore
from search.query.vocabulary import OPERATOR_FILE, SynonymFileError, read_operator_file
from search.whoosh_internals.mapped_storage import open_mapped_index

__all__ = [
    "OutOfSpaceError",
    "ReindexError",
    "ReindexSummary",
    "StrictModeError",
    "build_index",
    "full_reindex",
    "incremental_reindex",
    "index_stats",
    "update_index",
]


def full_reindex(
    sources: Sequence[Path | str],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = None,
    progress: Progress | None = None,
    vectors: VectorOptions | None = None,
    synonyms: Path | str | None = None,
) -> ReindexSummary:
    """Rebuild the whole index from archive sources (pages, folders, .jsonl files).

    With `vectors` (the CLI's default; see indexer/build/vector_build.py) the threads'
    sentence vectors are added, after the lexical generation is live when many are new.
    `synonyms`: an operator's synonyms file (search/query/vocabulary.py), checked first
    (ReindexError naming every bad line as file:line) and copied into the generation.
    """
    index_dir = Path(index_dir)
    _refuse_special_files(sources)
    operator = _operator_synonyms(synonyms)
    with reindex_lock(index_dir):
        return _full_build(
            _read_sources(sources), index_dir, strict=strict, procs=procs,
            progress=progress, source_names=_source_names(sources), vectors=vectors,
            synonyms=operator,
        )


def build_index(
    threads: Iterable[Thread | ParseError],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = 1,
    progress: Progress | None = None,
    vectors: VectorOptions | None = None,
) -> ReindexSummary:
    """Full rebuild from Thread records already in hand (tests, generated archives)."""
    index_dir = Path(index_dir)
    with reindex_lock(index_dir):
        return _full_build(
            threads, index_dir, strict=strict, procs=procs, progress=progress,
            source_names=["<records>"], vectors=vectors,
        )


def incremental_reindex(
    sources: Sequence[Path | str],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = None,
    progress: Progress | None = None,
    vectors: VectorOptions | None = None,
) -> ReindexSummary:
    """Bring the live generation in line with the sources in place (full build if none).

    With `vectors`, a changed index then gets a new generation with its vectors (the
    in-place commit leaves the old rows misaligned, and search lexical until then).
    """
    index_dir = Path(index_dir)
    names = _source_names(sources)
    _refuse_special_files(sources)
    with reindex_lock(index_dir):
        try:
            live = current_generation(index_dir)
        except IndexUnavailableError:
            return _full_build(
                _read_sources(sources), index_dir, strict=strict, procs=procs,
                progress=progress, source_names=names, vectors=vectors,
            )
        try:
            summary = update_in_place(
                _read_sources(sources), index_dir, live, strict=strict, progress=progress,
                source_names=names,
            )
            return _republish_vectors(index_dir, live, summary, vectors)
        except (OSError, sqlite3.Error) as error:
            if is_disk_full(error):
                raise out_of_space(error, index_dir, incremental=True) from None
            raise


def update_index(
    threads: Iterable[Thread | ParseError],
    index_dir: Path | str,
    *,
    strict: bool = False,
    vectors: VectorOptions | None = None,
) -> ReindexSummary:
    """Incremental reindex from Thread records in hand (the live index must exist)."""
    index_dir = Path(index_dir)
    with reindex_lock(index_dir):
        live = current_generation(index_dir)
        summary = update_in_place(
            threads, index_dir, live, strict=strict, progress=None, source_names=["<records>"]
        )
        return _republish_vectors(index_dir, live, summary, vectors)


def _republish_vectors(index_dir: Path, live: Path, summary: ReindexSummary,
                       vectors: VectorOptions | None) -> ReindexSummary:
    """After an in-place update, a new generation with vectors aligned to it (the old rows
    no longer match the docnums; search is lexical until this switch)."""
    if vectors is not None and (summary.written or summary.deleted
                                or not has_current_vectors(live)):
        plan = vectors.plan(live, index_dir)
        final, vectors.encoded = vectors.publish(index_dir, live, plan)
        summary.generation = final.name
        summary.vectors = vectors.describe()
    return summary


def _full_build(
    items: Iterable[Thread | ParseError],
    index_dir: Path,
    *,
    strict: bool,
    procs: int | None,
    progress: Progress | None,
    source_names: list[str],
    vectors: VectorOptions | None = None,
    synonyms: tuple[Path, int] | None = None,
) -> ReindexSummary:
    started = time.perf_counter()
    removed = remove_debris(index_dir) + remove_old_generations(index_dir)
    intake = SourceIntake(items, strict)
    building = new_building_dir(index_dir)
    try:
        done = 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(intake.skipped))

        phrases = PhraseCounter()
        written = build_segments(
            counted_phrases(intake.threads(), phrases), building,
            procs=procs or os.cpu_count() or 1,
            on_batch=on_batch, close_in_child=close_inherited_locks,
        )
        if written == 0:
            raise ReindexError(
                f"no threads found in {', '.join(source_names)} "
                f"({len(intake.skipped)} skipped); the live index is unchanged"
            )
        phrases.write(building)
        final = building.with_name(finished_name(building))
        with ThreadStore(building / THREAD_STORE_FILE) as store:
            specialties = store.specialty_counts()
        if synonyms is not None:
            shutil.copyfile(synonyms[0], building / OPERATOR_FILE)
        write_meta(building, {
            "schema_version": SCHEMA_VERSION,
            "generation": final.name,
            "built_at": _now(),
            "updated_at": None,
            "threads": written,
            "specialties": specialties,
            "sources": source_names,
            "skipped": len(intake.skipped),
            "synonyms": None if synonyms is None else {
                "source": str(synonyms[0].resolve()), "groups": synonyms[1],
            },
            "elapsed_seconds": round(time.perf_counter() - started, 3),
        })
        _prove_readable(building, written)
        vector_plan = None
        if vectors is not None:
            vector_plan = vectors.plan(building, index_dir)
            if len(vector_plan.texts) <= INLINE_ENCODE_LIMIT:
                vectors.encoded = vectors.fill(building, vector_plan)
                vector_plan = None
        write_manifest(building, name=final.name)
        fsync_tree(building)
        os.rename(building, final)
        switch_to(index_dir, final)
    except BaseException as error:
        remove_tree(building)  # also gives back the space a full disk needs
        if is_disk_full(error):
            raise out_of_space(error, index_dir) from None
        raise
    lexical_elapsed = time.perf_counter() - started
    if vector_plan is not None:
        # Search runs on the lexical generation meanwhile; see vector_build.
        try:
            final, vectors.encoded = vectors.publish(index_dir, final, vector_plan)
        except (OSError, ValueError) as error:
            if is_disk_full(error):
                raise out_of_space(error, index_dir) from None
            raise
    removed += remove_old_generations(index_dir)
    return ReindexSummary(
        mode="full", index_dir=index_dir, generation=final.name, threads=written,
        written=written, added=written, skipped=intake.skipped,
        elapsed=time.perf_counter() - started, removed=removed,
        lexical_elapsed=lexical_elapsed,
        vectors=None if vectors is None else vectors.describe(),
    )


def _prove_readable(generation: Path, expected: int) -> None:
    """Open the new generation as a reader would; refuse to switch to a broken one."""
    # Mapped, as the searcher will read it (open_dir would copy every segment's files).
    with open_mapped_index(generation).searcher() as searcher:
        found = searcher.doc_count()
        arrays = PostingArrays.open(generation, searcher)
    with ThreadStore(generation / THREAD_STORE_FILE) as store:
        stored = store.count()
    if found != expected or stored != expected:
        raise ReindexError(
            f"the new generation reads back {found} documents and {stored} stored threads, "
            f"expected {expected}; the live index is unchanged"
        )
    if arrays is None:
        raise ReindexError(
            "the new generation's posting arrays do not fit its segments; the live index "
            "is unchanged"
        )


def _refuse_special_files(sources: Sequence[Path | str]) -> None:
    """A FIFO or device given as a source fails the run before the lock is taken."""
    from indexer.archive.sources import SourceError, check_sources

    try:
        check_sources(sources)
    except SourceError as error:
        raise ReindexError(f"{error}; nothing was read and the index is unchanged") from None
def _operator_synonyms(path: Path | str | None) -> tuple[Path, int] | None:
    """The operator's synonyms file and its group count, checked before any work."""
    if path is None:
        return None
    try:
        return Path(path), len(read_operator_file(Path(path)))
    except SynonymFileError as error:
        raise ReindexError(
            f"bad synonyms file, nothing was indexed:\n{error}"
        ) from None


def _read_sources(sources: Sequence[Path | str]) -> Iterable[Thread | ParseError]:
    # Imported here: the sources reader is only needed when reading an archive.
    from indexer.archive.sources import read_sources

    return read_sources([Path(source) for source in sources])


def _source_names(sources: Sequence[Path | str]) -> list[str]:
    return [str(Path(source).resolve()) for source in sources]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
