"""`python -m bench.relevance`: score qasearch and the BM25 references on the shared
relevance set, print a table, write OUT/<label>.json; or compare two saved runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from bench.relevance.data import DEFAULT_DATA, REPO_ROOT, file_digest, load_set, missing_files
from bench.relevance.metrics import MEASURES, compare, evaluate, means
from bench.relevance.runs import (
    RunResult,
    ensure_index,
    index_key,
    run_bm25s,
    run_fts5,
    run_qasearch,
)

DEFAULT_OUT = REPO_ROOT / "bench" / "out" / "relevance"
# One worker: the only build whose doc numbers, hence the order of tied scores, are the
# same every time (two builds with 2 workers differed on 42 of 174 rankings). See
# ensure_index.
DEFAULT_PROCS = 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"the relevance set (default: {DEFAULT_DATA})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="index cache, FTS5 db and <label>.json (default: %(default)s)")
    parser.add_argument("--label", help="name of the JSON file (default: git short hash[-dirty])")
    parser.add_argument("--procs", type=int, default=DEFAULT_PROCS,
                        help="`qasearch reindex --procs` (default: %(default)s)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even a cached index")
    parser.add_argument("--no-bm25s", action="store_true", help="skip the bm25s reference")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="print qasearch's N lowest-nDCG queries with their top titles")
    parser.add_argument("--show-query", action="append", default=[], metavar="QID",
                        help="print one query's figures and top titles in every run")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"),
                        help="compare saved runs FILE[:RUN] (RUN defaults to qasearch)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        return print_comparison(*args.compare)
    missing = missing_files(args.data)
    if missing:
        in_ci = os.environ.get("CI") == "true"
        print(f"relevance set not found at {args.data} (missing {', '.join(missing)}); it is "
              f"only in the team checkout. {'CI must have it.' if in_ci else 'Skipped.'}",
              file=sys.stderr)  # fmt: skip
        return 1 if in_ci else 0
    started = time.time()
    relevance = load_set(args.data)
    queries = {qid: text for qid, text in relevance.queries.items() if qid in relevance.qrels}
    digest = file_digest(relevance.collection)
    key = index_key(digest, args.procs)
    _log(f"index {key}: qasearch reindex --procs {args.procs}, unless cached")
    index_dir, build_s = ensure_index(relevance.collection, args.out, key, args.procs, args.rebuild)
    _log(f"{len(queries)} questions: qasearch")
    results = [run_qasearch(index_dir, queries)]
    results[0].build_s = build_s
    if results[0].note.startswith("hybrid"):
        _log("qasearch without its vectors (lexical only), for comparison")
        results.append(run_qasearch(index_dir, queries, lexical=True, name="qasearch-lexical"))
    _log("SQLite FTS5 reference")
    results.append(run_fts5(relevance.collection, args.out / "fts5.sqlite", queries))
    if not args.no_bm25s:
        _log("bm25s reference")
        bm25 = run_bm25s(relevance.collection, queries)
        if bm25 is None:
            _log("bm25s not installed (pip install '.[bench]'): skipped")
        else:
            results.append(bm25)
    scored = {r.name: evaluate(relevance.qrels, r.rankings) for r in results}
    print(render_table(results, scored))
    for result in results:
        for qid, why in result.errors.items():
            print(f"{result.name}: {qid} ran empty: {why}")
    for qid in args.show_query:
        print_query(qid, results, scored)
    if args.worst:
        own = scored["qasearch"]
        worst = sorted(own, key=lambda qid: (own[qid]["nDCG@10"], qid))
        for qid in worst[: args.worst]:
            print_query(qid, results[:1], scored)
    label = args.label or git_label()
    figures = {
        "label": label, "commit": git_label(), "date": time.strftime("%Y-%m-%d"),
        "machine": machine_info(),
        "command": " ".join(["python -m bench.relevance", *sys.argv[1:]]),
        "data": {"dir": str(args.data), "collection_sha256": digest, "queries": len(queries)},
        "index": {"key": key, "procs": args.procs,
                  "build_s": None if build_s is None else round(build_s, 2)},
        "runs": {r.name: run_figures(r, scored[r.name]) for r in results},
        "elapsed_s": round(time.time() - started, 1),
    }  # fmt: skip
    out = args.out / f"{label}.json"
    out.write_text(json.dumps(figures, indent=1) + "\n")
    print(f"\n{figures['elapsed_s']} s; per-query figures written to {out}")
    return 0


def latency(result: RunResult) -> dict[str, float | None]:
    if not result.latencies_ms:
        return {"p50": None, "p95": None}
    p50, p95 = np.percentile(result.latencies_ms, [50, 95])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2)}


def run_figures(result: RunResult, per_query: dict[str, dict[str, float]]) -> dict[str, Any]:
    return {
        "note": result.note,
        "build_s": None if result.build_s is None else round(result.build_s, 2),
        "means": {name: round(value, 4) for name, value in means(per_query).items()},
        "latency_ms": latency(result),
        "errors": result.errors,
        "per_query": per_query,
        "rankings": result.rankings,  # doc ids only: no text of the set leaves it
    }


def render_table(results: list[RunResult], scored: dict[str, dict[str, dict[str, float]]]) -> str:
    header = ["run", *MEASURES, "queries", "p50 ms", "p95 ms", "build s"]
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    for result in results:
        figures = means(scored[result.name])
        times = latency(result)
        build = "cached" if result.build_s is None else f"{result.build_s:.1f}"
        cells = [result.name, *(f"{figures[name]:.3f}" for name in MEASURES),
                 f"{len(scored[result.name])}" + (f" ({len(result.errors)} empty)"
                                                   if result.errors else ""),
                 f"{times['p50']}", f"{times['p95']}", build]  # fmt: skip
        lines.append(" | ".join(cells))
    return "\n".join(f"| {line} |" for line in lines)


def print_query(qid: str, results: list[RunResult], scored: dict[str, Any]) -> None:
    for result in results:
        if result.name not in scored or qid not in scored[result.name]:
            continue
        values = ", ".join(f"{k} {v:.3f}" for k, v in scored[result.name][qid].items())
        print(f"\n{qid} {result.name}: {values}")
        for rank, title in enumerate(result.titles.get(qid, []), 1):
            print(f"  {rank}. {title}")


def print_comparison(spec_a: str, spec_b: str) -> int:
    """Query-by-query comparison of two saved runs, B against A, on every measure."""
    a, b = _load_run(spec_a), _load_run(spec_b)
    print(f"A = {spec_a}, B = {spec_b}")
    print("| measure | A | B | B - A | paired t p | Wilcoxon p | improved | hurt | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in MEASURES:
        c = compare(a, b, name)
        print(f"| {name} | {c.mean_a:.3f} | {c.mean_b:.3f} | {c.difference:+.3f} | "
              f"{c.t_test_p:.3g} | {c.wilcoxon_p:.3g} | {c.improved} | {c.hurt} | "
              f"{c.queries} |")  # fmt: skip
    return 0


def _load_run(spec: str) -> dict[str, dict[str, float]]:
    path, _, run = spec.rpartition(":") if not Path(spec).is_file() else (spec, "", "")
    runs = json.loads(Path(path).read_text())["runs"]
    if (run or "qasearch") not in runs:
        raise SystemExit(f"{path} has no run {run!r}: it has {', '.join(runs)}")
    return runs[run or "qasearch"]["per_query"]


def git_label() -> str:
    def git(*command: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO_ROOT), *command], capture_output=True,
                              text=True)  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # Like `git describe --dirty`: changes to tracked files count, untracked files do not.
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def machine_info() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": version("whoosh"),
        "ir_measures": version("ir-measures"),
    }


def _log(message: str) -> None:
    print(f"[relevance] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
