"""Facet columns in numpy and disjunctive facet counting over a match mask.

Per opened searcher the sortable columns (specialty, doctor, asked) are read once into
arrays indexed by docnum. A query then costs one bincount per facet, whatever the
number of matches. Counting is disjunctive (Elasticsearch's post_filter, Algolia's
disjunctive facets): values of one facet combine with OR, facets with AND, and each
facet's counts ignore that facet's own selection, so ticking Dermatology still shows
how many Urology threads match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from search.request import FacetCounts


@dataclass(frozen=True)
class FacetColumn:
    """One single-valued facet: `codes[docnum]` indexes `names`; -1 means no value."""

    names: tuple[str, ...]
    codes: np.ndarray

    @classmethod
    def load(cls, reader: IndexReader, fieldname: str) -> FacetColumn:
        values = [_as_str(v) for v in reader.column_reader(fieldname)]
        names, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
        names = [str(n) for n in names]
        codes = codes.astype(np.int32)
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

    def counts(self, mask: np.ndarray) -> np.ndarray:
        codes = self.codes[mask]
        return np.bincount(codes[codes >= 0], minlength=len(self.names))


@dataclass(frozen=True)
class FacetColumns:
    specialty: FacetColumn
    doctor: FacetColumn
    # Docnums by asked date; undated documents last in both orders, equal dates by docnum.
    newest_first: np.ndarray
    oldest_first: np.ndarray

    @classmethod
    def load(cls, reader: IndexReader) -> FacetColumns:
        asked = FacetColumn.load(reader, "asked")
        docnums = np.arange(len(asked.codes))
        undated = np.iinfo(np.int32).max
        newest_key = np.where(asked.codes >= 0, -asked.codes, undated)
        oldest_key = np.where(asked.codes >= 0, asked.codes, undated)
        return cls(
            specialty=FacetColumn.load(reader, "specialty"),
            doctor=FacetColumn.load(reader, "doctor"),
            newest_first=np.lexsort((docnums, newest_key)),
            oldest_first=np.lexsort((docnums, oldest_key)),
        )


def disjunctive_counts(
    columns: FacetColumns,
    matches: np.ndarray,
    specialty_filter: np.ndarray | None,
    doctor_filter: np.ndarray | None,
    selected_specialties: Sequence[str],
    selected_doctors: Sequence[str],
    doctor_limit: int | None,
) -> FacetCounts:
    """Specialty counts filtered by the doctor selection only, and vice versa."""
    specialty_base = matches if doctor_filter is None else matches & doctor_filter
    doctor_base = matches if specialty_filter is None else matches & specialty_filter
    specialty = _ranked(
        columns.specialty.names,
        columns.specialty.counts(specialty_base),
        selected_specialties,
        None,
    )
    doctor = _ranked(
        columns.doctor.names, columns.doctor.counts(doctor_base), selected_doctors, doctor_limit
    )
    return FacetCounts(specialty=specialty, doctor=doctor)


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


def _as_str(value: object) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
