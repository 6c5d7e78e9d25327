"""Facet columns read from the index: one value per docnum, whatever the segments hold."""

from __future__ import annotations

import dataclasses

import pytest
from whoosh.index import create_in
from whoosh.writing import NO_MERGE

from indexer.archive.records import Asker
from indexer.build.reindex import build_index, update_index
from search.engine import SearchEngine
from search.index.schema import SCHEMA
from search.request import SearchRequest
from search.results.facets import FACET_FIELDS, FacetColumn, column_codes


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


COLUMN_FIELDS = (*FACET_FIELDS.values(), "asked", "id")


def _public_values(reader, fieldname: str) -> list[str]:
    """Whoosh's public, value-at-a-time column path, segment by segment."""
    values = []
    for segment, _offset in reader.leaf_readers():
        for value in segment.column_reader(fieldname):
            values.append("" if value is None else
                          value.decode() if isinstance(value, bytes) else str(value))
    return values


def test_column_codes_equal_whoosh_public_column_values(tmp_path):
    # Three segments: one without any year, age or date (no column file for them),
    # one with accented and non-Latin doctors, one with a deleted document.
    index = create_in(str(tmp_path), SCHEMA)
    with index.writer() as first:
        for n in range(3):
            first.add_document(id=f"undated-{n}", title="rash", specialty="Dermatology")
    second = index.writer()
    for n, (doctor, year) in enumerate((("Dr. Müller", "2014"), ("Д-р Иванов", "2015"),
                                        ("Dr. Ng", "2014"))):
        second.add_document(id=f"dated-{n}", title="rash", doctor=doctor, year=year,
                            specialty="Neurology", sex="female", age_band="30-39",
                            asked=f"{year}-03-0{n + 1}")
    second.commit(mergetype=NO_MERGE)
    third = index.writer()
    third.add_document(id="late", title="cough", doctor="Dr. Ng", year="2016")
    third.delete_by_term("id", "dated-1")
    third.commit(mergetype=NO_MERGE)
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == 3
        for fieldname in COLUMN_FIELDS:
            expected = _public_values(reader, fieldname)
            names, codes = column_codes(reader, fieldname)
            assert names == sorted(set(expected)), fieldname
            assert [names[code] for code in codes] == expected, fieldname


def test_small_facets_counted_together_count_as_each_alone():
    import numpy as np

    from search.results.facets import JointCounts

    rng = np.random.default_rng(3)
    columns = [FacetColumn(tuple(f"v{n}" for n in range(size)),
                           rng.integers(-1, size, 5000).astype(np.int32))
               for size in (31, 18, 3, 11)]  # -1: documents without a value
    joint = JointCounts(columns)
    assert joint.size == 32 * 19 * 4 * 12
    for docnums in (np.arange(5000), np.flatnonzero(rng.random(5000) < 0.3), np.arange(0)):
        together = joint.counts(docnums)
        for column, counted in zip(columns, together, strict=True):
            assert np.array_equal(counted, column.counts(docnums))
    assert JointCounts(columns, limit=1000).size == 0  # too many combinations: not used


@pytest.mark.parametrize("selection", [{}, {"doctors": ("Dr. Chen",)},
                                       {"specialties": ("Dermatology",)},
                                       {"sexes": ("female",), "year_from": 2015}])
def test_facet_counts_are_the_same_counted_together_or_alone(engine, selection):
    from search.results.facets import JointCounts

    columns = engine._current.columns
    for text in ("", "pain", "rash itching"):
        request = SearchRequest(query=text, **selection)
        together = engine.search(request).facets
        alone = dataclasses.replace(columns, small=JointCounts([], limit=0))
        engine._current.columns = alone
        try:
            assert engine.search(request).facets == together
        finally:
            engine._current.columns = columns
