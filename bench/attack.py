"""`python -m bench.attack`: how long each hostile query form of issue 10 takes.

    python -m bench.attack --threads 20000              # sample archive + index, cached in OUT
    python -m bench.attack --index DIR [--archive DIR]  # an existing index (and its archive)
    python -m bench.attack --threads 20000 --attack-seconds 20   # plus the server run

Engine run: each form (bench/attack_forms.py) is searched `--rounds` times through the
Python API on one opened engine, with fresh words every round so no phrase or result
cache answers it; seconds per search (median and max), how many threads it found and
whether the answer said `partial`. Beside it, the same forms in SQLite FTS5's own syntax
against the reference db of the same archive (bench/fts5_reference.py), when the archive
is known.

Server run (`--attack-seconds S`, see bench/attack_load.py): `qasearch serve --workers 2`
on loopback; normal two-word queries timed alone for a few seconds, then again while two
connections send hostile forms (fresh words each time) for S seconds.

Figures only, never assertions; written to OUT/attack-<threads>.json as well.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import click

from bench.archive import ensure_archive, qasearch_executable
from bench.attack_forms import FORMS, Vocabulary, fts5_expression
from bench.fts5_reference import Fts5Engine, build_fts5
from search.engine import SearchEngine
from search.index.generations import current_generation
from search.request import SearchRequest


def engine_figures(index_dir: Path, rounds: int, seed: int) -> dict[str, Any]:
    """Each form `rounds` times through SearchEngine.search, fresh words every round."""
    figures: dict[str, Any] = {}
    with SearchEngine(index_dir) as engine:
        vocab = Vocabulary.from_reader(engine._current.searcher.reader())
        engine.search(SearchRequest("pain fever"))  # open lazily loaded parts once
        for name, form in FORMS.items():
            rng = random.Random(f"{seed}-{name}")
            seconds, totals, partial = [], [], 0
            for _ in range(rounds):
                text = form(vocab, rng)
                started = time.perf_counter()
                response = engine.search(SearchRequest(text))
                seconds.append(time.perf_counter() - started)
                totals.append(response.total)
                partial += bool(getattr(response, "partial", False))
            figures[name] = {
                "example": text,
                "median_s": round(statistics.median(seconds), 4),
                "max_s": round(max(seconds), 4),
                "median_total": int(statistics.median(totals)),
                "partial": f"{partial}/{rounds}",
            }
    return figures


def fts5_figures(db_path: Path, index_dir: Path, rounds: int, seed: int) -> dict[str, Any]:
    """The same forms (same words: same seeds) as FTS5 MATCH expressions."""
    with SearchEngine(index_dir) as engine:
        vocab = Vocabulary.from_reader(engine._current.searcher.reader())
    reference = Fts5Engine(db_path)
    figures: dict[str, Any] = {}
    try:
        for name, form in FORMS.items():
            rng = random.Random(f"{seed}-{name}")
            seconds, totals = [], []
            for _ in range(rounds):
                expression = fts5_expression(form(vocab, rng))
                started = time.perf_counter()
                response = reference.search_expression(expression) if expression else None
                seconds.append(time.perf_counter() - started)
                totals.append(response.total if response else 0)
            figures[name] = {
                "median_s": round(statistics.median(seconds), 4),
                "max_s": round(max(seconds), 4),
                "median_total": int(statistics.median(totals)),
            }
    finally:
        reference.close()
    return figures


def render(figures: dict[str, Any]) -> str:
    engine, fts5 = figures["engine"], figures.get("fts5") or {}
    lines = [
        f"hostile forms, {figures['threads']} threads, {figures['rounds']} rounds each "
        "(fresh words every round)",
        f"{'form':<26} {'median s':>9} {'max s':>8} {'found':>7} {'partial':>8}"
        f" {'FTS5 median s':>14} {'FTS5 max s':>11}",
    ]
    for name, row in engine.items():
        ref = fts5.get(name, {})
        lines.append(
            f"{name:<26} {row['median_s']:>9.3f} {row['max_s']:>8.3f} {row['median_total']:>7}"
            f" {row['partial']:>8} {ref.get('median_s', float('nan')):>14.3f}"
            f" {ref.get('max_s', float('nan')):>11.3f}"
        )
    load = figures.get("server")
    if load:
        lines.append("")
        lines.append(
            f"server (`qasearch serve --workers {load['workers']}`): normal two-word queries"
        )
        for phase in ("alone", "under_attack"):
            row = load[phase]
            lines.append(
                f"  {phase:<13} {row['requests']:>5} requests  p50 {row['p50_ms']:>7.1f} ms"
                f"  p99 {row['p99_ms']:>7.1f} ms  max {row['max_ms']:>7.1f} ms"
                f"  non-200 {row['not_200']}"
            )
        attacks = load["attacks"]
        lines.append(
            f"  attacks: {attacks['requests']} in {load['attack_seconds']} s from 2 connections,"
            f" p50 {attacks['p50_ms']:.1f} ms, max {attacks['max_ms']:.1f} ms, "
            f"{attacks['partial']} partial, statuses {attacks['statuses']}"
        )
    return "\n".join(lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--threads", default=20_000, show_default=True, type=click.IntRange(min=10),
              help="Sample archive size (ignored with --index, but names the output).")
@click.option("--seed", default=1, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("bench/out"), show_default=True)
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="An existing index: nothing is built.")
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The archive (for the FTS5 reference; with --threads, used as the sample).")
@click.option("--rounds", default=5, show_default=True, type=click.IntRange(min=1))
@click.option("--fts5/--no-fts5", default=True, show_default=True,
              help="Time the FTS5 reference too (needs the archive).")
@click.option("--attack-seconds", default=0, show_default=True, type=click.IntRange(min=0),
              help="Also run the server with two attacking connections for this long.")
def main(threads: int, seed: int, out_dir: Path, index_dir: Path | None,
         archive: Path | None, rounds: int, fts5: bool, attack_seconds: int) -> None:
    """Time the hostile query forms through the engine (and FTS5, and a running server)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if index_dir is None:
        archive = Path(ensure_archive(threads, seed, out_dir / "archives", archive).path)
        index_dir = out_dir / f"attack-index-{threads}"
        if _index_threads(index_dir) != threads:
            click.echo(f"building {index_dir} from {archive}", err=True)
            command = [qasearch_executable(), "reindex", str(archive), "--index", str(index_dir)]
            subprocess.run(command, check=True, capture_output=True, timeout=3600)
    figures: dict[str, Any] = {"threads": _index_threads(index_dir), "rounds": rounds,
                               "index": str(index_dir), "load_average": os.getloadavg()}
    figures["engine"] = engine_figures(index_dir, rounds, seed)
    if fts5 and archive is not None:
        db_path = out_dir / f"attack-fts5-{figures['threads']}.sqlite"
        if not db_path.is_file():
            click.echo(f"building the FTS5 reference {db_path}", err=True)
            build_fts5(archive, db_path)
        figures["fts5"] = fts5_figures(db_path, index_dir, rounds, seed)
    if attack_seconds:
        from bench.attack_load import server_figures

        figures["server"] = server_figures(index_dir, attack_seconds, seed, out_dir / "attack-run")
    (out_dir / f"attack-{figures['threads']}.json").write_text(json.dumps(figures, indent=1))
    click.echo(render(figures))


def _index_threads(index_dir: Path) -> int | None:
    try:
        generation = current_generation(index_dir)
    except Exception:  # noqa: BLE001 - no usable index yet: build one
        return None
    return json.loads((generation / "meta.json").read_text()).get("threads")


if __name__ == "__main__":
    main(prog_name="python -m bench.attack")
