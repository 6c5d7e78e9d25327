"""Facet columns read from the index: one value per docnum, whatever the segments hold."""

from __future__ import annotations

import dataclasses

from whoosh.index import create_in
from whoosh.writing import NO_MERGE

from indexer.archive.records import Asker
from indexer.build.reindex import build_index, update_index
from search.engine import SearchEngine
from search.index.schema import SCHEMA
from search.request import SearchRequest
from search.results.facets import FacetColumn


def test_a_segment_without_values_does_not_shift_the_next_segments(tmp_path):
    index = create_in(str(tmp_path), SCHEMA)
    with index.writer() as first:  # no document of this segment has a year
        for n in range(3):
            first.add_document(id=f"undated-{n}", title="rash")
    second = index.writer()
    for year in ("2014", "2015"):
        second.add_document(id=f"dated-{year}", title="rash", year=year)
    second.commit(mergetype=NO_MERGE)
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == 2
        years = FacetColumn.load(reader, "year")
        ids = [reader.stored_fields(docnum)["id"] for docnum in range(reader.doc_count_all())]
    by_id = {doc_id: years.names[code] if code >= 0 else None
             for doc_id, code in zip(ids, years.codes, strict=True)}
    assert by_id == {"undated-0": None, "undated-1": None, "undated-2": None,
                     "dated-2014": "2014", "dated-2015": "2015"}


def test_an_archive_without_dates_or_askers_is_searched_and_counted(tmp_path, threads):
    # JSONL exports may carry neither: the year, sex and age facets are just empty.
    threads = [dataclasses.replace(thread, asked=None, asker=Asker(),
                                   replies=tuple(dataclasses.replace(r, date=None)
                                                 for r in thread.replies))
               for thread in threads]
    # Two segments (the second from an update in place), neither with a date or an age.
    build_index(threads[:4], tmp_path)
    update_index(threads, tmp_path)
    with SearchEngine(tmp_path, encoder=None) as engine:
        assert len(engine._current.searcher.leaf_searchers()) > 1
        response = engine.search(SearchRequest(query="pain"))
        assert response.total > 0
        assert not dict(response.facets.year)
        assert not dict(response.facets.sex) and not dict(response.facets.age)
        assert sum(dict(response.facets.specialty).values()) == response.total
        assert engine.search(SearchRequest(query="pain", year_from=2012)).total == 0
        assert engine.search(SearchRequest(query="", sort="newest")).total == len(threads)
