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
        for name, values in (("specialty", self.specialties), ("doctor", self.doctors)):
            if len(values) > MAX_FILTER_VALUES:
                raise SearchRequestError(
                    f"too many {name} filters: {len(values)}, at most {MAX_FILTER_VALUES}"
                )
        # Normalise so equal requests compare (and cache) equal.
        object.__setattr__(self, "specialties", tuple(sorted(set(self.specialties))))
        object.__setattr__(self, "doctors", tuple(sorted(set(self.doctors))))


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
    """Counts per value over all matches; each facet ignores its own selection."""

    specialty: dict[str, int] = field(default_factory=dict)
    doctor: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"specialty": dict(self.specialty), "doctor": dict(self.doctor)}


@dataclass(frozen=True)
class SearchResponse:
    request: SearchRequest
    total: int
    results: tuple[SearchHit, ...]
    facets: FacetCounts
    suggestion: str | None = None
    # The search reached its work budget (search/budget.py) and answered with what it
    # had: total, facets and results may be short of what a full search would find.
    partial: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.request.page,
            "results": [hit.to_dict() for hit in self.results],
            "facets": self.facets.to_dict(),
            "suggestion": self.suggestion,
            "partial": self.partial,
        }
