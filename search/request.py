"""What a caller asks for and what it gets back: the one shape shared by the Python API,
`qasearch search --format json` and the web's `/api/search`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest")
# Admits a whole pasted question (real ones are mostly under 500 characters); beyond it, a
# clear error. The web's request-size limits are derived from it (web/limits.py): a query
# this long still fits gunicorn's bounded request line (8,190 bytes) when every character
# is a percent-encoded 4-byte one, so no query the API accepts is refused before the app.
MAX_QUERY_CHARS = 600
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_FILTER_VALUES = 50
MAX_THREAD_ID_CHARS = 200  # a longer id cannot be one of ours: answered 404 unread
DOCTOR_FACET_LIMIT = 50  # doctors listed in the facet by default; None asks for all
MIN_YEAR, MAX_YEAR = 1900, 2100  # a year range outside these cannot be a year asked


def unservable_id_reason(thread_id: str) -> str | None:
    """Why `thread_id` could never be reached at `/thread/<id>`, or None when it can.

    The indexer refuses such ids at import, so every listed thread has a page: a path
    separator or `..` would be resolved away by browsers and routers, a control
    character cannot travel in a URL, and the web answers an over-long id 404 unread.
    """
    if not thread_id.strip():
        return "it is empty"
    if len(thread_id) > MAX_THREAD_ID_CHARS:
        return f"it is longer than {MAX_THREAD_ID_CHARS} characters"
    for separator in ("/", "\\"):
        if separator in thread_id:
            return f"it contains the path separator {separator!r}"
    if thread_id in (".", ".."):
        return f"it is {thread_id!r}, a path step that URLs resolve away"
    control = next((c for c in thread_id if unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if control is not None:
        return f"it contains the control character U+{ord(control):04X}"
    return None


class SearchRequestError(ValueError):
    """The request itself is bad (unknown sort, page < 1, over-long query...).

    The message names what was wrong and is safe to show to users.
    """


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    specialties: tuple[str, ...] = ()
    doctors: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    doctor_facet_limit: int | None = DOCTOR_FACET_LIMIT  # None: every doctor
    # The asker's facets: year asked as an inclusive range (None: open), sex, age band.
    year_from: int | None = None
    year_to: int | None = None
    sexes: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    exact: bool = False  # search the words as typed, never an automatic correction

    def __post_init__(self) -> None:
        if self.doctor_facet_limit is not None and self.doctor_facet_limit < 1:
            raise SearchRequestError(
                f"doctor_facet_limit must be at least 1 (or None for all), "
                f"got {self.doctor_facet_limit}"
            )
        if len(self.query) > MAX_QUERY_CHARS:
            raise SearchRequestError(
                f"query is too long: {len(self.query)} characters, "
                f"at most {MAX_QUERY_CHARS} are searched"
            )
        if self.sort not in SORTS:
            raise SearchRequestError(
                f"unknown sort {self.sort!r}: use one of {', '.join(SORTS)}"
            )
        if not 1 <= self.page <= MAX_PAGE:
            raise SearchRequestError(f"page must be between 1 and {MAX_PAGE}, got {self.page}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchRequestError(
                f"per_page must be between 1 and {MAX_PER_PAGE}, got {self.per_page}"
            )
        for name, values in (
            ("specialty", self.specialties),
            ("doctor", self.doctors),
            ("sex", self.sexes),
            ("age", self.age_bands),
        ):
            if len(values) > MAX_FILTER_VALUES:
                raise SearchRequestError(
                    f"too many {name} filters: {len(values)}, at most {MAX_FILTER_VALUES}"
                )
        for name, year in (("year_from", self.year_from), ("year_to", self.year_to)):
            if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
                raise SearchRequestError(
                    f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}, got {year}"
                )
        if None not in (self.year_from, self.year_to) and self.year_from > self.year_to:
            raise SearchRequestError(
                f"year_from ({self.year_from}) is after year_to ({self.year_to})"
            )
        # Normalise so equal requests compare (and cache) equal.
        for name in ("specialties", "doctors", "sexes", "age_bands"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))

    @property
    def has_filters(self) -> bool:
        return bool(
            self.specialties or self.doctors or self.sexes or self.age_bands
            or self.year_from is not None or self.year_to is not None
        )


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    specialty: str
    doctor: str | None
    asked: str | None
    score: float | None
    snippet: str  # safe HTML: escaped text, matched words in <mark>, nothing else

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "specialty": self.specialty,
            "doctor": self.doctor,
            "asked": self.asked,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class FacetCounts:
    """Counts per value over all matches; each facet ignores its own selection.

    specialty, doctor and sex are ordered by count (most first, ties by name); year
    and age band in their own order (earliest first), as a chart or a list shows them.
    """

    specialty: dict[str, int] = field(default_factory=dict)
    doctor: dict[str, int] = field(default_factory=dict)
    year: dict[str, int] = field(default_factory=dict)
    sex: dict[str, int] = field(default_factory=dict)
    age: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {
            "specialty": dict(self.specialty),
            "doctor": dict(self.doctor),
            "year": dict(self.year),
            "sex": dict(self.sex),
            "age": dict(self.age),
        }


@dataclass(frozen=True)
class SearchResponse:
    request: SearchRequest
    total: int
    results: tuple[SearchHit, ...]
    facets: FacetCounts
    suggestion: str | None = None  # a correction offered ("did you mean")
    corrected: str | None = None  # the corrected query that was run instead of the typed one
    # The search reached its work budget (search/budget.py) and answered with what it
    # had: total, facets and results may be short of what a full search would find.
    partial: bool = False
    # The query had words but every one is too common to search ("on my"): the results
    # are every thread in date order, and pages should say so rather than "best match".
    common_words_only: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.request.query,
            "corrected": self.corrected,
            "total": self.total,
            "page": self.request.page,
            "results": [hit.to_dict() for hit in self.results],
            "facets": self.facets.to_dict(),
            "suggestion": self.suggestion,
            "partial": self.partial,
            "common_words_only": self.common_words_only,
        }
