"""Query latency: the project's SearchEngine and the FTS5 reference over the same queries.

Each engine is opened once and warmed with a separate warm-up set (queries not in the
measured set, so no result cache can answer a measured query from the warm-up), then
every measured query runs once, timed with perf_counter around the whole call: top 10,
facet counts for specialty and doctor over all matches, and snippets. The CPU time of
the calling thread (thread_time) is recorded too: on a machine shared with other jobs it
moves much less than the wall time does.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fts5_reference import Fts5Engine
from bench.queries import KINDS, BenchQuery
from search.engine import SearchEngine
from search.request import SearchRequest


@dataclass(frozen=True)
class Answer:
    """What one engine returned for one query, reduced to what the benchmark compares."""

    seconds: float
    total: int
    ids: tuple[str, ...]
    cpu_seconds: float = 0.0


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds (inclusive quantiles, interpolated)."""
    if not seconds:
        return {}
    ms = sorted(value * 1000 for value in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(ms[-1], 3),
    }


def project_runner(
    index_dir: Path, *, lexical_only: bool = False
) -> tuple[Callable[[BenchQuery], Answer], Callable[[], None], bool]:
    """A function answering one query with the project's Python API, its closer, and
    whether its searches are hybrid (the index has vectors and the model loads)."""
    engine = SearchEngine(index_dir, encoder=None) if lexical_only else SearchEngine(index_dir)

    def run(query: BenchQuery) -> Answer:
        specialties = (query.specialty,) if query.specialty else ()
        start, cpu = time.perf_counter(), time.thread_time()
        response = engine.search(
            SearchRequest(query=query.text, specialties=specialties, per_page=10)
        )
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu
        return Answer(elapsed, response.total, tuple(hit.id for hit in response.results), cpu)

    return run, getattr(engine, "close", lambda: None), engine.semantic_active


def fts5_runner(db_path: Path) -> tuple[Callable[[BenchQuery], Answer], Callable[[], None]]:
    engine = Fts5Engine(db_path)

    def run(query: BenchQuery) -> Answer:
        specialties = (query.specialty,) if query.specialty else ()
        start, cpu = time.perf_counter(), time.thread_time()
        response = engine.search(query.text, specialties, per_page=10)
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu
        return Answer(elapsed, response.total, tuple(hit.id for hit in response.results), cpu)

    return run, engine.close


def measure(
    run: Callable[[BenchQuery], Answer],
    queries: Sequence[BenchQuery],
    warmup: Sequence[BenchQuery],
) -> list[Answer]:
    for query in warmup:
        run(query)
    return [run(query) for query in queries]


def engine_figures(queries: Sequence[BenchQuery], answers: Sequence[Answer]) -> dict[str, Any]:
    """Latency overall and per kind, plus how many hits the engine found."""
    figures: dict[str, Any] = latency_summary([answer.seconds for answer in answers])
    figures["by_kind"] = {
        kind: latency_summary(
            [a.seconds for q, a in zip(queries, answers, strict=True) if q.kind == kind]
        )
        for kind in KINDS
    }
    figures["filtered"] = latency_summary(
        [a.seconds for q, a in zip(queries, answers, strict=True) if q.specialty]
    )
    figures["cpu"] = latency_summary([answer.cpu_seconds for answer in answers])
    figures["mean_total_hits"] = round(statistics.fmean(a.total for a in answers), 1)
    figures["zero_hit_queries"] = sum(1 for answer in answers if answer.total == 0)
    return figures


def top10_overlap(first: Sequence[Answer], second: Sequence[Answer]) -> float:
    """Mean share of the project's top-10 ids that FTS5's top 10 also has: a sanity check
    that both engines answer the same question, not a quality score."""
    shares = [
        len(set(a.ids) & set(b.ids)) / len(a.ids)
        for a, b in zip(first, second, strict=True)
        if a.ids
    ]
    return round(statistics.fmean(shares), 3) if shares else 0.0


def compare_engines(
    index_dir: Path,
    fts5_db: Path,
    queries: Sequence[BenchQuery],
    warmup: Sequence[BenchQuery],
) -> dict[str, Any]:
    """The query section of the results: both engines over the same measured queries,
    and with vectors, the project once more without them (`project_lexical`)."""
    run, close, hybrid = project_runner(index_dir)
    try:
        project = measure(run, queries, warmup)
    finally:
        close()
    lexical = None
    if hybrid:
        run, close, _ = project_runner(index_dir, lexical_only=True)
        try:
            lexical = measure(run, queries, warmup)
        finally:
            close()
    run, close = fts5_runner(fts5_db)
    try:
        reference = measure(run, queries, warmup)
    finally:
        close()
    return {
        "count": len(queries),
        "warmup_count": len(warmup),
        "filtered_count": sum(1 for query in queries if query.specialty),
        "kinds": {kind: sum(1 for q in queries if q.kind == kind) for kind in KINDS},
        "project": engine_figures(queries, project),
        "project_semantic": hybrid,
        **({"project_lexical": engine_figures(queries, lexical)} if lexical else {}),
        "fts5": engine_figures(queries, reference),
        "top10_overlap": top10_overlap(project, reference),
    }
