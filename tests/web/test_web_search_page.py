"""The search page `/`: box, results, facets, sort, pagination, suggestion, empty state."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from pagehtml import elements, text
from web_sample_threads import NEUROLOGY_DOCTORS


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def hit_ids(html: str) -> list[str]:
    return [
        urlsplit(link.get("href") or "").path.removeprefix("/thread/")
        for title in elements(html, "h3", class_="hit-title")
        for link in title.children
    ]


def facet_boxes(html: str, name: str) -> dict[str, dict[str, object]]:
    """value -> {checked, url, count} for each checkbox of facet `name`."""
    boxes = {}
    for box in elements(html, "input", type="checkbox", name=name):
        label = next(lab for lab in elements(html, "label") if lab.get("for") == box.get("id"))
        count = int(text(label).rsplit(" ", 1)[1].replace(",", ""))
        boxes[box.get("value")] = {
            "checked": "checked" in box.attrs,
            "url": box.get("data-toggle-url"),
            "count": count,
        }
    return boxes


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_home_has_a_labelled_autofocused_box_and_specialties_to_browse(client: FlaskClient) -> None:
    html = page(client, "/")
    (box,) = elements(html, "input", id="q")
    assert "autofocus" in box.attrs and box.get("name") == "q"
    assert [text(label) for label in elements(html, "label") if label.get("for") == "q"]
    links = {
        text(a): a.get("href") for a in elements(html, "a") if "specialty=" in (a.get("href") or "")
    }
    assert links["Neurology"] == "/?specialty=Neurology"
    assert "Obstetrics and Gynecology" in links


def test_results_show_count_titles_meta_and_highlighted_snippets(client: FlaskClient) -> None:
    html = page(client, "/?q=red+spots")
    ids = hit_ids(html)
    assert {"derm-red-spots", "im-red-spots-legs"} <= set(ids)
    (heading,) = elements(html, "h1", id="results-heading")
    assert text(heading).startswith(f"{len(ids)} questions")
    assert elements(html, "input", id="q")[0].get("value") == "red spots"
    snippets = elements(html, "p", class_="snippet")
    assert any(child.tag == "mark" for snippet in snippets for child in snippet.children)
    first = elements(html, "li", class_="hit")[0]
    assert "Answered by" in text(first) and elements(html, "time")


def test_result_links_keep_the_search_for_the_way_back(client: FlaskClient) -> None:
    html = page(client, "/?q=red+spots&specialty=Dermatology&sort=newest")
    link = elements(html, "h3", class_="hit-title")[0].children[0].get("href")
    assert query_of(link) == {"q": ["red spots"], "specialty": ["Dermatology"], "sort": ["newest"]}


def test_specialty_facet_counts_selection_and_toggle_urls(client: FlaskClient) -> None:
    html = page(client, "/?q=red+spots")
    boxes = facet_boxes(html, "specialty")
    assert boxes["Dermatology"]["count"] >= 2 and boxes["Internal Medicine"]["count"] == 1
    assert not any(box["checked"] for box in boxes.values())
    assert query_of(boxes["Dermatology"]["url"]) == {
        "q": ["red spots"],
        "specialty": ["Dermatology"],
    }

    ticked = page(client, boxes["Dermatology"]["url"])
    assert set(hit_ids(ticked)) and all(not i.startswith("im-") for i in hit_ids(ticked))
    ticked_boxes = facet_boxes(ticked, "specialty")
    assert next(iter(ticked_boxes)) == "Dermatology" and ticked_boxes["Dermatology"]["checked"]
    # Disjunctive: the other specialty keeps its count, and ticking it adds its results.
    assert ticked_boxes["Internal Medicine"]["count"] == 1
    both_url = ticked_boxes["Internal Medicine"]["url"]
    assert query_of(both_url)["specialty"] == ["Dermatology", "Internal Medicine"]
    both = page(client, both_url)
    assert "im-red-spots-legs" in hit_ids(both)
    assert len(hit_ids(both)) == len(hit_ids(ticked)) + 1

    untick = facet_boxes(both, "specialty")["Dermatology"]["url"]
    assert query_of(untick)["specialty"] == ["Internal Medicine"]
    assert hit_ids(page(client, untick)) == ["im-red-spots-legs"]


def test_facet_ticks_reset_the_page(client: FlaskClient) -> None:
    html = page(client, "/?q=headache&page=2")
    url = facet_boxes(html, "doctor")[NEUROLOGY_DOCTORS[1]]["url"]
    assert "page" not in query_of(url)


def test_doctor_facet_shows_ten_then_all(client: FlaskClient) -> None:
    html = page(client, "/?q=headache")
    assert len(facet_boxes(html, "doctor")) == 10
    (show_all,) = [a for a in elements(html, "a") if text(a) == "Show all doctors"]
    assert query_of(show_all.get("href"))["all_doctors"] == ["1"]
    everything = page(client, show_all.get("href"))
    assert set(facet_boxes(everything, "doctor")) == set(NEUROLOGY_DOCTORS)


def test_doctor_filter_keeps_only_that_doctor(client: FlaskClient) -> None:
    doctor = NEUROLOGY_DOCTORS[3]
    html = page(client, "/?q=headache&doctor=" + doctor.replace(" ", "+"))
    boxes = facet_boxes(html, "doctor")
    assert boxes[doctor]["checked"] and next(iter(boxes)) == doctor
    assert hit_ids(html) == ["neuro-headache-03", "neuro-headache-15"] or sorted(hit_ids(html)) == [
        "neuro-headache-03",
        "neuro-headache-15",
    ]


def test_pagination_links_and_pages(client: FlaskClient) -> None:
    first = page(client, "/?q=headache")
    assert len(hit_ids(first)) == 10
    (nav,) = elements(first, "nav", class_="pagination")
    links = [
        a
        for a in elements(first, "a")
        if a.get("aria-current") or a.get("rel") or (a.get("aria-label") or "").startswith("Page ")
    ]
    numbers = [text(a) for a in links if text(a).isdigit()]
    assert numbers == ["1", "2", "3"]
    (next_link,) = [a for a in links if a.get("rel") == "next"]
    assert query_of(next_link.get("href")) == {"q": ["headache"], "page": ["2"]}
    second = page(client, next_link.get("href"))
    third = page(client, "/?q=headache&page=3")
    all_ids = hit_ids(first) + hit_ids(second) + hit_ids(third)
    assert len(all_ids) == 24 == len(set(all_ids))
    (prev_link,) = [a for a in elements(second, "a") if a.get("rel") == "prev"]
    assert query_of(prev_link.get("href")) == {"q": ["headache"]}
    assert not [a for a in elements(third, "a") if a.get("rel") == "next"]


def test_a_page_past_the_end_says_so(client: FlaskClient) -> None:
    html = page(client, "/?q=headache&page=9")
    assert not hit_ids(html) and "past the last page" in html


def test_sort_select_and_order(client: FlaskClient) -> None:
    html = page(client, "/?q=headache&sort=newest&per_page=30")
    (selected,) = [o for o in elements(html, "option") if "selected" in o.attrs]
    assert selected.get("value") == "newest"
    dates = [t.get("datetime") for t in elements(html, "time")]
    assert len(dates) == 24 and dates == sorted(dates, reverse=True)
    oldest = page(client, "/?q=headache&sort=oldest&per_page=30")
    assert [t.get("datetime") for t in elements(oldest, "time")] == sorted(dates)


def test_filter_only_search_lists_the_specialty(client: FlaskClient) -> None:
    html = page(client, "/?specialty=Family+Medicine")
    assert hit_ids(html) == ["fm-night-cough"]


def test_empty_state_offers_specialties(client: FlaskClient) -> None:
    html = page(client, "/?q=xylophone+zebra")
    assert "No questions matched" in html and not hit_ids(html)
    assert not elements(html, "aside")  # no empty facet panel
    browse = [
        a.get("href")
        for a in elements(html, "a")
        if (a.get("href") or "").startswith("/?specialty=")
    ]
    assert "/?specialty=Neurology" in browse


def test_a_misspelt_query_is_searched_corrected_with_a_link_to_search_as_typed(
    client: FlaskClient,
) -> None:
    html = page(client, "/?q=hedache&specialty=Neurology")
    (note,) = elements(html, "p", class_="correction")
    assert text(note).startswith("Showing results for headache. Search instead for hedache")
    corrected, exact = (link.get("href") for link in note.children if link.tag == "a")
    assert query_of(corrected) == {"q": ["headache"], "specialty": ["Neurology"]}
    assert query_of(exact) == {"q": ["hedache"], "specialty": ["Neurology"], "exact": ["1"]}
    assert hit_ids(html) == hit_ids(page(client, corrected))
    # Searched exactly as typed: nothing found, the correction only offered.
    html = page(client, exact)
    assert hit_ids(html) == [] and not elements(html, "p", class_="correction")
    (suggestion,) = elements(html, "p", class_="suggestion")
    link = suggestion.children[0].get("href")
    assert query_of(link) == {"q": ["headache"], "specialty": ["Neurology"]}


def test_exact_must_be_0_or_1(client: FlaskClient) -> None:
    page(client, "/?q=hedache&exact=0")
    assert "exact must be 1 or 0" in page(client, "/?q=hedache&exact=yes", status=400)


def test_bad_parameters_get_a_400_page_in_the_site_style(client: FlaskClient) -> None:
    for url, message in [
        ("/?q=x&sort=popular", "unknown sort"),
        ("/?q=x&page=abc", "page must be a whole number"),
        ("/?q=x&page=0", "page must be 1 or more"),
        ("/?q=" + "a" * 5001, "query is too long"),
        ("/?q=x&per_page=500", "per_page must be at most 50"),
    ]:
        html = page(client, url, status=400)
        assert message in html and "/static/style.css" in html


def test_hostile_title_is_escaped_in_results(client: FlaskClient) -> None:
    html = page(client, "/?q=strange+rash+burns")
    assert "hostile-001" in hit_ids(html)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")


def test_specialties_page_lists_every_specialty_with_count(client: FlaskClient) -> None:
    html = page(client, "/specialties")
    items = {
        text(li)
        for li in elements(html, "li")
        if li.children and (li.children[0].get("href") or "").startswith("/?specialty=")
    }
    assert "Neurology 24" in items and "Dermatology 3" in items and len(items) == 5


def test_autofocus_only_where_retyping_is_next(client: FlaskClient) -> None:
    assert "autofocus" not in elements(page(client, "/?q=headache"), "input", id="q")[0].attrs
    assert "autofocus" in elements(page(client, "/?q=xylophone"), "input", id="q")[0].attrs


def test_active_filters_are_named_in_the_heading_with_removable_chips(client: FlaskClient) -> None:
    html = page(
        client, "/?q=spots&specialty=Dermatology&specialty=Internal+Medicine&year_from=2016"
    )
    (heading,) = elements(html, "h1", id="results-heading")
    assert text(heading).endswith(
        "in Dermatology or Internal Medicine, asked in 2016 or later"
    )
    chips = {text(a): a.get("href") for a in elements(html, "a", class_="chip")}
    assert set(chips) == {"Dermatology ×", "Internal Medicine ×", "Asked in 2016 or later ×"}
    assert query_of(chips["Dermatology ×"]) == {
        "q": ["spots"], "specialty": ["Internal Medicine"], "year_from": ["2016"]
    }
    assert urlsplit(chips["Dermatology ×"]).fragment == "results"
    (clear,) = elements(html, "a", class_="clear-all")
    assert query_of(clear.get("href")) == {"q": ["spots"]}
    (summary,) = elements(html, "summary")
    assert text(summary) == "Filters (3)"
    (form,) = elements(html, "form", id="search-form")
    assert form.get("action") == "/#results"  # a tick without script lands on the results


def test_year_sex_and_age_facets(client: FlaskClient) -> None:
    html = page(client, "/?q=headache&sex=female")
    (chart,) = elements(html, "svg", class_="year-chart")
    assert chart.get("role") == "img"
    (desc,) = elements(html, "desc")
    years = dict(part.split(": ") for part in text(desc).split("; "))
    assert sum(int(n) for n in years.values()) == 24 and list(years) == sorted(years)
    assert len(elements(html, "rect")) == len(years)
    options = [o.get("value") for o in elements(html, "option") if (o.get("value") or "").isdigit()]
    assert options == list(years) * 2  # From and To
    boxes = facet_boxes(html, "sex")
    assert boxes["female"]["checked"] and boxes["female"]["count"] == 24
    assert facet_boxes(html, "age") == {
        "20~29": {"checked": False, "url": facet_boxes(html, "age")["20~29"]["url"], "count": 24}
    }
    labels = [text(label) for label in elements(html, "label") if label.get("for") == "age-1"]
    assert labels == ["20–29 24"]
    ranged = page(client, "/?q=headache&year_from=2015&year_to=2016")
    assert len(hit_ids(ranged)) == sum(int(years[y]) for y in ("2015", "2016") if y in years)
    selected = [r for r in elements(ranged, "rect") if r.get("class") == "in-range"]
    assert len(selected) == 2


def test_only_common_words_says_so_and_sorts_newest_first(client: FlaskClient) -> None:
    html = page(client, "/?q=on+my")
    (note,) = elements(html, "p", class_="note")
    assert text(note) == "“on my” has only common words; showing the newest questions."
    (selected,) = [o for o in elements(html, "option") if "selected" in o.attrs]
    assert selected.get("value") == "newest"
    (heading,) = elements(html, "h1", id="results-heading")
    assert "for" not in text(heading)
    dates = [t.get("datetime") for t in elements(html, "time")]
    assert dates == sorted(dates, reverse=True)


def test_specialties_page_draws_a_bar_per_specialty_beside_the_list(client: FlaskClient) -> None:
    html = page(client, "/specialties")
    (chart,) = elements(html, "svg")
    assert chart.get("aria-hidden") == "true"  # the list below is the accessible form
    labels = [text(t) for t in elements(html, "text", class_="bar-label")]
    counts = [text(t) for t in elements(html, "text", class_="bar-count")]
    assert labels[0] == "Neurology" and counts[0] == "24" and len(labels) == 5
    widths = [float(r.get("width")) for r in elements(html, "rect")]
    assert widths == sorted(widths, reverse=True) and widths[0] > 8 * widths[-1]
