"""Incremental reindex: the live generation brought in line with the sources, in place.

Content hashes of the sources are compared with the thread store: new threads are
added, changed ones replaced, ones no longer in the sources deleted, in one Whoosh
writer. The index is committed before the store, so that a crash in between is
repaired by the next run (the store still has the old hashes, so those threads are
written again). For a moment after the commit a search can find a new thread whose
record is not in the store yet; readers treat a missing record as "not found".

The posting arrays of the full build (indexer/build/posting_arrays.py) are not rewritten:
the writer merges only segments they do not cover, so they keep describing the segments
they were written for (deleted documents are masked by the reader), and the threads added
here are read from Whoosh's posting lists until the next full reindex.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from whoosh.index import open_dir

from indexer.archive.records import ParseError, Thread
from indexer.build.documents import content_hash, thread_document
from indexer.build.generation_dirs import remove_debris, remove_old_generations
from indexer.build.manifest import write_manifest
from indexer.build.phrases import counted_phrases
from indexer.build.posting_arrays import covered_segment_ids, merge_uncovered_only
from indexer.build.reindex_summary import Progress, ReindexError, ReindexSummary, SourceIntake
from indexer.build.segment_build import LIMIT_MB
from search.index.generations import THREAD_STORE_FILE, read_meta, write_meta
from search.index.phrases import PHRASES_FILE, PhraseCounter
from search.index.thread_store import ThreadStore, encode_record
from search.whoosh_internals.mapped_storage import open_mapped_index


def update_in_place(
    items: Iterable[Thread | ParseError],
    index_dir: Path,
    live: Path,
    *,
    strict: bool,
    progress: Progress | None,
    source_names: list[str],
) -> ReindexSummary:
    """Apply the sources' changes to the `live` generation; call under the reindex lock."""
    started = time.perf_counter()
    removed = remove_debris(index_dir) + remove_old_generations(index_dir)
    intake = SourceIntake(items, strict)
    store = ThreadStore(live / THREAD_STORE_FILE, readonly=False)
    try:
        known = store.hashes()
        # Only new and changed threads are kept in memory; unchanged ones are dropped.
        changes: list[tuple[Thread, str]] = []
        updated = unchanged = seen = 0
        # Every thread of the sources passes here, so the suggestion phrases are counted
        # afresh: no delta to get wrong after a crash.
        phrases = PhraseCounter()
        for thread in counted_phrases(intake.threads(), phrases):
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
        if changes or deleted or not (live / PHRASES_FILE).is_file():
            # Before the commit: a searcher reopened for the commit reads these phrases.
            phrases.write(live)
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
    # Last: the manifest describes the generation as changed, so replicas can copy it.
    write_manifest(live)
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
        # Mapped: a searcher of open_dir's index would copy every segment into memory.
        with open_mapped_index(live).searcher() as searcher:
            for thread_id in stale_ids:
                docnum = searcher.document_number(id=thread_id)
                if docnum is not None:
                    writer.delete_document(docnum)
        for thread, thread_hash in changes:
            writer.add_document(**thread_document(thread, thread_hash=thread_hash))
    except BaseException:
        writer.cancel()
        raise
    # Whoosh's default merge policy folds small segments together, so repeated incremental
    # runs do not pile up segments; here it is applied only to the segments the posting
    # arrays do not cover, which keep their place (and docnums) at the front, so the
    # arrays stay usable (the documents added here are read from Whoosh).
    writer.commit(mergetype=merge_uncovered_only(covered_segment_ids(live)))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
