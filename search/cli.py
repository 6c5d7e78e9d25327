"""`qasearch search`: the search API from the command line, as text or as the JSON API."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import click

from search.engine import SearchEngine
from search.index.generations import IndexUnavailableError
from search.request import (
    MAX_PER_PAGE,
    SORTS,
    SearchRequest,
    SearchRequestError,
    SearchResponse,
)

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
# Bold on a terminal, [brackets] where colour is off (pipes, files).
_BOLD = "\x1b[1m{}\x1b[0m"
_BRACKETS = "[{}]"


@click.command("search")
@click.argument("query", default="")
@click.option(
    "--index", "index_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Index directory written by `qasearch reindex` (holds CURRENT).",
)
@click.option(
    "--specialty", "specialties", multiple=True, help="Only this specialty (repeatable)."
)
@click.option("--doctor", "doctors", multiple=True, help="Only this doctor (repeatable).")
@click.option("--year-from", type=int, default=None, help="Asked in this year or later.")
@click.option("--year-to", type=int, default=None, help="Asked in this year or earlier.")
@click.option("--sex", "sexes", multiple=True, help="Only askers of this sex (repeatable).")
@click.option("--age", "ages", multiple=True, help="Only askers in this age band, e.g. 20~29.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--limit", "per_page", type=click.IntRange(1, MAX_PER_PAGE), default=10, show_default=True,
    help="Results per page.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True,
)
@click.option("--exact", is_flag=True,
              help="Search the words exactly as typed: no automatic spelling correction.")
def search_command(
    query: str,
    index_dir: Path,
    specialties: tuple[str, ...],
    doctors: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    sexes: tuple[str, ...],
    ages: tuple[str, ...],
    sort: str,
    page: int,
    per_page: int,
    output_format: str,
    exact: bool,
) -> None:
    """Search the index for QUERY (empty: every thread, newest first)."""
    try:
        request = SearchRequest(
            query, specialties, doctors, sort, page, per_page, year_from=year_from,
            year_to=year_to, sexes=sexes, age_bands=ages, exact=exact,
        )
    except SearchRequestError as error:
        raise click.BadParameter(str(error)) from None
    try:
        with SearchEngine(index_dir) as engine:
            response = engine.search(request)
    except IndexUnavailableError as error:
        raise click.ClickException(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(response, color=sys.stdout.isatty()))


def render_text(response: SearchResponse, color: bool = False) -> str:
    """A plain-text page of results: total, hits with snippets, facets, suggestion."""
    mark = _BOLD if color else _BRACKETS
    request = response.request
    lines = [f"{response.total} threads (page {request.page} of {response.pages})"]
    if response.corrected:
        lines.append(f"Showing results for: {response.corrected} "
                     f"(search instead for {request.query!r} with --exact)")
    elif response.suggestion:
        lines.append(f"Did you mean: {response.suggestion}")
    if response.common_words_only:
        lines.append(f"{request.query!r} has only common words; listing by date.")
    first = (request.page - 1) * request.per_page + 1
    for number, hit in enumerate(response.results, start=first):
        # The doctor is named as on the web and in JSON: the archive's name, unprefixed.
        doctor = f"answered by {hit.doctor}" if hit.doctor else None
        about = " · ".join(x for x in (hit.specialty, doctor, hit.asked) if x)
        lines += ["", f"{number}. {hit.title}  [{hit.id}]", f"   {about}"]
        if hit.snippet:
            lines.append(f"   {_plain(hit.snippet, mark)}")
    facets = (
        ("Specialty", response.facets.specialty),
        ("Doctor", response.facets.doctor),
        ("Year asked", response.facets.year),
        ("Sex", response.facets.sex),
        ("Age", response.facets.age),
    )
    for name, counts in facets:
        if counts:
            lines += ["", f"{name}:"]
            lines += [f"  {value} ({count})" for value, count in counts.items()]
    return "\n".join(lines)


def _plain(snippet: str, mark: str) -> str:
    return html.unescape(_MARK.sub(lambda m: mark.format(m.group(1)), snippet))
