"""`python -m bench`: for each thread count, build, query and load both engines; print a
table and write the same figures as JSON (keys documented in bench/README.md).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click

from bench.archive import ensure_archive, qasearch_executable
from bench.processes import MeasuredRun, run_measured
from bench.queries import (
    KINDS,
    build_query_mix,
    kind_counts,
    sample_threads,
    save_queries,
    zipf_sequence,
)
from bench.query_latency import compare_engines
from bench.report import check_targets, render_growth, render_markdown, render_table
from bench.web_load import web_figures
from search.index.generations import THREAD_STORE_FILE, current_generation, read_meta
from search.index.posting_arrays import FILE_PREFIX as POSTINGS_PREFIX

# How many archive threads the query mix is drawn from, and how many URLs each web run
# gets: enough that a 30 s run at several hundred requests/s never repeats a URL.
SAMPLE_THREADS = 8000
DISTINCT_URLS = 20_000
ZIPF_POOL = 2000
ZIPF_URLS = 20_000


def _parse_archive_overrides(values: tuple[str, ...]) -> dict[int, Path]:
    overrides = {}
    for value in values:
        count, sep, path = value.partition("=")
        if not sep or not count.isdigit():
            raise click.BadParameter(f"{value!r}: use THREADS=PATH, e.g. 100000=/tmp/sample100k")
        overrides[int(count)] = Path(path)
    return overrides


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--threads", "thread_counts", type=click.IntRange(min=10), multiple=True,
              default=(10_000,), show_default=True, help="Archive size; repeat for growth.")
@click.option("--seed", default=1, show_default=True, help="Seed of archive and queries.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("bench/out"), show_default=True, help="Figures, indexes, caches.")
@click.option("--archive", "archives", multiple=True, metavar="THREADS=PATH",
              help="Use an existing archive for that thread count instead of generating one.")
@click.option("--queries", "query_count", default=300, show_default=True,
              type=click.IntRange(min=3), help="Measured queries.")
@click.option("--warmup-queries", default=50, show_default=True, type=click.IntRange(min=0))
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help="Passed to `qasearch reindex --procs` (default: its own).")
@click.option("--no-vectors", is_flag=True,
              help="Passed to `qasearch reindex`: the lexical index alone, no sentence "
                   "vectors (their encoding and semantic search are measured by "
                   "bench.semantic_latency).")
@click.option("--skip-web", is_flag=True, help="Skip the wrk runs.")
@click.option("--web-duration", default=30, show_default=True, type=click.IntRange(min=1),
              help="Seconds per wrk run (use a few for a dry run).")
@click.option("--route", type=click.Choice(["/", "/api/search"]), default="/",
              show_default=True, help="Web route to load: the HTML page or the JSON API.")
@click.option("--report-only", is_flag=True,
              help="Measure nothing: rebuild results.json/.md from OUT/bench-N.json files.")
def main(
    thread_counts: tuple[int, ...],
    seed: int,
    out_dir: Path,
    archives: tuple[str, ...],
    query_count: int,
    warmup_queries: int,
    procs: int | None,
    no_vectors: bool,
    skip_web: bool,
    web_duration: int,
    route: str,
    report_only: bool,
) -> None:
    """Benchmark qasearch against SQLite FTS5: build, query latency, web throughput."""
    overrides = _parse_archive_overrides(archives)
    out_dir.mkdir(parents=True, exist_ok=True)
    if report_only:
        figures = [json.loads((out_dir / f"bench-{n}.json").read_text()) for n in thread_counts]
        _write_summary(out_dir, figures)
        click.echo((out_dir / "results.md").read_text())
        return
    machine = machine_info()
    command = " ".join([Path(sys.executable).name, "-m", "bench", *sys.argv[1:]])
    all_figures = []
    for threads in thread_counts:
        figures = bench_one(
            threads, seed=seed, out_dir=out_dir, archive=overrides.get(threads),
            query_count=query_count, warmup_count=warmup_queries, procs=procs,
            no_vectors=no_vectors,
            skip_web=skip_web, web_duration=web_duration, route=route,
        )  # fmt: skip
        figures["machine"] = machine
        figures["command"] = command
        (out_dir / f"bench-{threads}.json").write_text(json.dumps(figures, indent=1) + "\n")
        (out_dir / f"bench-{threads}.md").write_text(render_markdown(figures) + "\n")
        click.echo(render_table(figures))
        all_figures.append(figures)
    _write_summary(out_dir, all_figures)
    click.echo(f"\nfigures written to {out_dir}/bench-<threads>.json, results.json, results.md")


def _write_summary(out_dir: Path, all_figures: list[dict[str, Any]]) -> None:
    (out_dir / "results.json").write_text(json.dumps(all_figures, indent=1) + "\n")
    (out_dir / "results.md").write_text(
        "\n\n".join([render_growth(all_figures), *map(render_markdown, all_figures)]) + "\n"
    )


def bench_one(
    threads: int,
    *,
    seed: int,
    out_dir: Path,
    archive: Path | None,
    query_count: int,
    warmup_count: int,
    procs: int | None,
    no_vectors: bool,
    skip_web: bool,
    web_duration: int,
    route: str,
) -> dict[str, Any]:
    """Every figure for one archive size."""
    started = time.time()
    _log(f"{threads:,} threads: archive")
    info = ensure_archive(threads, seed, out_dir / "archives", archive)
    archive_dir = Path(info.path)
    work = out_dir / f"run-{threads}"
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {
        "threads": threads,
        "seed": seed,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "archive": asdict(info),
    }

    _log("build: qasearch reindex")
    index_dir = out_dir / f"index-{threads}"
    project = build_project(archive_dir, index_dir, procs=procs, no_vectors=no_vectors,
                            log_dir=work)
    _log("build: FTS5 reference")
    fts5_db = out_dir / f"fts5-{threads}.sqlite"
    reference = build_reference(archive_dir, fts5_db, log_dir=work)
    db_bytes = reference["db_bytes"]
    figures["build"] = {
        "project": project,
        "fts5": reference,
        "size_ratio_generation_to_fts5": round(project["generation_bytes"] / db_bytes, 3),
        "size_ratio_whoosh_to_fts5": round(project["whoosh_bytes"] / db_bytes, 3),
    }

    # Both builds leave hundreds of MB of dirty pages; let the kernel write them now, not
    # while queries are being timed.
    os.sync()
    _log("queries: drawing the mix")
    sample = sample_threads(archive_dir, SAMPLE_THREADS, seed)
    measured = build_query_mix(sample, query_count, seed)
    warmup = build_query_mix(sample, warmup_count, seed + 1, exclude=measured)
    save_queries(measured, out_dir / f"queries-{threads}.json")
    _log(f"queries: {len(measured)} measured, {len(warmup)} warm-up, both engines")
    figures["query"] = compare_engines(index_dir, fts5_db, measured, warmup)

    if not skip_web:
        used = {*measured, *warmup}
        # A small dry-run archive cannot give 20,000 distinct pasted questions.
        distinct_count = min(DISTINCT_URLS, 2 * len(sample))
        distinct = build_query_mix(sample, distinct_count, seed + 2, exclude=used)
        pool = build_query_mix(sample, min(ZIPF_POOL, len(sample)), seed + 3, exclude=used)
        # Popular searches are short: rank the pool words first, pasted questions last,
        # so the head of the Zipf curve is "headache", and the tail is unique questions.
        pool.sort(key=lambda query: KINDS.index(query.kind))
        zipf = zipf_sequence(pool, ZIPF_URLS, seed + 4)
        _log(f"web: wrk {web_duration} s distinct, {web_duration} s zipf, route {route}")
        figures["web"] = web_figures(
            index_dir,
            distinct_paths=[q.url_path(route) for q in distinct],
            zipf_paths=[q.url_path(route) for q in zipf],
            warmup_paths=[q.url_path(route) for q in warmup or measured[:20]],
            duration_s=web_duration,
            work_dir=work / "web",
        )
        figures["web"]["route"] = route
        figures["web"]["distinct_mix"] = kind_counts(distinct)
        figures["web"]["zipf_unique_queries"] = len(set(zipf))
    figures["targets"] = check_targets(figures)
    figures["elapsed_s"] = round(time.time() - started, 1)
    return figures


def build_project(
    archive_dir: Path, index_dir: Path, *, procs: int | None, no_vectors: bool = False,
    log_dir: Path,
) -> dict[str, Any]:
    """`qasearch reindex` into an empty index dir, as an operator would run it."""
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [qasearch_executable(), "reindex", str(archive_dir), "--index", str(index_dir)]
    if procs:
        command += ["--procs", str(procs)]
    if no_vectors:
        command.append("--no-vectors")
    run = _checked(run_measured(command, log_dir=log_dir, name="reindex"))
    generation = current_generation(index_dir)
    meta = read_meta(generation)
    store = (generation / THREAD_STORE_FILE).stat().st_size
    arrays = sum(path.stat().st_size for path in generation.glob(f"{POSTINGS_PREFIX}*"))
    total = _tree_bytes(generation)
    return {
        **_run_figures(run, meta["threads"]),
        "skipped": meta.get("skipped"),
        "vectors": not no_vectors,
        "generation_bytes": total,
        "thread_store_bytes": store,
        "posting_arrays_bytes": arrays,
        "whoosh_bytes": total - store - arrays,
    }


def build_reference(archive_dir: Path, db_path: Path, *, log_dir: Path) -> dict[str, Any]:
    """The FTS5 build in its own process, measured like the reindex."""
    command = [sys.executable, "-m", "bench.fts5_reference", "build", str(archive_dir),
               "--db", str(db_path)]  # fmt: skip
    run = _checked(run_measured(command, log_dir=log_dir, name="fts5-build"))
    inner = json.loads(run.stdout.strip().splitlines()[-1])
    figures = {**_run_figures(run, inner["threads"]), **inner}
    figures["threads_per_s_excluding_parse"] = round(
        inner["threads"] / (inner["insert_s"] + inner["optimize_s"]), 1
    )
    figures["db_bytes"] = db_path.stat().st_size
    return figures


def machine_info() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().split("\n")
    total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor()
    )  # fmt: skip
    wrk = subprocess.run(["/usr/bin/wrk", "-v"], capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": version("whoosh"),
        "gunicorn": version("gunicorn"),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
    }


def _run_figures(run: MeasuredRun, threads: int) -> dict[str, Any]:
    return {
        "command": " ".join(run.command),
        "threads": threads,
        "wall_s": round(run.wall_s, 3),
        "threads_per_s": round(threads / run.wall_s, 1),
        "peak_rss_bytes": run.peak_rss_bytes,
        "peak_tree_rss_bytes": run.peak_tree_rss_bytes,
    }


def _checked(run: MeasuredRun) -> MeasuredRun:
    if run.returncode != 0:
        raise click.ClickException(
            f"`{' '.join(run.command)}` exited with {run.returncode}:\n{run.stderr[-2000:]}"
        )
    return run


def _tree_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _log(message: str) -> None:
    click.echo(f"[{time.strftime('%H:%M:%S')}] {message}", err=True)

