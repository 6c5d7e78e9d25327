"""The zero-copy storage reads exactly what Whoosh's own storage reads."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from search.engine import SearchEngine
from search.index.generations import current_generation
from search.request import SearchRequest
from search.whoosh_internals.mapped_storage import MappedFileStorage, ViewFile


def _everything(reader) -> tuple:  # noqa: ANN001 - a Whoosh reader
    postings = {}
    for fieldname, text in reader.all_terms():
        if reader.schema[fieldname].format.supports("frequency"):
            matcher = reader.postings(fieldname, text)
            postings[fieldname, text] = list(matcher.items_as("weight"))
    stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
    columns = {
        name: list(reader.column_reader(name))
        for name in ("specialty", "doctor", "asked")
    }
    return postings, stored, columns


def test_mapped_storage_reads_the_same_index_as_whoosh(generated_engine: SearchEngine) -> None:
    path = current_generation(generated_engine.index_dir)
    with whoosh_index.open_dir(str(path)).reader() as plain:
        expected = _everything(plain)
    with FileIndex(MappedFileStorage(str(path))).reader() as mapped:
        assert _everything(mapped) == expected
    assert expected[0] and expected[1]


def test_view_file_reads_seeks_and_slices_without_copying(tmp_path: Path) -> None:
    data = b"first line\nsecond line\n" + bytes(range(256)) * 40
    (tmp_path / "data.seg").write_bytes(data)
    storage = MappedFileStorage(str(tmp_path))
    whole = storage.open_file("data.seg")
    assert isinstance(whole, ViewFile)
    assert whole.readline() == b"first line\n"
    assert whole.read(6) == b"second"
    assert whole.tell() == 17 and whole.file.peek(2) == b" l" and whole.tell() == 17
    whole.seek(-3, os.SEEK_END)
    assert whole.read() == data[-3:]
    part = whole.subset(11, 100, name="part.trm")
    assert part.get(0, 6) == b"second" and part.read() == data[11:111]
    postings = whole.subset(30, 5000, name="part.pst")  # read with pread, buffered
    assert postings.read(4) == data[30:34] and postings.read(3000) == data[34:3034]
    assert postings.file.peek(5) == data[3034:3039] and postings.tell() == 3004
    postings.seek(10)
    assert postings.get(4990, 100) == data[5020:5030]  # clipped at the sub-file's end
    whole.close()


def _resident_kb(path: Path, address: int | None = None) -> int:
    """This process's resident kB of the mappings of `path` (/proc/self/smaps), or of
    the one holding `address`."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:  # a mapping's header
            start, end = (int(part, 16) for part in fields[0].split("-"))
            inside = len(fields) > 5 and fields[5] == str(path) and (
                address is None or start <= address < end)  # fmt: skip
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


def test_released_pages_leave_the_worker_but_not_the_index(generated_engine, tmp_path) -> None:
    """A worker's resident set holds the index pages it read lately: released pages are
    unmapped (they stay in the page cache) and read again as they were."""
    from search.index.posting_arrays import PostingArrays, field_path

    gen = generated_engine._current
    path = field_path(gen.path, "symptoms", "docs").resolve()
    arrays = PostingArrays.open(gen.path, gen.searcher)
    docs = arrays.fields["symptoms"].docs
    address = docs.__array_interface__["data"][0]
    before = docs.copy()  # touches every page
    assert _resident_kb(path, address) > 0
    arrays.release_pages()
    assert _resident_kb(path, address) == 0
    assert np.array_equal(docs, before)  # mapped again, same values
    # The engine releases its generation's pages as it goes, answering as before.
    request = SearchRequest("pain at night", per_page=20)
    expected = generated_engine.search(request)
    gen.release_pages()
    assert generated_engine.search(request) == expected


def test_a_worker_holding_many_index_pages_releases_them_before_its_next_search(
    generated_engine, monkeypatch
) -> None:
    """Pages are released every RELEASE_PAGES_INTERVAL, and sooner when the pages mapped
    since the last release pass RELEASE_PAGES_ABOVE_BYTES: a busy worker's RSS stays
    bounded by size, not time."""
    import search.engine as engine_module
    from search.whoosh_internals.mapped_storage import mapped_resident_bytes

    gen = generated_engine._current
    gen.release_pages()
    before = mapped_resident_bytes()
    gen.matcher.arrays.fields["symptoms"].docs.copy()  # maps every page of the array
    assert mapped_resident_bytes() > before  # the size the engine checks sees them
    released = []
    release = gen.release_pages
    monkeypatch.setattr(gen, "release_pages", lambda: (released.append(True), release()))
    monkeypatch.setattr(engine_module, "RELEASE_PAGES_INTERVAL", 10**9)  # time never due
    request = SearchRequest("ear wax", per_page=5)
    monkeypatch.setattr(engine_module, "RELEASE_PAGES_ABOVE_BYTES", 2**62)
    generated_engine.search(request)
    assert released == []  # under the size: kept
    monkeypatch.setattr(engine_module, "RELEASE_PAGES_ABOVE_BYTES", 0)
    generated_engine._mapped_after_release = 0
    generated_engine.search(request)
    assert len(released) == 1  # over it: released first
    # Each search maps pages again after the release, so at a size of 0 the next one
    # (and the next similar-questions lookup) releases too.
    generated_engine.similar(generated_engine.search(request).results[0].id)
    assert len(released) == 3
    # The size counts from what stays mapped after a release (the program's own code):
    # a size below that level does not make every search release.
    monkeypatch.setattr(engine_module, "RELEASE_PAGES_ABOVE_BYTES",
                        generated_engine._mapped_after_release // 2)
    generated_engine.search(request)
    generated_engine.search(request)
    assert len(released) == 3
