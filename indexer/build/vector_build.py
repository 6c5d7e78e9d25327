"""Thread vectors for a generation: reused by content hash, encoded only when new.

`fill_vectors(generation, encoder, caches)` writes a generation's vector files (see
search/semantic/vectors.py): each live document's row is copied from the vectors of an
earlier generation when one holds the same content hash (same model and recipe), and
encoded otherwise, on every core (the encoder batches per core), with a progress bar.

Encoding 10,000 new threads takes minutes on two cores, so a full reindex does not make
search wait for it (`publish_with_vectors`): the lexical generation goes live first, then
a second generation is made of hard links to the first one's files (a copy of the
writable thread store) plus the vectors, and CURRENT is switched again. Servers refresh
per request, so both switches are as invisible as any reindex's. When every row can be
reused (an unchanged archive), the vectors are written into the first generation before
its switch instead: one generation, no second switch.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.index import open_dir

from indexer.build.generation_dirs import finished_name, new_building_dir, remove_tree
from indexer.build.manifest import MANIFEST_FILE, write_manifest
from search.index.generations import (
    GENERATION_PREFIX,
    META_FILE,
    THREAD_STORE_FILE,
    fsync_tree,
    read_meta,
    switch_to,
    write_meta,
)
from search.semantic.vectors import (
    MAX_TOKENS,
    STORED_DTYPE,
    TEXT_RECIPE,
    VECTOR_FILES,
    VectorsMeta,
    cached_rows,
    embed_text,
    read_vectors_meta,
    write_vectors,
)
from search.whoosh_internals.mapped_storage import open_mapped_index

ENCODE_CHUNK = 512  # texts per encode() call: one progress step, bounded memory
# Rows left to encode below which they are encoded before the first switch (seconds of
# work), so a nearly unchanged archive gets one generation, not two.
INLINE_ENCODE_LIMIT = 200

# progress(done, total) while encoding
VectorProgress = Callable[[int, int], None]


@dataclass
class VectorPlan:
    """A generation's rows, which of them are known and which must be encoded."""

    index_version: int
    rows: int
    hashes: np.ndarray  # S32 per docnum
    texts: dict[int, str]  # docnum -> text to encode
    known: np.ndarray  # float32 (rows, dim), filled where reused


def plan_vectors(generation: Path, model_version: str, dim: int,
                 caches: Sequence[Path]) -> VectorPlan:
    """Read the generation's live documents; take every row the caches hold."""
    lookups = [found for found in (cached_rows(path, model_version) for path in caches) if found]
    ix = open_mapped_index(generation)  # open_dir's reader would copy every segment
    with ix.reader() as reader:
        rows = reader.doc_count_all()
        hashes = np.zeros(rows, dtype="S32")
        known = np.zeros((rows, dim), dtype=np.float32)
        texts: dict[int, str] = {}
        for docnum, fields in reader.iter_docs():
            thread_hash = (fields.get("content_hash") or "").encode("ascii")
            hashes[docnum] = thread_hash
            for by_hash, stored_row in lookups:
                row = by_hash.get(thread_hash)
                if row is not None:
                    known[docnum] = stored_row(row)
                    break
            else:
                texts[docnum] = embed_text(fields)
    return VectorPlan(ix.latest_generation(), rows, hashes, texts, known)


def fill_vectors(generation: Path, encoder, plan: VectorPlan,
                 progress: VectorProgress | None = None) -> int:
    """Encode the plan's missing rows and write the vector files; returns rows encoded."""
    docnums = sorted(plan.texts)
    vectors = plan.known
    for start in range(0, len(docnums), ENCODE_CHUNK):
        chunk = docnums[start:start + ENCODE_CHUNK]
        vectors[chunk] = encoder.encode([plan.texts[d] for d in chunk], max_tokens=MAX_TOKENS)
        if progress:
            progress(start + len(chunk), len(docnums))
    meta = VectorsMeta(model_version=encoder.model_version, max_tokens=MAX_TOKENS,
                       recipe=TEXT_RECIPE, dim=vectors.shape[1],
                       index_version=plan.index_version, rows=plan.rows,
                       dtype=STORED_DTYPE)
    write_vectors(generation, vectors, plan.hashes, meta)
    return len(docnums)


