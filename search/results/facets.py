"""Facet columns in numpy and disjunctive facet counting over a match mask.

Per opened searcher the sortable columns (specialty, doctor, year, sex, age band, asked)
are read once into arrays indexed by docnum. A query then costs one gather and one
bincount per facet over the matching docnums, or one for all the small facets that count
the same documents (JointCounts). Counting is disjunctive (Elasticsearch's
post_filter, Algolia's disjunctive facets): values of one facet combine with OR, facets
with AND, and each facet's counts ignore that facet's own selection, so ticking
Dermatology still shows how many Urology threads match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from whoosh.reading import IndexReader

from search.request import FacetCounts, SearchRequest
from search.whoosh_internals.column_bytes import column_bytes


@dataclass(frozen=True)
class FacetColumn:
    """One single-valued facet: `codes[docnum]` indexes `names`; -1 means no value."""

    names: tuple[str, ...]
    codes: np.ndarray

    @classmethod
    def load(cls, reader: IndexReader, fieldname: str) -> FacetColumn:
        names, codes = column_codes(reader, fieldname)
        if names and names[0] == "":  # documents without a value (sorted first)
            codes -= 1
            names = names[1:]
        return cls(tuple(names), codes)

    def selection_mask(self, selected: Sequence[str]) -> np.ndarray | None:
        """Documents having any of the selected values (None = no selection: all)."""
        if not selected:
            return None
        index = {name: code for code, name in enumerate(self.names)}
        wanted = np.zeros(len(self.names) + 1, dtype=bool)  # last slot: "no value" (-1)
        for value in selected:
            if value in index:
                wanted[index[value]] = True
        return wanted[self.codes]

    def range_mask(self, low: int | None, high: int | None) -> np.ndarray | None:
        """Documents whose (numeric) value lies in [low, high]; None = no bound given."""
        if low is None and high is None:
            return None
        wanted = np.zeros(len(self.names) + 1, dtype=bool)  # last slot: "no value" (-1)
        for code, name in enumerate(self.names):
            if name.isdigit():
                value = int(name)
                wanted[code] = (low is None or value >= low) and (high is None or value <= high)
        return wanted[self.codes]

    @cached_property
    def _slots(self) -> np.ndarray:
        """codes + 1 in the smallest integer type: slot 0 is "no value", so a count needs
        no filtering pass, and a narrow array is quicker to gather from."""
        narrow = np.int16 if len(self.names) < np.iinfo(np.int16).max else np.int32
        return (self.codes + 1).astype(narrow)

    def counts(self, docnums: np.ndarray) -> np.ndarray:
        """How many of `docnums` (indexes, not a mask) have each value."""
        slots = np.bincount(self._slots.take(docnums), minlength=len(self.names) + 1)
        return slots[1:]

    def ranked_counts(self, docnums: np.ndarray) -> dict[str, int]:
        """Values held by any of `docnums` with their counts, most first (ties by name)."""
        return _ranked(self.names, self.counts(docnums), (), None)


class JointCounts:
    """Several small facets counted with one gather and one bincount: each document's
    slots (code + 1) combined into one number, as digits of mixed radix.

    Five gathers and bincounts over a query's 74,000 matching docnums were 7% of a
    results page's CPU at 300,000 threads; the four small facets share one here.
    """

    def __init__(self, columns: Sequence[FacetColumn], limit: int = 1 << 20) -> None:
        self.radixes = tuple(len(column.names) + 1 for column in columns)
        size = int(np.prod(self.radixes, dtype=np.int64))
        self.size = size if size <= limit else 0  # 0: too many combinations to count so
        joint = np.zeros(len(columns[0].codes) if columns else 0, dtype=np.int64)
        if self.size:
            for column, radix in zip(columns, self.radixes, strict=True):
                joint = joint * radix + (column.codes + 1)
        self.joint = joint.astype(np.int32) if self.size else None

    def counts(self, docnums: np.ndarray) -> list[np.ndarray]:
        """For each facet, what FacetColumn.counts(docnums) gives."""
        table = np.bincount(self.joint.take(docnums), minlength=self.size)
        table = table.reshape(self.radixes)
        axes = range(len(self.radixes))
        return [table.sum(axis=tuple(a for a in axes if a != axis))[1:] for axis in axes]


def column_codes(reader: IndexReader, fieldname: str) -> tuple[list[str], np.ndarray]:
    """The column's distinct values, sorted ("" for none), and each docnum's index into
    them, segment by segment.

    Not `reader.column_reader(fieldname)`: Whoosh's MultiReader leaves out the segments
    that have no column file for the field (none of their documents had a value), so
    every later value would land on the wrong docnum, and with no such segment at all
    (an archive without dates) the column would be empty. Each segment's own reader
    gives the default value for its documents instead.
    """
    code_of: dict[bytes, int] = {}  # value -> code in order of first appearance
    parts = []
    for segment, _offset in reader.leaf_readers():
        values = column_bytes(segment, fieldname)
        parts.append(np.fromiter(
            (code_of.setdefault(value, len(code_of)) for value in values),
            dtype=np.int32, count=len(values),
        ))  # fmt: skip
    # UTF-8 bytes sort as their text does (by code point).
    ordered = sorted(code_of)
    position = np.empty(len(ordered), dtype=np.int32)
    position[[code_of[value] for value in ordered]] = np.arange(len(ordered), dtype=np.int32)
    codes = position[np.concatenate(parts)] if parts else np.zeros(0, dtype=np.int32)
    return [value.decode("utf-8") for value in ordered], codes


# The facets with few values (the doctors are thousands): counted together when none of
# them has a selection, so that all count the same documents.
SMALL_FACETS = ("specialty", "year", "sex", "age")
# The facets, in the order FacetCounts lists them; each names its column in the schema.
FACET_FIELDS = {
    "specialty": "specialty",
    "doctor": "doctor",
    "year": "year",
    "sex": "sex",
    "age": "age_band",
}


@dataclass(frozen=True)
class FacetColumns:
    specialty: FacetColumn
    doctor: FacetColumn
    year: FacetColumn
    sex: FacetColumn
    age: FacetColumn
    # Docnums by asked date; undated documents last in both orders, equal dates by docnum.
    newest_first: np.ndarray
    oldest_first: np.ndarray
    small: JointCounts  # SMALL_FACETS together

    @classmethod
    def load(cls, reader: IndexReader) -> FacetColumns:
        asked = FacetColumn.load(reader, "asked")
        docnums = np.arange(len(asked.codes))
        undated = np.iinfo(np.int32).max
        newest_key = np.where(asked.codes >= 0, -asked.codes, undated)
        oldest_key = np.where(asked.codes >= 0, asked.codes, undated)
        facets = {name: FacetColumn.load(reader, field) for name, field in FACET_FIELDS.items()}
        return cls(
            **facets,
            newest_first=np.lexsort((docnums, newest_key)),
            oldest_first=np.lexsort((docnums, oldest_key)),
            small=JointCounts([facets[name] for name in SMALL_FACETS]),
        )

    def filters(self, request: SearchRequest) -> dict[str, np.ndarray | None]:
        """Each facet's filter mask for the request (None: that facet selects nothing)."""
        return {
            "specialty": self.specialty.selection_mask(request.specialties),
            "doctor": self.doctor.selection_mask(request.doctors),
            "year": self.year.range_mask(request.year_from, request.year_to),
            "sex": self.sex.selection_mask(request.sexes),
            "age": self.age.selection_mask(request.age_bands),
        }


