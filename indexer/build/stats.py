"""What is in the live index: `qasearch stats` and `index_stats()`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.build.lock import lock_holder
from indexer.build.vector_build import semantic_status
from search.index.generations import THREAD_STORE_FILE, current_generation, read_meta
from search.index.posting_arrays import PostingArrays
from search.index.thread_store import ThreadStore
from search.query.vocabulary import describe as describe_vocabulary
from search.whoosh_internals.mapped_storage import open_mapped_index


def index_stats(index_dir: Path | str) -> dict[str, Any]:
    """Threads, threads per specialty, size on disk, generation and build time of the live
    index. Raises search.index.generations.IndexUnavailableError when there is none."""
    index_dir = Path(index_dir)
    generation = current_generation(index_dir)
    meta = read_meta(generation)
    with ThreadStore(generation / THREAD_STORE_FILE) as store:
        threads = store.count()
        specialties = store.specialty_counts()
    ix = open_mapped_index(generation)  # open_dir's searcher would copy every segment
    try:
        documents = ix.doc_count()
        segments = len(ix._segments())
        with ix.searcher() as searcher:
            arrays = PostingArrays.open(generation, searcher)
            all_documents = searcher.doc_count_all()
    finally:
        ix.close()
    # The read path: docnums the posting arrays hold; later ones (added by incremental
    # runs) are read from Whoosh's posting lists, which is slower on a big archive.
    read_path = {
        "posting_arrays": arrays is not None,
        "documents_in_arrays": arrays.doc_count if arrays else 0,
        "documents_in_segments": all_documents,
    }
    return {
        "index_dir": str(index_dir.resolve()),
        "generation": generation.name,
        "built_at": meta.get("built_at"),
        "updated_at": meta.get("updated_at"),
        "schema_version": meta.get("schema_version"),
        "threads": threads,
        "documents": documents,
        "segments": segments,
        "specialties": specialties,
        **_semantic(generation),
        "size_bytes": sum(p.stat().st_size for p in generation.rglob("*") if p.is_file()),
        "sources": meta.get("sources", []),
        "read_path": read_path,
        "reindex_running": lock_holder(index_dir),
        "vocabulary": describe_vocabulary(generation, meta),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """Plain-text rendering of index_stats()."""
    lines = [
        f"index:      {stats['index_dir']}",
        f"generation: {stats['generation']} (schema {stats['schema_version']})",
        f"built at:   {stats['built_at']}"
        + (f", updated {stats['updated_at']}" if stats.get("updated_at") else ""),
        f"threads:    {stats['threads']:,} ({stats['segments']} segments)",
        f"on disk:    {_size(stats['size_bytes'])}",
        "semantic:   " + ("on" if stats.get("semantic") else f"off ({stats.get('semantic_off')})"),
        f"read path:  {_read_path(stats['read_path'])}",
    ]
    vocabulary = stats["vocabulary"]
    operator = vocabulary["operator"]
    lines.append(
        f"synonyms:   HPO {vocabulary['hpo'] or 'not installed'} (layperson synonyms), "
        f"{vocabulary['project']} project groups, "
        + ("no operator file" if operator is None else
           f"operator file {operator['file']} ({operator.get('groups', operator.get('error'))}"
           f"{' groups' if 'groups' in operator else ''})")
    )
    if stats.get("reindex_running"):
        holder = stats["reindex_running"]
        lines.append(f"reindex running: pid {holder.get('pid')}, started {holder.get('started')}")
    lines.append("threads per specialty:")
    width = max((len(name) for name in stats["specialties"]), default=0)
    lines += [f"  {name:<{width}}  {count:>8,}" for name, count in stats["specialties"].items()]
    return "\n".join(lines)


def _semantic(generation: Path) -> dict[str, Any]:
    """Would a server search this generation semantically? `semantic_off` says why not."""
    ok, why = semantic_status(generation)
    return {"semantic": ok, **({} if ok else {"semantic_off": why})}


def _read_path(read_path: dict[str, Any]) -> str:
    if not read_path["posting_arrays"]:
        return "Whoosh's posting lists only (no posting arrays; a full reindex writes them)"
    covered, total = read_path["documents_in_arrays"], read_path["documents_in_segments"]
    if covered == total:
        return "posting arrays"
    return (f"posting arrays for {covered:,} of {total:,} documents (the rest, added "
            "incrementally, from Whoosh; a full reindex covers all)")


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} B"
