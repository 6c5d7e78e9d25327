"""Turn one thread count's figures into the printed table, target checks and Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    name: str
    limit: str  # as written in issue 5
    value: Callable[[dict[str, Any]], float | None]
    holds: Callable[[float], bool]


def _get(figures: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


TARGETS = (
    Target("full reindex threads/s", ">= 1000",
           lambda f: _get(f, "build", "project", "threads_per_s"), lambda v: v >= 1000),
    Target("search p50 ms", "<= 15",
           lambda f: _get(f, "query", "project", "p50_ms"), lambda v: v <= 15),
    Target("search p95 ms", "<= 50",
           lambda f: _get(f, "query", "project", "p95_ms"), lambda v: v <= 50),
    Target("search p95 / FTS5 p95", "<= 2.5",
           lambda f: _ratio(_get(f, "query", "project", "p95_ms"),
                            _get(f, "query", "fts5", "p95_ms")), lambda v: v <= 2.5),
    Target("web distinct req/s", ">= 150",
           lambda f: _get(f, "web", "distinct", "requests_per_s"), lambda v: v >= 150),
    Target("web distinct p99 ms", "< 250",
           lambda f: _get(f, "web", "distinct", "p99_ms"), lambda v: v < 250),
    Target("web errors (both runs)", "= 0",
           lambda f: None if _get(f, "web", "distinct") is None else
           _get(f, "web", "distinct", "errors") + _get(f, "web", "zipf", "errors"),
           lambda v: v == 0),
    Target("max worker RSS MB", "< 300",
           lambda f: _get(f, "web", "memory", "max_worker_rss_mb"), lambda v: v < 300),
    Target("index size / FTS5 db", "<= 1.5",
           lambda f: _get(f, "build", "size_ratio_generation_to_fts5"), lambda v: v <= 1.5),
)  # fmt: skip


def check_targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its measured value and whether it holds (None: not measured)."""
    checks = []
    for target in TARGETS:
        value = target.value(figures)
        checks.append({
            "name": target.name,
            "target": target.limit,
            "value": value,
            "ok": None if value is None else bool(target.holds(value)),
        })  # fmt: skip
    return checks


def comparison_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(figure, qasearch, FTS5) rows, every project figure beside the reference's."""
    build, query, web = figures.get("build", {}), figures.get("query", {}), figures.get("web")
    p, r = build.get("project", {}), build.get("fts5", {})
    rows = [
        ("build wall s (whole process)", _num(p.get("wall_s")), _num(r.get("wall_s"))),
        ("  of which parsing s", "-", _num(r.get("parse_s"))),
        ("  FTS5 insert+commit / optimize s", "-",
         f"{_num(r.get('insert_s'))} / {_num(r.get('optimize_s'))}"),
        ("build threads/s", _num(p.get("threads_per_s"), 0), _num(r.get("threads_per_s"), 0)),
        ("FTS5 threads/s excluding parse", "-", _num(r.get("threads_per_s_excluding_parse"), 0)),
        ("peak RSS MB (largest process)", _mb(p.get("peak_rss_bytes")),
         _mb(r.get("peak_rss_bytes"))),
        ("peak RSS MB (process tree sum)", _mb(p.get("peak_tree_rss_bytes")),
         _mb(r.get("peak_tree_rss_bytes"))),
        ("index size MB (whole generation / db)", _mb(p.get("generation_bytes")),
         _mb(r.get("db_bytes"))),
        ("  Whoosh files / posting arrays / thread store MB",
         f"{_mb(p.get('whoosh_bytes'))} / {_mb(p.get('posting_arrays_bytes'))} / "
         f"{_mb(p.get('thread_store_bytes'))}", "-"),
    ]  # fmt: skip
    if "project_semantic" in query:
        rows.append(("qasearch search", "hybrid (vectors)" if query["project_semantic"]
                     else "lexical (no vectors)", "-"))
    for engine_key in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms"):
        rows.append((f"query {engine_key.replace('_ms', '')} ms",
                     _num(_get(query, "project", engine_key), 2),
                     _num(_get(query, "fts5", engine_key), 2)))  # fmt: skip
    lexical = query.get("project_lexical")
    if lexical:  # the project searched hybrid: the same queries without its vectors
        rows.append(("  lexical only (no vectors) p50 / p95 / p99 ms",
                     " / ".join(_num(lexical.get(key), 2)
                                for key in ("p50_ms", "p95_ms", "p99_ms")), "-"))
    rows.append(("query CPU p50 / p95 ms (thread time)",
                 _pair(_get(query, "project", "cpu")), _pair(_get(query, "fts5", "cpu"))))
    for kind in ("words", "description", "question"):
        rows.append((f"  {kind} p50 / p95 ms",
                     _pair(_get(query, "project", "by_kind", kind)),
                     _pair(_get(query, "fts5", "by_kind", kind))))  # fmt: skip
    rows.append(("query mean total hits", _num(_get(query, "project", "mean_total_hits"), 0),
                 _num(_get(query, "fts5", "mean_total_hits"), 0)))  # fmt: skip
    rows.append(("top-10 overlap with FTS5", _num(query.get("top10_overlap"), 2), "-"))
    if web:
        for run in ("distinct", "zipf"):
            w = web[run]
            rows.append((f"web {run} req/s", _num(w["requests_per_s"], 1), "-"))
            rows.append((f"web {run} p50 / p99 ms", f"{w['p50_ms']:.1f} / {w['p99_ms']:.1f}", "-"))
            rows.append((f"web {run} errors (non-2xx + socket)", str(w["errors"]), "-"))
        memory = web["memory"]
        rows.append(("web worker RSS MB", ", ".join(map(str, memory["workers_rss_mb"])), "-"))
        if memory.get("workers_pss_mb"):
            rows.append(("web worker PSS MB", ", ".join(map(str, memory["workers_pss_mb"])), "-"))
            rows.append(("  of which anonymous / file-backed MB", ", ".join(
                f"{a} / {f}" for a, f in zip(memory["workers_pss_anon_mb"],
                                             memory["workers_pss_file_mb"], strict=True)),
                "-"))  # fmt: skip
    return rows


