"""`python -m bench.profile_search --index DIR`: where does a search spend its time?

Runs the benchmark's query mix through SearchEngine under cProfile (after a warm-up, so
opening the index is not in the profile) and prints the top functions by cumulative and
by own time. Queries come from a file the benchmark wrote (bench/out/queries-N.json) or
are drawn from an archive, as the benchmark draws them.

With `--web /` (or `--web /api/search`) each query goes through the whole Flask request
instead (Flask's test client: routing, argument parsing, engine, template or JSON), which
shows what a page adds to the search itself; gunicorn and the network are not included.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from pathlib import Path

import click

from bench.archive import recorded_generator_digest
from bench.queries import BenchQuery, build_query_mix, load_queries, sample_threads
from search.engine import SearchEngine
from search.index.generations import current_generation, read_meta
from search.request import SearchRequest


def run_queries(engine: SearchEngine, queries: list[BenchQuery]) -> None:
    for query in queries:
        specialties = (query.specialty,) if query.specialty else ()
        engine.search(SearchRequest(query=query.text, specialties=specialties, per_page=10))


def index_description(index_dir: Path) -> str:
    """What was profiled: the generation, its size, the sample generator of its archive,
    and whether it has posting arrays (the read path)."""
    generation = current_generation(index_dir)
    meta = read_meta(generation)
    digests = {recorded_generator_digest(Path(source)) for source in meta.get("sources", [])}
    generator = ", ".join(sorted(d or "unknown" for d in digests)) or "unknown"
    with SearchEngine(index_dir) as engine:
        arrays = engine._current.matcher.arrays is not None
        segments = len(engine._current.searcher.leaf_searchers())
    return (f"{generation.name}: {meta.get('threads')} threads in {segments} segments, "
            f"posting arrays {'yes' if arrays else 'no'}; sample generator {generator}")


def query_runner(index_dir: Path, web_route: str | None) -> Callable[[list[BenchQuery]], None]:
    """A function running queries through the engine, or through the app's `web_route`."""
    if web_route is None:
        engine = SearchEngine(index_dir)
        return lambda queries: run_queries(engine, queries)
    from web.app import create_app  # only here: profiling the engine needs no Flask

    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()

    def run_requests(queries: list[BenchQuery]) -> None:
        for query in queries:
            response = client.get(query.url_path(web_route))
            if response.status_code != 200:
                raise click.ClickException(
                    f"{query.url_path(web_route)[:200]} answered {response.status_code}"
                )

    return run_requests


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--queries", "queries_file", type=click.Path(exists=True, path_type=Path),
              help="Query list written by `python -m bench` (bench/out/queries-N.json).")
@click.option("--archive", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Draw the query mix from this archive instead.")
@click.option("--count", default=300, show_default=True, help="Queries drawn from --archive.")
@click.option("--seed", default=1, show_default=True)
@click.option("--kind", type=click.Choice(["words", "description", "question"]),
              help="Profile only queries of this kind.")
@click.option("--web", "web_route", type=click.Choice(["/", "/api/search"]),
              help="Profile whole requests to this route (Flask test client).")
@click.option("--top", default=25, show_default=True, help="Functions to list per table.")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the raw profile here (for snakeviz or pstats).")
def main(
    index_dir: Path,
    queries_file: Path | None,
    archive: Path | None,
    count: int,
    seed: int,
    kind: str | None,
    web_route: str | None,
    top: int,
    save: Path | None,
) -> None:
    """Profile the query mix through the project's SearchEngine."""
    if queries_file:
        queries = load_queries(queries_file)
    elif archive:
        queries = build_query_mix(sample_threads(archive, 2000, seed), count, seed)
    else:
        raise click.UsageError("give --queries FILE or --archive DIR")
    if kind:
        queries = [query for query in queries if query.kind == kind]
    if not queries:
        raise click.UsageError("no queries to run")
    click.echo(index_description(index_dir))
    run = query_runner(index_dir, web_route)
    run(queries[:20])  # warm-up: open searcher, load columns, fill caches
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(run, queries)
    elapsed = time.perf_counter() - start
    each_ms = elapsed / len(queries) * 1000
    click.echo(
        f"{len(queries)} queries in {elapsed:.2f} s under cProfile "
        f"({each_ms:.1f} ms each, profiler overhead included)"
    )
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(top)
        click.echo(f"\n=== top {top} by {order} ===")
        click.echo(buffer.getvalue().split("\n", 4)[-1].rstrip())  # skip pstats' preamble
    if save:
        profiler.dump_stats(str(save))
        click.echo(f"\nprofile written to {save}")


if __name__ == "__main__":
    main(prog_name="python -m bench.profile_search")
