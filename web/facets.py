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
) -> Facet:
    """The facet for request parameter `name` given the engine's `counts`.

    Selected values come first (even when the engine counted none of them, so the
    user can always untick), then the rest by count, most first, ties by name. With
    `limit`, only that many unselected values are shown unless `show_all_param` is
    set in `args`.
    """
    selected = _unique(value for value in args.getlist(name) if value.strip())
    selected_set = set(selected)
    others = sorted(
        (value for value in counts if value and value not in selected_set),
        key=lambda value: (-counts[value], value.casefold()),
    )
    show_all = bool(show_all_param and args.get(show_all_param))
    hidden = 0
    if limit is not None and not show_all and len(others) > limit:
        hidden = len(others) - limit
        others = others[:limit]

    def toggle(value: str) -> str:
        now = [item for item in selected if item != value]
        if value not in selected_set:
            now.append(value)
        return url(link_params(args, **{name: now, "page": None}))

    values = tuple(
        FacetValue(value, counts.get(value, 0), value in selected_set, toggle(value))
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
