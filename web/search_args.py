"""Request arguments -> SearchRequest: the one parser shared by `/` and `/api/search`.

Both the page and the JSON API accept the same parameters, so a page URL and its API
twin always ask the engine the same question:

    q           the query text (may be empty when filtering only)
    specialty   repeatable: keep threads in any of these specialties
    doctor      repeatable: keep threads answered by any of these doctors
    year_from   keep threads asked in this year or later
    year_to     keep threads asked in this year or earlier
    sex         repeatable: the asker's sex (female, male)
    age         repeatable: the asker's age band (e.g. 20~29)
    sort        relevance | newest | oldest
    page        1-based page number
    per_page    results per page (capped by the app's MAX_PER_PAGE)
    all_doctors 1 to count every doctor in the doctor facet, not just the engine's top ones
    exact       1 to search the words exactly as typed: no automatic spelling correction
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from search.request import (
    DOCTOR_FACET_LIMIT,
    MAX_FILTER_VALUES,
    SearchRequest,
    SearchRequestError,
)

# The parameters that describe a search; anything else in a URL is ignored, and links
# built from the current URL (facets, pages) carry only these plus the page's own view
# switches (VIEW_PARAMS).
SEARCH_PARAMS = (
    "q", "specialty", "doctor", "year_from", "year_to", "sex", "age", "sort", "page", "per_page",
    "exact",
)
# The parameters that narrow the results: what "Clear all" removes.
FILTER_PARAMS = ("specialty", "doctor", "year_from", "year_to", "sex", "age")
VIEW_PARAMS = ("all_doctors",)
_INTEGER = re.compile(r"-?[0-9]{1,12}")


def search_request_from_args(
    args: MultiDict[str, str], *, per_page: int, max_per_page: int
) -> SearchRequest:
    """The SearchRequest the arguments describe, or SearchRequestError naming the bad one.

    `per_page` is the default page size; an explicit `per_page` above `max_per_page`
    is refused rather than silently cut, so a client learns the limit.
    """
    query = args.get("q", "").strip()
    page = _positive_int(args, "page", default=1)
    size = _positive_int(args, "per_page", default=per_page)
    if size > max_per_page:
        raise SearchRequestError(f"per_page must be at most {max_per_page}, got {size}")
    year_from, year_to = _optional_int(args, "year_from"), _optional_int(args, "year_to")
    if year_from is not None and year_to is not None and year_from > year_to:
        # Two selects set the range: picked the wrong way round, it still means a range.
        year_from, year_to = year_to, year_from
    return SearchRequest(
        query=query,
        specialties=_values(args, "specialty"),
        doctors=_values(args, "doctor"),
        # Exactly as documented (the OpenAPI enum): a blank or padded sort is an error.
        sort=args.get("sort", "relevance"),
        page=page,
        per_page=size,
        doctor_facet_limit=None if _all_doctors(args) else DOCTOR_FACET_LIMIT,
        year_from=year_from,
        year_to=year_to,
        sexes=_values(args, "sex"),
        age_bands=_values(args, "age"),
        exact=_flag(args, "exact"),
    )


def _all_doctors(args: MultiDict[str, str]) -> bool:
    raw = args.get("all_doctors")
    if raw not in (None, "1"):
        raise SearchRequestError(f"all_doctors must be 1 or absent, got {raw[:40]!r}")
    return raw == "1"


def link_params(args: MultiDict[str, str], **changes: Any) -> dict[str, list[str]]:
    """The current search's parameters with `changes` applied, ready for url_for.

    A change of None removes the parameter; a list replaces all its values. Empty
    values are dropped so URLs stay short and shareable.
    """
    params: dict[str, list[str]] = {}
    for name in (*SEARCH_PARAMS, *VIEW_PARAMS):
        values = [value for value in args.getlist(name) if value.strip()]
        if values:
            params[name] = values
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        elif isinstance(value, list | tuple):
            params[name] = [str(item) for item in value]
        else:
            params[name] = [str(value)]
    return {name: values for name, values in params.items() if values}


def back_params(args: Mapping[str, Any] | MultiDict[str, str]) -> dict[str, list[str]]:
    """Just the search parameters (no view switches): what a thread page carries so its
    "back to results" link returns to the same search."""
    multi = args if isinstance(args, MultiDict) else MultiDict(args)
    return link_params(multi, all_doctors=None)


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    given = args.getlist(name)
    # Counted as sent (blank ones too), as the OpenAPI document's maxItems says.
    if len(given) > MAX_FILTER_VALUES:
        raise SearchRequestError(
            f"too many {name} filters: {len(given)}, at most {MAX_FILTER_VALUES}"
        )
    return tuple(value.strip() for value in given if value.strip())


def _optional_int(args: MultiDict[str, str], name: str) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None  # "Any" in the year selects
    # Plain ASCII digits only, as for page numbers.
    if not _INTEGER.fullmatch(raw):
        raise SearchRequestError(f"{name} must be a year, got {raw[:40]!r}")
    return int(raw)


def _flag(args: MultiDict[str, str], name: str) -> bool:
    raw = args.get(name)
    if raw not in (None, "0", "1"):
        raise SearchRequestError(f"{name} must be 1 or 0, got {raw[:40]!r}")
    return raw == "1"


def _positive_int(args: MultiDict[str, str], name: str, *, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    # Plain ASCII digits only: int() would also take " 2", "1_0" and other scripts' digits.
    if not _INTEGER.fullmatch(raw):
        raise SearchRequestError(f"{name} must be a whole number, got {raw[:40]!r}")
    value = int(raw)
    if value < 1:
        raise SearchRequestError(f"{name} must be 1 or more, got {value}")
    return value
