"""The zero-copy storage reads exactly what Whoosh's own storage reads."""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from search.engine import SearchEngine
from search.index.generations import current_generation
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