def generator_line(figures: dict[str, Any]) -> str:
    """Which archive the figures are about: the sample generator's digest and seed."""
    archive = figures.get("archive", {})
    digest = archive.get("generator_digest")
    if digest is None:
        return f"archive {archive.get('path')} (given; generator unknown)"
    return f"sample archive: generator {digest}, seed {archive.get('seed')}"


def render_table(figures: dict[str, Any]) -> str:
    """The plain-text table printed after each thread count."""
    rows = [("figure", "qasearch", "SQLite FTS5"), *comparison_rows(figures)]
    lines = [f"== {figures['threads']:,} threads ({generator_line(figures)}) ==", _columns(rows),
             "", "targets:"]  # fmt: skip
    checks = [("target", "limit", "value", "ok")]
    for check in figures.get("targets", []):
        ok = {True: "yes", False: "NO", None: "n/a"}[check["ok"]]
        checks.append((check["name"], check["target"], _num(check["value"], 2), ok))
    lines.append(_columns(checks))
    return "\n".join(lines)


def render_markdown(figures: dict[str, Any]) -> str:
    """The same figures as Markdown tables, for bench/RESULTS.md."""
    machine = figures.get("machine", {})
    out = [
        f"### {figures['threads']:,} threads",
        "",
        f"Run {figures.get('started_at')} on {machine.get('nproc')} CPUs "
        f"({machine.get('cpu')}), {machine.get('ram_gb')} GB RAM, Python "
        f"{machine.get('python')}, SQLite {machine.get('sqlite')}, load average at start "
        f"{figures.get('load_average_at_start')}; `{figures.get('command')}`; "
        f"{generator_line(figures)}.",
        "",
        "| figure | qasearch | SQLite FTS5 |",
        "|---|---:|---:|",
    ]
    out += [f"| {a.strip()} | {b} | {c} |" for a, b, c in comparison_rows(figures)]
    out += ["", "| target | limit | measured | met |", "|---|---|---:|---|"]
    for check in figures.get("targets", []):
        ok = {True: "yes", False: "**no**", None: "n/a"}[check["ok"]]
        out.append(f"| {check['name']} | {check['target']} | {_num(check['value'], 2)} | {ok} |")
    return "\n".join(out)


def _columns(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    )  # fmt: skip


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) or digits else f"{value:,}"


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / MB:,.1f}"


def _pair(summary: dict[str, float] | None) -> str:
    if not summary:
        return "-"
    return f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f}"


def render_growth(all_figures: list[dict[str, Any]]) -> str:
    """One Markdown row per archive size: how the main costs grow."""
    out = [
        "| threads | reindex s | reindex threads/s | FTS5 build s | generation MB | FTS5 db MB "
        "| query p50 / p95 ms | FTS5 p50 / p95 ms | web distinct req/s | web p99 ms "
        "| worker RSS / PSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in all_figures:
        p, r = f["build"]["project"], f["build"]["fts5"]
        web = f.get("web")
        out.append(
            f"| {f['threads']:,} | {p['wall_s']:.1f} | {p['threads_per_s']:,.0f} "
            f"| {r['wall_s']:.1f} | {_mb(p['generation_bytes'])} | {_mb(r['db_bytes'])} "
            f"| {_pair(f['query']['project'])} | {_pair(f['query']['fts5'])} "
            f"| {_num(_get(f, 'web', 'distinct', 'requests_per_s'), 1)} "
            f"| {_num(_get(f, 'web', 'distinct', 'p99_ms'), 1)} "
            f"| {_worker_memory(f) if web else '-'} |"
        )
    digests = sorted({_get(f, "archive", "generator_digest") or "unknown" for f in all_figures})
    out.append("")
    out.append(f"Sample generator: {', '.join(digests)} (bench/archive.py generator_digest).")
    return "\n".join(out)


def _worker_memory(figures: dict[str, Any]) -> str:
    rss = _num(_get(figures, "web", "memory", "max_worker_rss_mb"), 1)
    pss = _get(figures, "web", "memory", "max_worker_pss_mb")
    return rss if pss is None else f"{rss} / {_num(pss, 1)}"
