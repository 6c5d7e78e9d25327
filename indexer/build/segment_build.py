"""Writing one new generation's Whoosh segments and thread store, in parallel.

Whoosh's own `procs=N` writer pickles every document to a temporary file in the parent
and re-reads it in a child, and the parent still does all the record work. Here the
parent only reads threads and hands batches of them to N worker processes; each worker
turns threads into documents, analyses and writes its own segments (FastSegmentWriter,
a SegmentWriter with Whoosh's lock off, as Whoosh's multisegment writer does) and its
own thread store shard, keeping a copy of each segment's postings. At the end the parent
writes one table of contents naming every worker's segments, merges the postings copies
into the generation's posting arrays (indexer/build/posting_arrays.py) and folds the
shards into `threads.sqlite`. The result is a normal index of a few segments (N for small
archives, about 2N for 100k threads) plus its arrays; no Whoosh merge.

This leans on SegmentWriter internals (`_finalize_segment`, `_commit_toc`) exactly as
whoosh.multiproc does; Whoosh is pinned at 2.7.4.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import signal
import sqlite3
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from whoosh.index import create_in, open_dir
from whoosh.writing import SegmentWriter

from indexer.archive.records import Thread
from indexer.build.disk_space import is_disk_full
from indexer.build.documents import hashed_record, thread_document, thread_record
from indexer.build.posting_arrays import new_capture, save_capture, write_posting_arrays
from indexer.build.worker_lifetime import die_with_parent
from search.index.generations import THREAD_STORE_FILE
from search.index.schema import SCHEMA
from search.index.thread_store import ThreadStore
from search.whoosh_internals.fast_segment_writer import FastSegmentWriter

BATCH_SIZE = 250
# Per writer: Whoosh sorts postings in memory up to this size, then spills sorted runs
# to disk and merges them at the end, which costs three more Python calls a posting
# (measured: 10k threads ~1.4 ms a thread, 100k threads ~2.3 ms). So a worker closes
# its segment and starts another before the pool would spill: a full build of 100k
# sample threads ends with about two segments a worker, each sorted in memory.
# Whoosh's estimate of the pool's size runs close to the process's real growth.
LIMIT_MB = 1536
SEGMENT_MB = 1024
# How long a blocked worker waits before checking that its parent is still alive.
_POLL_SECONDS = 1.0


class SegmentBuildError(RuntimeError):
    """A worker failed; the message carries its traceback."""


@dataclass
class _ShardWriter:
    """One segment and one store shard: runs in a worker (or in-process for procs=1)."""

    generation: Path
    shard: int

    def __post_init__(self) -> None:
        self.segments: list[Any] = []
        self.writer = self._new_writer()
        self.store_path = self.generation / f"threads-{self.shard}.sqlite"
        self.store = ThreadStore(self.store_path, readonly=False, durable=False)

    def add(self, threads: list[Thread]) -> None:
        rows = []
        add_document = self.writer.add_document
        for thread in threads:
            thread_hash, stored = hashed_record(thread_record(thread))
            add_document(**thread_document(thread, thread_hash=thread_hash))
            rows.append((thread.id, thread_hash, thread.specialty, stored))
        self.store.put_encoded(rows)
        if self.writer.pool.currentsize > SEGMENT_MB * 1024 * 1024:
            self._finalize()
            self.writer = self._new_writer()

    def _new_writer(self) -> FastSegmentWriter:
        self.capture = new_capture()
        return FastSegmentWriter(
            open_dir(self.generation), _lk=False, limitmb=LIMIT_MB, capture=self.capture
        )

    def _finalize(self) -> None:
        segment = self.writer._finalize_segment()
        save_capture(self.generation, segment, self.capture)
        self.segments.append(segment)

    def finish(self) -> list[Any]:
        """Close the last segment; returns Whoosh's segment objects, one per segment."""
        self.store.close()
        if self.writer._added:
            self._finalize()
        else:
            self.writer._close_segment()
        return self.segments

    def cancel(self) -> None:
        """Drop the half-written segment's open files (the directory is removed anyway)."""
        with contextlib.suppress(Exception):
            self.store.close()
        with contextlib.suppress(Exception):
            self.writer.cancel()


def build_segments(
    threads: Iterable[Thread],
    generation: Path,
    *,
    procs: int,
    on_batch: Callable[[int], None] | None = None,
    close_in_child: Callable[[], None] | None = None,
) -> int:
    """Index `threads` into the fresh generation directory; returns how many were written.

    `on_batch(n)` is called in the parent after each batch of n threads is handed out.
    `close_in_child` runs first in each worker (to drop file handles, e.g. the reindex
    lock, that a forked child must not keep alive).
    """
    create_in(generation, SCHEMA)
    if procs <= 1:
        shard = _ShardWriter(generation, 0)
        written = 0
        try:
            for batch in _batches(threads):
                shard.add(batch)
                written += len(batch)
                if on_batch:
                    on_batch(len(batch))
        except BaseException:
            shard.cancel()
            raise
        segments = shard.finish()
    else:
        written, segments = _build_in_workers(threads, generation, procs, on_batch, close_in_child)
    _commit_segments(generation, segments)
    write_posting_arrays(generation)
    _merge_store_shards(generation)
    return written


