"""The HTML pages: search (`/`), a thread (`/thread/<id>`), the specialty list.

Each view parses the URL, asks the engine, builds view-models (facets, pagination,
links) and renders; templates only loop and escape. The search page renders the same
SearchResponse that `/api/search` returns for the same URL parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from flask import Blueprint, abort, current_app, g, render_template, request, url_for

from search.request import MAX_QUERY_CHARS, MAX_THREAD_ID_CHARS
from web.engine_holder import get_engine
from web.facets import (
    age_label,
    build_facet,
    build_year_facet,
    filter_chips,
    filter_words,
    sex_label,
    specialty_chart,
)
from web.marked_thread import marked_thread
from web.metrics import timed_search
from web.search_args import FILTER_PARAMS, back_params, link_params, search_request_from_args

views = Blueprint("views", __name__)

PAGE_WINDOW = 2  # page links shown either side of the current page


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap ("…")
    url: str | None
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous_url: str | None
    next_url: str | None
    links: tuple[PageLink, ...]


# What werkzeug leaves unescaped in a query string (werkzeug.urls._urlencode).
URL_SAFE = "!$'()*,/:;?@"


def search_url(params: dict[str, list[str]]) -> str:
    """A results URL that lands on the results (#results), so a tick or a removed chip
    leaves the reader looking at what changed, on a phone too."""
    # url_for would give the same text (a test checks it), but a results page has dozens
    # of facet links and url_for costs ~35 microseconds each: the base is built once.
    base = g.get("search_base_url")
    if base is None:
        base = g.search_base_url = url_for("views.search")
    query = "&".join(f"{_quoted(name)}={_quoted(value)}"
                     for name, values in params.items() for value in values)
    return f"{base}?{query}#results" if query else f"{base}#results"


@lru_cache(maxsize=2048)
def _quoted(text: str) -> str:
    """What urlencode writes for one name or value. Cached: every facet link of a page
    repeats the same query text, up to MAX_QUERY_CHARS of it."""
    return quote_plus(text, safe=URL_SAFE)


@views.get("/")
def search() -> Any:
    args = request.args
    engine = get_engine()
    if not any(args.get(name, "").strip() for name in ("q", "sort", *FILTER_PARAMS)):
        return render_template("home.html", specialties=_specialty_links(engine))
    config = current_app.config
    search_request = search_request_from_args(
        args, per_page=config["PER_PAGE"], max_per_page=config["MAX_PER_PAGE"]
    )
    response = timed_search(search_request)
    thread_back = back_params(args)
    facets = response.facets
    checkbox_facets = [
        build_facet("specialty", "Specialty", facets.specialty, args, search_url),
        build_facet(
            "doctor",
            "Doctor",
            facets.doctor,
            args,
            search_url,
            limit=config["DOCTOR_FACET_SIZE"],
            show_all_param="all_doctors",
        ),
        build_facet("sex", "Asker's sex", facets.sex, args, search_url, labels=sex_label),
        build_facet(
            "age", "Asker's age", facets.age, args, search_url, keep_order=True, labels=age_label
        ),
    ]
    chips = filter_chips(args, search_url)
    # Only common words ("on my"): the engine listed everything by date, so the page
    # says so and its sort control shows the order actually used.
    sort_shown = search_request.sort
    if response.common_words_only and sort_shown == "relevance":
        sort_shown = "newest"
    return render_template(
        "search.html",
        search=search_request,
        response=response,
        sort_shown=sort_shown,
        hits=[
            (hit, url_for("views.thread", thread_id=hit.id, **thread_back))
            for hit in response.results
        ],
        facets=checkbox_facets,
        year_facet=build_year_facet(
            facets.year, search_request.year_from, search_request.year_to
        ),
        chips=chips,
        filter_words=filter_words(
            search_request.specialties,
            search_request.doctors,
            search_request.year_from,
            search_request.year_to,
            search_request.sexes,
            search_request.age_bands,
        ),
        pagination=_pagination(response.request.page, response.pages, args),
        suggestion_url=(
            search_url(link_params(args, q=response.suggestion, page=None, exact=None))
            if response.suggestion
            else None
        ),
        # After an automatic correction: the corrected query, and the typed one exactly.
        corrected_url=(
            search_url(link_params(args, q=response.corrected, page=None, exact=None))
            if response.corrected
            else None
        ),
        exact_url=(
            search_url(link_params(args, page=None, exact=1)) if response.corrected else None
        ),
        clear_filters_url=search_url(
            link_params(args, page=None, **dict.fromkeys(FILTER_PARAMS))
        ),
        browse=_specialty_links(engine) if response.total == 0 else [],
        keep=link_params(
            args, q=None, page=None, sort=None, **dict.fromkeys(FILTER_PARAMS)
        ),
    )


@views.get("/thread/<thread_id>")
def thread(thread_id: str) -> Any:
    if len(thread_id) > MAX_THREAD_ID_CHARS:
        abort(404, description="There is no question with that id.")
    engine = get_engine()
    record = engine.get_thread(thread_id)
    if record is None:
        abort(404, description="There is no question with that id. It may have been removed.")
    back = back_params(request.args)
    similar = engine.similar(thread_id, limit=current_app.config["SIMILAR_LIMIT"])
    query = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    return render_template(
        "thread.html",
        thread=record,
        query=query,
        text=marked_thread(engine, record, query),
        doctor_url=lambda name: url_for("views.search", doctor=name, _anchor="results"),
        back_url=search_url(back) if back else None,
        similar=[(hit, url_for("views.thread", thread_id=hit.id, **back)) for hit in similar],
        related=[(faq, _related_faq_url(faq, record)) for faq in record.get("related_faq") or ()],
    )


@views.get("/specialties")
def specialties() -> Any:
    links = _specialty_links(get_engine())
    return render_template(
        "specialties.html",
        specialties=links,
        chart=specialty_chart([(name, count) for name, count, _ in links]),
    )


def _related_faq_url(faq: dict[str, Any], record: dict[str, Any]) -> str:
    specialty = faq.get("specialty") or record.get("specialty")
    params: dict[str, Any] = {"q": faq.get("topic", "")}
    if specialty:
        params["specialty"] = specialty
    return url_for("views.search", **params)


def _specialty_links(engine: Any) -> list[tuple[str, int, str]]:
    return [
        (name, count, url_for("views.search", specialty=name))
        for name, count in engine.specialty_counts().items()
        if name
    ]


def _pagination(page: int, pages: int, args: Any) -> Pagination:
    def page_url(number: int) -> str:
        return search_url(link_params(args, page=number if number > 1 else None))

    numbers = sorted(
        {1, pages, *range(max(1, page - PAGE_WINDOW), min(pages, page + PAGE_WINDOW) + 1)}
    )
    links: list[PageLink] = []
    for number in numbers:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, None))
        links.append(PageLink(number, page_url(number), number == page))
    return Pagination(
        page=page,
        pages=pages,
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if page < pages else None,
        links=tuple(links),
    )
