"""Every document's raw value of a segment's column, read as one block of bytes.

Whoosh's column readers return one value per call, through a file read and a
translating wrapper each: reading the six facet columns and the thread ids that way was
three quarters of opening a 300,000-thread generation (6.4 s). A VarBytes column (what
ID and KEYWORD fields with sortable=True get) is its values back to back followed by
their lengths, so its whole data is read with one call and cut with the lengths.
"""

from __future__ import annotations

from itertools import accumulate

from whoosh.columns import VarBytesColumn
from whoosh.fields import ID, KEYWORD
from whoosh.reading import IndexReader

# Fields whose column value is the UTF-8 of the text (from_column_value only decodes).
_UTF8_COLUMN_FIELDS = (ID, KEYWORD)


def column_bytes(segment: IndexReader, fieldname: str) -> list[bytes]:
    """`fieldname`'s value for each document of one segment, UTF-8 encoded; b"" where a
    document has none (as for a segment without a column file for the field)."""
    field = segment.schema[fieldname]
    raw = segment.column_reader(fieldname, translate=False)
    if isinstance(field, _UTF8_COLUMN_FIELDS) and isinstance(raw, VarBytesColumn.Reader):
        lengths = raw._lengths
        data = raw._dbfile.get(raw._basepos, sum(lengths))
        starts = accumulate(lengths, initial=0)  # one more than there are lengths
        return [data[start:start + length]
                for start, length in zip(starts, lengths, strict=False)]
    # Any other column: Whoosh's public, value-at-a-time path.
    return [_utf8(value) for value in segment.column_reader(fieldname)]


def _utf8(value: object) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
