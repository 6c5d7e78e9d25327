"""Facet view-models: what the facet panel shows, with every URL already built.

Following Datasette's facets, each value knows its count, whether it is selected and
the URL that toggles it, so templates only loop. Counts come from the engine, which
counts each facet over the matches of the query and the OTHER facets' selections
(disjunctive facets), so ticking a second specialty adds to the results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from web.search_args import link_params

# Builds a URL from link parameters; the views pass a url_for bound to their endpoint.
UrlBuilder = Callable[[dict[str, list[str]]], str]


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool
    toggle_url: str
    label: str = ""  # what people read; the value itself when empty

    @property
    def text(self) -> str:
        return self.label or self.value


@dataclass(frozen=True)
class Facet:
    """One facet (a request parameter) with the values to show."""

    name: str  # the request parameter, e.g. "specialty"
    label: str
    values: tuple[FacetValue, ...]
    hidden_count: int = 0  # values left out by the display limit
    show_all_url: str | None = None  # set when values are hidden
    show_fewer_url: str | None = None  # set when all are shown on request

    @property
    def selected(self) -> tuple[FacetValue, ...]:
        return tuple(value for value in self.values if value.selected)


def build_facet(
    name: str,
    label: str,
    counts: Mapping[str, int],
    args: MultiDict[str, str],
    url: UrlBuilder,
    *,
    limit: int | None = None,
    show_all_param: str | None = None,
    keep_order: bool = False,
    labels: Callable[[str], str] | None = None,
) -> Facet:
    """The facet for request parameter `name` given the engine's `counts`.

    Selected values come first (even when the engine counted none of them, so the
    user can always untick), then the rest by count, most first, ties by name. With
    `keep_order` (age bands: a short list read in its own order) every value stays
    where the engine put it. With `limit`, only that many unselected values are shown
    unless `show_all_param` is set in `args`. `labels` turns a value into its text.
    """
    selected = _unique(value for value in args.getlist(name) if value.strip())
    selected_set = set(selected)
    chosen = list(selected)  # what the toggle URLs start from
    if keep_order:
        selected = [value for value in dict.fromkeys([*counts, *selected]) if value]
        others = []
    else:
        others = sorted(
            (value for value in counts if value and value not in selected_set),
            key=lambda value: (-counts[value], value.casefold()),
        )
    show_all = bool(show_all_param and args.get(show_all_param))
    hidden = 0
    if limit is not None and not show_all and len(others) > limit:
        hidden = len(others) - limit
        others = others[:limit]

    # link_params(args, **{name: now, "page": None}) for each value, with the rest of
    # the URL read from args once: a page has dozens of these links.
    base = link_params(args, page=None)

    def toggle(value: str) -> str:
        now = [item for item in chosen if item != value]
        if value not in selected_set:
            now.append(value)
        params = dict(base)
        if now:
            params[name] = now
        else:
            params.pop(name, None)
        return url(params)

    text_of = labels or (lambda value: "")
    values = tuple(
        FacetValue(
            value, counts.get(value, 0), value in selected_set, toggle(value), text_of(value)
        )
        for value in (*selected, *others)
    )
    show_all_url = show_fewer_url = None
    if show_all_param and hidden:
        show_all_url = url(link_params(args, **{show_all_param: "1"}))
    elif show_all_param and show_all and limit is not None and len(counts) > limit:
        show_fewer_url = url(link_params(args, **{show_all_param: None}))
    return Facet(name, label, values, hidden, show_all_url, show_fewer_url)


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value.strip(), None)
    return list(seen)


# -- the year range: a bar chart drawn on the server, and two selects ----------------

CHART_WIDTH = 240
CHART_HEIGHT = 64
CHART_GAP = 2  # px between bars


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    selected: bool  # inside the chosen range
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class YearFacet:
    """Counts per year (gaps filled with 0) as bars, and the range the request chose."""

    bars: tuple[YearBar, ...]
    years: tuple[int, ...]  # the choices of the From and To selects
    year_from: int | None
    year_to: int | None
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def description(self) -> str:
        """The chart as words, for people who cannot see it."""
        return "; ".join(f"{bar.year}: {bar.count:,}" for bar in self.bars)

    @property
    def active(self) -> bool:
        return self.year_from is not None or self.year_to is not None


def build_year_facet(
    counts: Mapping[str, int], year_from: int | None, year_to: int | None
) -> YearFacet:
    known = sorted(int(year) for year, count in counts.items() if year.isdigit() and count)
    years = list(range(known[0], known[-1] + 1)) if known else []
    for chosen in (year_from, year_to):
        if chosen is not None and chosen not in years:
            years = sorted({*years, chosen})
    tallest = max((counts.get(str(year), 0) for year in years), default=0) or 1
    step = CHART_WIDTH / max(len(years), 1)
    bars = []
    for position, year in enumerate(years):
        count = counts.get(str(year), 0)
        height = 0.0 if not count else max(2.0, (CHART_HEIGHT - 2) * count / tallest)
        inside = (year_from is None or year >= year_from) and (year_to is None or year <= year_to)
        bars.append(YearBar(
            year=year, count=count, selected=inside and (year_from, year_to) != (None, None),
            x=round(position * step + CHART_GAP / 2, 2), y=round(CHART_HEIGHT - height, 2),
            width=round(max(step - CHART_GAP, 1.0), 2), height=round(height, 2),
        ))
    return YearFacet(tuple(bars), tuple(years), year_from, year_to)


# -- what is filtered: chips and the words of the heading ----------------------------

SEX_LABELS = {"female": "Female", "male": "Male"}


def sex_label(value: str) -> str:
    return SEX_LABELS.get(value, value.capitalize())


def age_label(value: str) -> str:
    """`20~29` as people write it: `20–29`."""
    return value.replace("~", "\u2013")


@dataclass(frozen=True)
class FilterChip:
    """One active filter, shown beside the results heading with a link that removes it."""

    label: str
    remove_url: str


def filter_chips(args: MultiDict[str, str], url: UrlBuilder) -> tuple[FilterChip, ...]:
    chips = []
    for name, text_of in (
        ("specialty", str),
        ("doctor", str),
        ("sex", sex_label),
        ("age", age_label),
    ):
        values = _unique(value for value in args.getlist(name) if value.strip())
        for value in values:
            rest = [item for item in values if item != value]
            remove = url(link_params(args, **{name: rest, "page": None}))
            chips.append(FilterChip(text_of(value), remove))
    year_from, year_to = args.get("year_from", "").strip(), args.get("year_to", "").strip()
    if year_from or year_to:
        chips.append(FilterChip(
            year_range_words(year_from or None, year_to or None).capitalize(),
            url(link_params(args, year_from=None, year_to=None, page=None)),
        ))
    return tuple(chips)


def year_range_words(year_from: object, year_to: object) -> str:
    if year_from is not None and year_to is not None:
        if str(year_from) == str(year_to):
            return f"asked in {year_from}"
        return f"asked {year_from}\u2013{year_to}"
    if year_from is not None:
        return f"asked in {year_from} or later"
    return f"asked in {year_to} or earlier"


def filter_words(
    specialties: Iterable[str],
    doctors: Iterable[str],
    year_from: int | None,
    year_to: int | None,
    sexes: Iterable[str],
    ages: Iterable[str],
) -> str:
    """The active filters as the end of a sentence: "in Dermatology or Pediatrics, asked
    2015–2018, by female askers" ("" without filters)."""
    parts = []
    if specialties := list(specialties):
        parts.append("in " + " or ".join(specialties))
    if doctors := list(doctors):
        parts.append("answered by " + " or ".join(doctors))
    if year_from is not None or year_to is not None:
        parts.append(year_range_words(year_from, year_to))
    if sexes := list(sexes):
        parts.append("by " + " or ".join(sex_label(s).lower() for s in sexes) + " askers")
    if ages := list(ages):
        parts.append("aged " + " or ".join(age_label(a) for a in ages))
    return ", ".join(parts)


# -- the specialties page: horizontal bars, drawn on the server ----------------------


@dataclass(frozen=True)
class SpecialtyBar:
    name: str
    count: int
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SpecialtyChart:
    bars: tuple[SpecialtyBar, ...]
    width: int
    height: int
    label_width: int


def specialty_chart(counts: list[tuple[str, int]]) -> SpecialtyChart | None:
    """One bar per specialty, most first, scaled to the largest (None: no specialties)."""
    if not counts:
        return None
    width, label_width, row, bar = 640, 190, 26, 18
    room = width - label_width - 60  # space for the count after the longest bar
    tallest = max(count for _, count in counts) or 1
    bars = tuple(
        SpecialtyBar(name, count, y=i * row + (row - bar) / 2,
                     width=round(max(1.0, room * count / tallest), 1), height=bar)
        for i, (name, count) in enumerate(counts)
    )
    return SpecialtyChart(bars, width, row * len(counts), label_width)
