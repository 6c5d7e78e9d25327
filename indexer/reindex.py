"""Reindex: archive sources -> a new index generation, switched in atomically.

Full rebuild (`full_reindex`, `build_index`): under the reindex lock, delete debris of
dead builds, write every thread into `building-<stamp>-<pid>/` beside the live
generation (segments written in parallel, see segment_build), write meta.json, open the
result once with a searcher to prove it reads, fsync, rename it to `gen-<stamp>/` and
replace CURRENT. Anything going wrong before that last step (an exception, Ctrl-C,
kill -9, a bad page in strict mode) leaves the live generation answering as before.
Old generations are then pruned (see generation_dirs for the retention rule).

Incremental (`incremental_reindex`): in place on the live generation. Content hashes of
the sources are compared with the thread store: new threads are added, changed ones
replaced, ones no longer in the sources deleted, in one Whoosh writer; the index is
committed before the store so that a crash in between is repaired by the next run.
Without a live index (or with one of another schema version) it does a full build.

Bad pages never abort a run: they are collected as ParseErrors and summarised by
reason. With `strict=True` any bad page fails the run (StrictModeError) and the live
index is untouched.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh.index import open_dir

from indexer.documents import content_hash, thread_document
from indexer.generation_dirs import (
    finished_name,
    new_building_dir,
    remove_debris,
    remove_old_generations,
    remove_tree,
)
from indexer.lock import close_inherited_locks, reindex_lock
from indexer.records import ParseError, Thread
from indexer.segment_build import LIMIT_MB, build_segments
from indexer.stats import index_stats
from search.generations import (
    THREAD_STORE_FILE,
    IndexUnavailableError,
    current_generation,
    fsync_tree,
    read_meta,
    switch_to,
    write_meta,
)
from search.schema import SCHEMA_VERSION
from search.thread_store import ThreadStore, encode_record

__all__ = [
    "ReindexError",
    "ReindexSummary",
    "StrictModeError",
    "build_index",
    "full_reindex",
    "incremental_reindex",
    "index_stats",
]

# progress(threads_done, skipped_so_far), called every batch.
Progress = Callable[[int, int], None]


class ReindexError(RuntimeError):
    """The run failed and changed nothing live; the message says why and what to do."""


class StrictModeError(ReindexError):
    """strict=True and a source could not be read."""

    def __init__(self, error: ParseError) -> None:
        super().__init__(
            f"strict mode: {error}; the live index is unchanged "
            "(fix or remove the page, or run without --strict to skip bad pages)"
        )
        self.error = error


@dataclass
class ReindexSummary:
    mode: str  # "full" or "incremental"
    index_dir: Path
    generation: str
    threads: int  # threads in the live index after the run
    written: int = 0  # documents written by this run
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[ParseError] = field(default_factory=list)
    elapsed: float = 0.0
    removed: list[str] = field(default_factory=list)  # generations and debris deleted

    @property
    def threads_per_second(self) -> float:
        return self.written / self.elapsed if self.elapsed > 0 else 0.0

    def skipped_by_reason(self) -> dict[str, int]:
        """Skipped sources counted by kind of reason (see reason_group), most first."""
        return dict(Counter(reason_group(error.reason) for error in self.skipped).most_common())

    def skipped_text(self) -> str:
        if not self.skipped:
            return "0 skipped"
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skipped_by_reason().items())
        return f"{len(self.skipped)} skipped: {reasons}"

    def describe(self) -> str:
        """The one-line summary printed after a run."""
        if self.mode == "full":
            done = f"indexed {self.written} threads"
        else:
            done = (
                f"incremental: {self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged"
            )
        rate = f" ({self.threads_per_second:,.0f} threads/s)" if self.mode == "full" else ""
        return (
            f"{done}; {self.skipped_text()}; {self.elapsed:.1f}s{rate}; "
            f"live generation {self.generation} has {self.threads} threads"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "index_dir": str(self.index_dir),
            "generation": self.generation,
            "threads": self.threads,
            "written": self.written,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "elapsed_seconds": round(self.elapsed, 3),
            "threads_per_second": round(self.threads_per_second, 1),
        }


def full_reindex(
    sources: Sequence[Path | str],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = None,
    progress: Progress | None = None,
) -> ReindexSummary:
    """Rebuild the whole index from archive sources (pages, folders, .jsonl files)."""
    index_dir = Path(index_dir)
    with reindex_lock(index_dir):
        return _full_build(
            _read_sources(sources), index_dir, strict=strict, procs=procs,
            progress=progress, source_names=_source_names(sources),
        )


def build_index(
    threads: Iterable[Thread | ParseError],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = 1,
    progress: Progress | None = None,
) -> ReindexSummary:
    """Full rebuild from Thread records already in hand (tests, generated archives)."""
    index_dir = Path(index_dir)
    with reindex_lock(index_dir):
        return _full_build(
            threads, index_dir, strict=strict, procs=procs, progress=progress,
            source_names=["<records>"],
        )


def incremental_reindex(
    sources: Sequence[Path | str],
    index_dir: Path | str,
    *,
    strict: bool = False,
    procs: int | None = None,
    progress: Progress | None = None,
) -> ReindexSummary:
    """Bring the live generation in line with the sources in place (full build if none)."""
    index_dir = Path(index_dir)
    names = _source_names(sources)
    with reindex_lock(index_dir):
        try:
            live = current_generation(index_dir)
        except IndexUnavailableError:
            return _full_build(
                _read_sources(sources), index_dir, strict=strict, procs=procs,
                progress=progress, source_names=names,
            )
        return _incremental(
            _read_sources(sources), index_dir, live, strict=strict, progress=progress,
            source_names=names,
        )


def update_index(
    threads: Iterable[Thread | ParseError],
    index_dir: Path | str,
    *,
    strict: bool = False,
) -> ReindexSummary:
    """Incremental reindex from Thread records in hand (the live index must exist)."""
    index_dir = Path(index_dir)
    with reindex_lock(index_dir):
        live = current_generation(index_dir)
        return _incremental(
            threads, index_dir, live, strict=strict, progress=None, source_names=["<records>"]
        )


def reason_group(reason: str) -> str:
    """The kind of a ParseError reason, without its particulars: numbers become N and any
    detail after ':', '(' or ',' is dropped, so "binary file (12% control characters)"
    and "binary file (40% ...)" count together."""
    if "duplicate thread id" in reason:
        return "duplicate thread id"
    if " cap" in reason:
        return "over the size cap"
    generic = re.sub(r"\d[\d,]*\d|\d", "N", reason)
    return re.split(r"[:(,]", generic, maxsplit=1)[0].strip() or reason


class _Intake:
    """Filters the source stream: keeps threads, collects ParseErrors, drops duplicate ids."""

    def __init__(self, items: Iterable[Thread | ParseError], strict: bool) -> None:
        self.items = items
        self.strict = strict
        self.skipped: list[ParseError] = []
        self.first_source: dict[str, str | None] = {}

    def threads(self) -> Iterator[Thread]:
        for item in self.items:
            if isinstance(item, ParseError):
                self._skip(item)
            elif item.id in self.first_source:
                self._skip(
                    ParseError(
                        item.source or item.id,
                        f"duplicate thread id: {item.id} was already read from "
                        f"{self.first_source[item.id] or 'an earlier record'}",
                    )
                )
            else:
                self.first_source[item.id] = item.source
                yield item

    def _skip(self, error: ParseError) -> None:
        if self.strict:
            raise StrictModeError(error)
        self.skipped.append(error)


def _full_build(
    items: Iterable[Thread | ParseError],
    index_dir: Path,
    *,
    strict: bool,
    procs: int | None,
    progress: Progress | None,
    source_names: list[str],
) -> ReindexSummary:
    started = time.perf_counter()
    removed = remove_debris(index_dir) + remove_old_generations(index_dir)
    intake = _Intake(items, strict)
    building = new_building_dir(index_dir)
    try:
        done = 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(intake.skipped))

        written = build_segments(
            intake.threads(), building, procs=procs or os.cpu_count() or 1,
            on_batch=on_batch, close_in_child=close_inherited_locks,
        )
        if written == 0:
            raise ReindexError(
                f"no threads found in {', '.join(source_names)} "
                f"({len(intake.skipped)} skipped); the live index is unchanged"
            )
        final = building.with_name(finished_name(building))
        with ThreadStore(building / THREAD_STORE_FILE) as store:
            specialties = store.specialty_counts()
        write_meta(building, {
            "schema_version": SCHEMA_VERSION,
            "generation": final.name,
            "built_at": _now(),
            "updated_at": None,
            "threads": written,
            "specialties": specialties,
            "sources": source_names,
            "skipped": len(intake.skipped),
            "elapsed_seconds": round(time.perf_counter() - started, 3),
        })
        _prove_readable(building, written)
        fsync_tree(building)
        os.rename(building, final)
        switch_to(index_dir, final)
    except BaseException:
        remove_tree(building)
        raise
    removed += remove_old_generations(index_dir)
    return ReindexSummary(
        mode="full", index_dir=index_dir, generation=final.name, threads=written,
        written=written, added=written, skipped=intake.skipped,
        elapsed=time.perf_counter() - started, removed=removed,
    )


def _incremental(
    items: Iterable[Thread | ParseError],
    index_dir: Path,
    live: Path,
    *,
    strict: bool,
    progress: Progress | None,
    source_names: list[str],
) -> ReindexSummary:
    started = time.perf_counter()
    removed = remove_debris(index_dir) + remove_old_generations(index_dir)
    intake = _Intake(items, strict)
    store = ThreadStore(live / THREAD_STORE_FILE, readonly=False)
    try:
        known = store.hashes()
        # Only new and changed threads are kept in memory; unchanged ones are dropped.
        changes: list[tuple[Thread, str]] = []
        updated = unchanged = seen = 0
        for thread in intake.threads():
            thread_hash = content_hash(thread)
            old_hash = known.get(thread.id)
            if old_hash == thread_hash:
                unchanged += 1
            else:
                changes.append((thread, thread_hash))
                updated += old_hash is not None
            seen += 1
            if progress and seen % 1000 == 0:
                progress(seen, len(intake.skipped))
        if seen == 0:
            raise ReindexError(
                f"no threads found in {', '.join(source_names)} "
                f"({len(intake.skipped)} skipped); an incremental run would delete every "
                "thread, so the live index is unchanged"
            )
        deleted = [thread_id for thread_id in known if thread_id not in intake.first_source]
        replaced = [thread.id for thread, _ in changes if thread.id in known]
        if changes or deleted:
            _write_changes(live, changes, [*replaced, *deleted])
            store.put_encoded(
                (t.id, h, t.specialty, encode_record(t.to_dict())) for t, h in changes
            )
            store.delete_many(deleted)
        threads = store.count()
        specialties = store.specialty_counts()
    finally:
        store.close()
    meta = read_meta(live)
    meta.update(
        updated_at=_now(), threads=threads, specialties=specialties, sources=source_names,
        skipped=len(intake.skipped),
    )
    write_meta(live, meta)
    return ReindexSummary(
        mode="incremental", index_dir=index_dir, generation=live.name, threads=threads,
        written=len(changes), added=len(changes) - updated, updated=updated,
        deleted=len(deleted), unchanged=unchanged, skipped=intake.skipped,
        elapsed=time.perf_counter() - started, removed=removed,
    )


def _write_changes(live: Path, changes: list[tuple[Thread, str]], stale_ids: list[str]) -> None:
    """One writer: delete stale documents by docnum, add the new ones, commit."""
    ix = open_dir(live)
    writer = ix.writer(limitmb=LIMIT_MB)
    try:
        # One searcher for all lookups: delete_by_term/update_document open one per call.
        with ix.searcher() as searcher:
            for thread_id in stale_ids:
                docnum = searcher.document_number(id=thread_id)
                if docnum is not None:
                    writer.delete_document(docnum)
        for thread, thread_hash in changes:
            writer.add_document(**thread_document(thread, thread_hash=thread_hash))
    except BaseException:
        writer.cancel()
        raise
    # The default merge policy folds small segments together, so repeated incremental
    # runs do not pile up segments; the big ones from the full build are left alone.
    writer.commit()


def _prove_readable(generation: Path, expected: int) -> None:
    """Open the new generation as a reader would; refuse to switch to a broken one."""
    ix = open_dir(generation)
    with ix.searcher() as searcher:
        found = searcher.doc_count()
    with ThreadStore(generation / THREAD_STORE_FILE) as store:
        stored = store.count()
    if found != expected or stored != expected:
        raise ReindexError(
            f"the new generation reads back {found} documents and {stored} stored threads, "
            f"expected {expected}; the live index is unchanged"
        )


def _read_sources(sources: Sequence[Path | str]) -> Iterable[Thread | ParseError]:
    # Imported here: the sources reader is only needed when reading an archive.
    from indexer.sources import read_sources

    return read_sources([Path(source) for source in sources])


def _source_names(sources: Sequence[Path | str]) -> list[str]:
    return [str(Path(source).resolve()) for source in sources]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
