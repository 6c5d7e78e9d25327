"""Suggestions as you type: latency of the lookup behind /api/suggest, beside SQLite FTS5.

    .venv/bin/python -m bench.suggest_latency --threads 100000 [--queries 3000] [--seed 1]

The phrases of a generated archive are counted exactly as `qasearch reindex` counts them
(indexer.build.phrases over every thread) and written to a phrases file, which is then
opened as a worker opens it (search.results.completions.Completions, the object behind
SearchEngine.suggest and /api/suggest). The typed text is a realistic mix: the first
2 to 12 characters of a phrase's word ("it", "itch", "itchy ra"), drawn from random
threads' titles, subject lines and topics, cut anywhere, some with a trailing space.

The reference is the same phrases in an SQLite FTS5 table (`unicode61`, prefix indexes
for 2 and 3 characters) asked `key MATCH '"words" *'` (a phrase whose last word is a
prefix) ORDER BY threads DESC LIMIT 8. Its semantics differ a little (FTS5 matches the
phrase anywhere, the project at word starts too) but both do the same job.
Prints p50/p95/p99 and a JSON line; a figure, never an assertion.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.query_latency import latency_summary
from indexer.build.phrases import counted_phrases
from indexer.sample.generator import generate_threads
from search.index.phrases import PhraseCounter, phrase_key
from search.results.completions import DEFAULT_SUGGESTIONS, Completions


def typed_mix(threads: list, count: int, seed: int) -> list[str]:
    rng = random.Random(f"suggest:{seed}")
    mix = []
    while len(mix) < count:
        thread = rng.choice(threads)
        source = rng.choice((thread.title, thread.subject or thread.title,
                             *(faq.topic for faq in thread.related_faq[:2])))
        words = phrase_key(source).split()
        if not words:
            continue
        start = rng.randrange(len(words))
        text = " ".join(words[start:])
        cut = min(len(text), rng.randint(2, 12))
        typed = text[:cut]
        if cut < len(text) and text[cut] == " " and rng.random() < 0.5:
            typed += " "
        mix.append(typed)
    return mix


def fts5_reference(completions: Completions, path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE phrases USING fts5(key, text UNINDEXED, threads UNINDEXED,"
               " tokenize='unicode61', prefix='2 3')")
    db.executemany("INSERT INTO phrases(key, text, threads) VALUES (?, ?, ?)",
                   zip(completions.keys, completions.texts, completions.counts.tolist(),
                       strict=True))
    db.execute("INSERT INTO phrases(phrases) VALUES ('optimize')")
    db.commit()
    return db


def fts5_suggest(db: sqlite3.Connection, typed: str) -> list[str]:
    words = phrase_key(typed)
    if not words:
        return []
    match = f'"{words}"' if typed.endswith(" ") else f'"{words}" *'
    rows = db.execute(
        "SELECT text FROM phrases WHERE phrases MATCH ? ORDER BY threads DESC LIMIT ?",
        (match, DEFAULT_SUGGESTIONS),
    ).fetchall()
    return [text for (text,) in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    threads = list(generate_threads(args.threads, seed=args.seed))
    generated_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        counter = PhraseCounter()
        started = time.perf_counter()
        for _ in counted_phrases(threads, counter):
            pass
        counter.write(folder)
        write_s = time.perf_counter() - started
        started = time.perf_counter()
        completions = Completions.load(folder)
        load_s = time.perf_counter() - started
        mix = typed_mix(threads, args.queries, args.seed)
        warmup, measured = mix[: len(mix) // 10], mix[len(mix) // 10:]
        for typed in warmup:
            completions.complete(typed)
        project = []
        found = 0
        for typed in measured:
            start = time.perf_counter()
            found += bool(completions.complete(typed))
            project.append(time.perf_counter() - start)
        db = fts5_reference(completions, folder / "fts5.sqlite")
        for typed in warmup:
            fts5_suggest(db, typed)
        reference = []
        for typed in measured:
            start = time.perf_counter()
            fts5_suggest(db, typed)
            reference.append(time.perf_counter() - start)
        db.close()
        size = (folder / "phrases.npz").stat().st_size
    figures = {
        "threads": args.threads,
        "phrases": len(completions),
        "phrases_file_bytes": size,
        "generate_s": round(generated_s, 1),
        "count_and_write_s": round(write_s, 2),
        "load_s": round(load_s, 3),
        "queries": len(measured),
        "with_suggestions": round(found / len(measured), 3),
        "project": latency_summary(project),
        "fts5": latency_summary(reference),
    }
    print(f"suggest at {args.threads:,} threads, {len(completions):,} phrases, "
          f"{len(measured)} typed prefixes ({figures['with_suggestions']:.0%} with suggestions)")
    for name in ("project", "fts5"):
        f = figures[name]
        print(f"  {name:8} p50 {f['p50_ms']:.3f} ms  p95 {f['p95_ms']:.3f} ms  "
              f"p99 {f['p99_ms']:.3f} ms  max {f['max_ms']:.3f} ms")
    print(f"  phrases file {size / 1e6:.1f} MB, counted and written in {write_s:.1f} s, "
          f"opened in {load_s * 1000:.0f} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
