"""One generation of the index, opened for searching: everything a search reads from it.

The engine (search/engine.py) holds one `OpenGeneration` at a time and replaces it as a
whole when `reopened` finds a newer generation in CURRENT, or new commits in the live
one; the old one is closed once no search reads it. Nothing here is shared between
generations, so a switch never mixes the readers of two.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from search.index.generations import (
    THREAD_STORE_FILE,
    IndexUnavailableError,
    current_generation,
    current_generation_name,
    read_meta,
)
from search.index.posting_arrays import PostingArrays
from search.index.thread_store import ThreadStore, ThreadStoreError
from search.query.parse import QueryBuilder, synonym_table
from search.query.suggest import Speller
from search.query.vocabulary import SynonymFileError
from search.query.vocabulary import describe as describe_vocabulary
from search.results.completions import Completions
from search.results.facets import FacetColumns
from search.results.matching import DocMatcher
from search.results.ranking import Ranker
from search.semantic.hybrid import SemanticLayer
from search.semantic.vectors import VectorIndex
from search.whoosh_internals.mapped_storage import MappedFileStorage


@dataclass
class OpenGeneration:
    """Everything opened for one generation; replaced as a whole on refresh."""

    name: str
    path: Path
    index: Any
    searcher: Searcher
    live: np.ndarray
    columns: FacetColumns
    matcher: DocMatcher
    ranker: Ranker
    builder: QueryBuilder
    speller: Speller
    store: ThreadStore
    completions: Completions
    vectors: VectorIndex | None  # None: this generation is searched lexically
    vocabulary: dict

    @classmethod
    def open(cls, path: Path, semantic: SemanticLayer) -> OpenGeneration:
        """Open the generation in `path`; IndexUnavailableError (saying to run a full
        reindex) when any part of it cannot be read."""
        try:
            index = FileIndex(MappedFileStorage(str(path)))
        except Exception as error:  # noqa: BLE001 - any Whoosh failure: unusable index
            raise IndexUnavailableError(
                f"cannot open the index in {path} ({error}): run a full reindex"
            ) from None
        searcher = index.searcher()
        reader = searcher.reader()
        live = np.zeros(reader.doc_count_all(), dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        try:
            store = ThreadStore(path / THREAD_STORE_FILE)
        except ThreadStoreError as error:
            searcher.close()
            raise IndexUnavailableError(f"{error}: run a full reindex") from None
        try:
            synonyms = synonym_table(path)
            vocabulary = describe_vocabulary(path, read_meta(path))
        except (SynonymFileError, IndexUnavailableError) as error:
            searcher.close()
            store.close()
            raise IndexUnavailableError(f"{error}: run a full reindex") from None
        # Posting arrays when the generation has them (and they fit its segments).
        matcher = DocMatcher(searcher, live, PostingArrays.open(path, searcher))
        columns = FacetColumns.load(reader)
        known_names = {
            "doctor_names": columns.doctor.names,
            "specialty_name": columns.specialty.names,
        }
        return cls(
            name=path.name,
            path=path,
            index=index,
            searcher=searcher,
            live=live,
            columns=columns,
            matcher=matcher,
            ranker=Ranker(searcher, matcher),
            builder=QueryBuilder(
                reader, doc_frequency=matcher.doc_frequency, known_names=known_names,
                synonyms=synonyms,
            ),
            speller=Speller(reader),
            store=store,
            completions=Completions.load(path),
            vectors=semantic.open_vectors(path, index.latest_generation(), len(live)),
            vocabulary=vocabulary,
        )

    def close(self) -> None:
        self.searcher.close()
        self.store.close()

    def release_pages(self) -> None:
        """Unmap the index pages read so far (posting arrays, Whoosh's segment files)."""
        if self.matcher.arrays is not None:
            self.matcher.arrays.release_pages()
        storage = getattr(self.index, "storage", None)
        if isinstance(storage, MappedFileStorage):
            storage.release_pages()


def reopened(
    index_dir: Path, old: OpenGeneration, semantic: SemanticLayer
) -> OpenGeneration | None:
    """The generation CURRENT names now, opened, if it is another than `old`; `old`'s
    own directory opened afresh if commits were added to it since; else None.

    Raises IndexUnavailableError or OSError when the newer one cannot be opened (the
    caller keeps `old` then)."""
    name = current_generation_name(index_dir)
    if name is not None and name != old.name:
        return OpenGeneration.open(current_generation(index_dir), semantic)
    if not old.searcher.up_to_date():
        # A fresh searcher rather than Searcher.refresh(): that one shares segment
        # readers with the old searcher, which the caller closes.
        return OpenGeneration.open(old.path, semantic)
    return None