def combined(matches: np.ndarray, filters: dict[str, np.ndarray | None]) -> np.ndarray:
    """The matches that pass every filter."""
    selected = matches
    for mask in filters.values():
        if mask is not None:
            selected = selected & mask
    return selected


def disjunctive_counts(
    columns: FacetColumns,
    matches: np.ndarray,
    filters: dict[str, np.ndarray | None],
    request: SearchRequest,
) -> FacetCounts:
    """Each facet counted over the matches filtered by every OTHER facet's selection."""

    # Most facets count the same set (every facet without a selection counts the matches
    # under all the filters): each distinct set is turned into docnums once.
    docnums_of: dict[tuple[str, ...], np.ndarray] = {}

    def base(name: str) -> np.ndarray:
        others = {k: v for k, v in filters.items() if k != name and v is not None}
        key = tuple(others)
        if key not in docnums_of:
            docnums_of[key] = np.flatnonzero(combined(matches, others))
        return docnums_of[key]

    counts = {name: None for name in FACET_FIELDS}
    if columns.small.size and all(filters[name] is None for name in SMALL_FACETS):
        together = columns.small.counts(base(SMALL_FACETS[0]))
        counts.update(zip(SMALL_FACETS, together, strict=True))
    for name in FACET_FIELDS:
        if counts[name] is None:
            counts[name] = getattr(columns, name).counts(base(name))
    return FacetCounts(
        specialty=_ranked(columns.specialty.names, counts["specialty"],
                          request.specialties, None),
        doctor=_ranked(columns.doctor.names, counts["doctor"],
                       request.doctors, request.doctor_facet_limit),
        year=_in_order(columns.year.names, counts["year"], ()),
        sex=_ranked(columns.sex.names, counts["sex"], request.sexes, None),
        age=_in_order(columns.age.names, counts["age"], request.age_bands),
    )


def _in_order(names: Sequence[str], counts: np.ndarray, selected: Sequence[str]) -> dict[str, int]:
    """Values with a count in their natural order (years, age bands by first number);
    selected values always in."""
    shown = {names[i]: int(counts[i]) for i in np.flatnonzero(counts)}
    index = {name: i for i, name in enumerate(names)}
    for value in selected:
        shown.setdefault(value, int(counts[index[value]]) if value in index else 0)
    return dict(sorted(shown.items(), key=lambda item: _natural_key(item[0])))


def _natural_key(value: str) -> tuple[int, str]:
    digits = re.match(r"\d+", value)
    return (int(digits.group()) if digits else 1 << 30, value)


def _ranked(
    names: Sequence[str], counts: np.ndarray, selected: Sequence[str], limit: int | None
) -> dict[str, int]:
    """Values with a count, most first then by name, cut to `limit`; selected always in."""
    nonzero = np.flatnonzero(counts)
    # Names are sorted (np.unique), so a stable sort by -count keeps ties in name order.
    order = nonzero[np.argsort(-counts[nonzero], kind="stable")]
    if limit is not None:
        order = order[:limit]
    ranked = {names[i]: int(counts[i]) for i in order}
    index = {name: i for i, name in enumerate(names)} if selected else {}
    for value in selected:
        if value not in ranked:
            ranked[value] = int(counts[index[value]]) if value in index else 0
    return ranked
