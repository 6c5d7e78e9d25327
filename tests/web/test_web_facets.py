"""Facet view-models: order, selection, toggle URLs, the show-all switch."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from werkzeug.datastructures import MultiDict

from web.facets import build_facet


def url(params: dict[str, list[str]]) -> str:
    from urllib.parse import urlencode

    return "/?" + urlencode(params, doseq=True)


def query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


COUNTS = {"Neurology": 24, "Dermatology": 3, "Family Medicine": 1, "Internal Medicine": 1}


def test_unselected_values_by_count_then_name() -> None:
    facet = build_facet("specialty", "Specialty", COUNTS, MultiDict([("q", "x")]), url)
    assert [v.value for v in facet.values] == [
        "Neurology",
        "Dermatology",
        "Family Medicine",
        "Internal Medicine",
    ]
    assert not facet.selected


def test_selected_first_even_without_a_count_and_toggle_removes_it() -> None:
    args = MultiDict(
        [("q", "x"), ("specialty", "Cardiology"), ("specialty", "Dermatology"), ("page", "4")]
    )
    facet = build_facet("specialty", "Specialty", COUNTS, args, url)
    assert [(v.value, v.count, v.selected) for v in facet.values[:2]] == [
        ("Cardiology", 0, True),
        ("Dermatology", 3, True),
    ]
    untick = query_of(facet.values[0].toggle_url)
    assert untick == {"q": ["x"], "specialty": ["Dermatology"]}  # page reset too
    tick = query_of(facet.values[2].toggle_url)
    assert tick["specialty"] == ["Cardiology", "Dermatology", "Neurology"]
    assert "page" not in tick


def test_limit_hides_the_tail_and_offers_show_all_then_show_fewer() -> None:
    counts = {f"Dr. {n:02d}": 100 - n for n in range(15)}
    args = MultiDict([("q", "x"), ("doctor", "Dr. 14")])
    facet = build_facet("doctor", "Doctor", counts, args, url, limit=10, show_all_param="all")
    assert len(facet.values) == 11  # the selected one plus ten
    assert facet.values[0].value == "Dr. 14" and facet.hidden_count == 4
    assert query_of(facet.show_all_url)["all"] == ["1"]
    everything = build_facet(
        "doctor",
        "Doctor",
        counts,
        MultiDict([*args.items(multi=True), ("all", "1")]),
        url,
        limit=10,
        show_all_param="all",
    )
    assert len(everything.values) == 15 and everything.show_all_url is None
    assert "all" not in query_of(everything.show_fewer_url)


def test_empty_names_are_not_values() -> None:
    facet = build_facet("doctor", "Doctor", {"": 5, "Dr. A": 2}, MultiDict(), url)
    assert [v.value for v in facet.values] == ["Dr. A"]