def vector_caches(index_dir: Path) -> list[Path]:
    """Generations whose vectors may be reused, newest first."""
    return sorted((p for p in index_dir.glob(f"{GENERATION_PREFIX}*") if p.is_dir()),
                  reverse=True)


def publish_with_vectors(index_dir: Path, live: Path, encoder, plan: VectorPlan,
                         progress: VectorProgress | None = None) -> tuple[Path, int]:
    """A copy of the live generation plus its vectors, switched to; returns it and the
    rows encoded. Call under the reindex lock. On any failure the live one stays."""
    building = new_building_dir(index_dir)
    try:
        for entry in live.iterdir():
            if not entry.is_file() or entry.name in (MANIFEST_FILE, META_FILE, *VECTOR_FILES):
                continue
            if entry.name == THREAD_STORE_FILE:
                # An incremental reindex writes the store in place: it must not share an
                # inode with the generation before it. Whoosh files are never rewritten.
                shutil.copy2(entry, building / entry.name)
            else:
                os.link(entry, building / entry.name)
        encoded = fill_vectors(building, encoder, plan, progress)
        final = building.with_name(finished_name(building))
        meta = read_meta(live)
        meta.update(generation=final.name, vectors_from=live.name)
        write_meta(building, meta)
        write_manifest(building, name=final.name)
        fsync_tree(building)
        os.rename(building, final)
        switch_to(index_dir, final)
    except BaseException:
        remove_tree(building)
        raise
    return final, encoded


class VectorOptions:
    """What a full reindex needs to add vectors: the encoder and a progress callback.

    Passed to full_reindex(vectors=...); after the run `encoded` and `reused` tell what
    was done (describe() is the summary's words for it).
    """

    def __init__(self, encoder, progress: VectorProgress | None = None) -> None:
        self.encoder = encoder
        self.progress = progress
        self.encoded = 0
        self.reused = 0

    def plan(self, generation: Path, index_dir: Path) -> VectorPlan:
        plan = plan_vectors(generation, self.encoder.model_version, self.encoder.dim,
                            vector_caches(index_dir))
        self.reused = int(np.count_nonzero(plan.hashes)) - len(plan.texts)
        return plan

    def fill(self, generation: Path, plan: VectorPlan) -> int:
        return fill_vectors(generation, self.encoder, plan, self.progress)

    def publish(self, index_dir: Path, live: Path, plan: VectorPlan) -> tuple[Path, int]:
        return publish_with_vectors(index_dir, live, self.encoder, plan, self.progress)

    def describe(self) -> str:
        return f"vectors: {self.encoded} encoded, {self.reused} reused"


def has_current_vectors(generation: Path) -> bool:
    """Are the generation's vectors aligned with its index as it is now?"""
    meta = read_vectors_meta(generation)
    if meta is None:
        return False
    return meta.index_version == open_dir(generation).latest_generation()


def semantic_status(generation: Path) -> tuple[bool, str]:
    """Can a server search `generation` semantically: its vectors aligned with its index
    and made by the installed model? Returns the answer and, when not, why."""
    from search.semantic import EncoderUnavailable, SentenceEncoder
    from search.semantic.vectors import VectorIndex

    ix = open_mapped_index(generation)
    try:
        with ix.reader() as reader:
            rows = reader.doc_count_all()
        vectors, why = VectorIndex.open(generation, ix.latest_generation(), rows, None)
    finally:
        ix.close()
    if vectors is None:
        return False, why
    try:
        encoder = SentenceEncoder.load()
    except EncoderUnavailable as error:
        return False, str(error)
    if encoder.model_version != vectors.meta.model_version:
        return False, f"the vectors were made by {vectors.meta.model_version}"
    return True, ""
