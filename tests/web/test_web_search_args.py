"""URL arguments -> SearchRequest, and the links built from the current URL."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search.request import SearchRequestError
from web.search_args import back_params, link_params, search_request_from_args


def parse(**args: object) -> object:
    multi = MultiDict()
    for name, value in args.items():
        for item in value if isinstance(value, list) else [value]:
            multi.add(name, str(item))
    return search_request_from_args(multi, per_page=10, max_per_page=50)


def test_defaults_when_nothing_is_given() -> None:
    request = parse()
    assert (request.query, request.sort, request.page, request.per_page) == ("", "relevance", 1, 10)
    assert request.specialties == () and request.doctors == ()


def test_repeated_filters_and_trimmed_values() -> None:
    request = parse(
        q="  red spots ",
        specialty=["Dermatology", " Internal Medicine ", ""],
        doctor="Dr. Wu",
        sort="newest",
        page="2",
        per_page="25",
    )
    assert request.query == "red spots"
    assert request.specialties == ("Dermatology", "Internal Medicine")
    assert request.doctors == ("Dr. Wu",)
    assert (request.sort, request.page, request.per_page) == ("newest", 2, 25)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"page": "two"}, "page must be a whole number"),
        ({"page": "0"}, "page must be 1 or more"),
        ({"page": "-3"}, "page must be 1 or more"),
        ({"page": "1.5"}, "page must be a whole number"),
        ({"page": "999999"}, "page must be between"),
        ({"per_page": "51"}, "per_page must be at most 50"),
        ({"per_page": "x"}, "per_page must be a whole number"),
        ({"sort": "popular"}, "unknown sort 'popular'"),
        ({"q": "a" * 5001}, "query is too long"),
        ({"specialty": [f"s{n}" for n in range(51)]}, "too many specialty filters"),
    ],
)
def test_bad_arguments_name_what_was_wrong(args: dict[str, object], message: str) -> None:
    with pytest.raises(SearchRequestError, match=message):
        parse(**args)


def test_link_params_apply_changes_and_drop_unknown_and_empty() -> None:
    args = MultiDict(
        [("q", "rash"), ("specialty", "A"), ("page", "3"), ("utm", "x"), ("doctor", "")]
    )
    assert link_params(args) == {"q": ["rash"], "specialty": ["A"], "page": ["3"]}
    assert link_params(args, page=None, specialty=["A", "B"]) == {
        "q": ["rash"],
        "specialty": ["A", "B"],
    }
    assert link_params(args, specialty=[]) == {"q": ["rash"], "page": ["3"]}


def test_back_params_keep_the_search_but_not_view_switches() -> None:
    args = MultiDict([("q", "rash"), ("all_doctors", "1"), ("sort", "newest")])
    assert back_params(args) == {"q": ["rash"], "sort": ["newest"]}


def test_all_doctors_asks_the_engine_for_every_doctor() -> None:
    assert parse().doctor_facet_limit is not None
    assert parse(all_doctors="1").doctor_facet_limit is None


@pytest.mark.parametrize("params", [
    {},
    {"q": ["red spots & itch/\u00e9?"], "specialty": ["Ear, Nose & Throat", "Dermatology"],
     "page": ["2"]},
    {"q": ["a#b%c+d"], "doctor": ["Dr. Wu Jingyi"], "year_from": ["2001"], "sex": ["female"]},
    {"q": ["\U0001f912 fever \"quoted\" <b>"], "age": ["18-30"]},
])  # fmt: skip
def test_result_links_are_written_as_url_for_writes_them(app, params) -> None:
    from flask import url_for

    from web.views import search_url

    with app.test_request_context("/", base_url="http://example.test/qa"):
        assert search_url(params) == url_for("views.search", **params, _anchor="results")