def _batches(threads: Iterable[Thread]) -> Iterator[list[Thread]]:
    batch: list[Thread] = []
    for thread in threads:
        batch.append(thread)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _build_in_workers(
    threads: Iterable[Thread],
    generation: Path,
    procs: int,
    on_batch: Callable[[int], None] | None,
    close_in_child: Callable[[], None] | None,
) -> tuple[int, list[Any]]:
    context = get_context("fork")
    jobs = context.Queue(maxsize=procs * 2)
    results = context.Queue()
    workers = [
        context.Process(
            target=_worker_main,
            args=(generation, shard, jobs, results, os.getpid(), close_in_child),
            daemon=True,
        )
        for shard in range(procs)
    ]
    for worker in workers:
        worker.start()
    try:
        written = 0
        for batch in _batches(threads):
            _put_checked(jobs, batch, workers, results)
            written += len(batch)
            if on_batch:
                on_batch(len(batch))
        for _ in workers:
            _put_checked(jobs, None, workers, results)
        segments = [s for _ in workers for s in _get_result(results, workers)]
        for worker in workers:
            worker.join()
        return written, segments
    except BaseException:
        # Batches still queued will never be read: without this, exiting would wait
        # forever for the queue's feeder thread to flush them.
        jobs.cancel_join_thread()
        raise
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
        jobs.close()
        results.close()


def _put_checked(jobs: Any, item: Any, workers: list[Any], results: Any) -> None:
    """Queue a job, noticing a dead or failed worker instead of blocking forever."""
    while True:
        try:
            jobs.put(item, timeout=_POLL_SECONDS)
            return
        except queue.Full:
            _raise_if_failed(workers, results)


def _get_result(results: Any, workers: list[Any]) -> Any:
    while True:
        try:
            kind, value = results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            _raise_if_failed(workers, results, peek=False)
            continue
        _raise_if_error(kind, value)
        return value


def _raise_if_error(kind: str, value: Any) -> None:
    if kind == "disk-full":  # told as the OSError it was, so the build reports it in one line
        raise OSError(errno.ENOSPC, value)
    if kind == "error":
        raise SegmentBuildError(f"an index worker failed:\n{value}")


def _raise_if_failed(workers: list[Any], results: Any, *, peek: bool = True) -> None:
    if peek:
        # While jobs are still being handed out, the only possible result is an error.
        with contextlib.suppress(queue.Empty):
            _raise_if_error(*results.get_nowait())
    dead = [w for w in workers if w.exitcode not in (None, 0)]
    if dead:
        raise SegmentBuildError(
            f"an index worker died (pid {dead[0].pid}, exit code {dead[0].exitcode})"
        )


def _worker_main(
    generation: Path,
    shard: int,
    jobs: Any,
    results: Any,
    parent_pid: int,
    close_in_child: Callable[[], None] | None,
) -> None:
    # A kill -9 of the parent must not leave us blocked in a read of the job pipe.
    die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; the parent decides and terminates us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if close_in_child:
        close_in_child()
    try:
        writer = _ShardWriter(generation, shard)
        while True:
            try:
                batch = jobs.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if os.getppid() != parent_pid:
                    return  # the parent was killed: stop, leave the debris to the next run
                continue
            if batch is None:
                break
            writer.add(batch)
        results.put(("segment", writer.finish()))
    except BaseException as error:
        if is_disk_full(error):  # not a bug: no traceback, just what happened
            results.put(("disk-full", getattr(error, "strerror", None) or str(error)))
        else:
            results.put(("error", traceback.format_exc()))
        raise


def _commit_segments(generation: Path, segments: list[Any]) -> None:
    """Write the table of contents naming the workers' segments (Whoosh's commit step)."""
    writer = SegmentWriter(open_dir(generation))
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _merge_store_shards(generation: Path) -> None:
    shards = sorted(generation.glob("threads-*.sqlite"))
    target = generation / THREAD_STORE_FILE
    ThreadStore(target, readonly=False, durable=False).close()
    db = sqlite3.connect(target)
    try:
        for index, shard in enumerate(shards):
            db.execute(f"ATTACH DATABASE ? AS shard{index}", (str(shard),))
            db.execute(f"INSERT OR REPLACE INTO threads SELECT * FROM shard{index}.threads")
            db.commit()
            db.execute(f"DETACH DATABASE shard{index}")
    finally:
        db.close()
    for shard in shards:
        shard.unlink()
