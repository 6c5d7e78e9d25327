"""`python -m bench.semantic_latency INDEX ARCHIVE`: search latency with query encoding.

The same distinct queries (bench/queries.py's mix: words, descriptions, pasted questions;
a third filtered by specialty) through three engines in one run: qasearch hybrid (each
query encoded: no query repeats, so the query-vector cache never answers), qasearch
lexical-only (`encoder=None`) and the SQLite FTS5 reference. Top 10 with facet counts and
snippets, timed around the whole call as bench/query_latency.py does. Also prints the
process's RSS after loading the model and the vectors and searching, and the split of
the hybrid time (query encoding, similarity scan) from one run of each part.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

from bench.fts5_reference import build_fts5
from bench.queries import build_query_mix, sample_threads
from bench.query_latency import Answer, fts5_runner, latency_summary, measure
from search.engine import SearchEngine
from search.request import SearchRequest
from search.semantic.vectors import QUERY_MAX_TOKENS


def engine_runner(engine: SearchEngine):
    def run(query) -> Answer:
        specialties = (query.specialty,) if query.specialty else ()
        start = time.perf_counter()
        response = engine.search(SearchRequest(query=query.text, specialties=specialties))
        return Answer(time.perf_counter() - start, response.total,
                      tuple(hit.id for hit in response.results))

    return run


def rare_term_dilution(engine: SearchEngine, lexical: SearchEngine, gen,
                       count: int = 100) -> dict[str, float]:
    """Queries of one rare word (in 2-20 threads: a drug, a name): are the threads that
    hold it still the first ones?"""
    reader = gen.searcher.reader()
    words = [word for word in (
        (raw.decode() if isinstance(raw, bytes) else raw, info.doc_frequency())
        for raw, info in reader.iter_field("symptoms")) if 2 <= word[1] <= 20 and word[0].isalpha()]
    words = [word for word, _ in words]
    words = words[:: max(1, len(words) // count)][:count]
    undiluted = extra = 0
    for word in words:
        found = lexical.search(SearchRequest(word, per_page=100)).results
        lexical_ids = {hit.id for hit in found}
        hybrid = [hit.id for hit in engine.search(SearchRequest(word, per_page=30)).results]
        k = min(10, len(lexical_ids))
        undiluted += set(hybrid[:k]) <= lexical_ids
        extra += len([i for i in hybrid if i not in lexical_ids])
    return {"queries": len(words), "undiluted": undiluted / max(len(words), 1),
            "extra": extra / max(len(words), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.semantic_latency")
    parser.add_argument("index_dir", type=Path, help="an index built with vectors")
    parser.add_argument("archive", type=Path, help="its archive (for FTS5 and the queries)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--fts5", type=Path, default=Path("bench/out/semantic/fts5.sqlite"))
    parser.add_argument("--rare-only", action="store_true", help="only the rare-term check")
    args = parser.parse_args(argv)
    threads = sample_threads(args.archive, 600, seed=7)
    warmup = build_query_mix(threads, 30, seed=8)
    queries = build_query_mix(threads, args.queries, seed=9, exclude=warmup)
    rows = []
    if args.rare_only:
        with SearchEngine(args.index_dir) as engine, \
                SearchEngine(args.index_dir, encoder=None) as lexical:
            print(rare_term_dilution(engine, lexical, engine._current))
        return 0
    with SearchEngine(args.index_dir) as engine:
        assert engine.semantic_active, "the index has no usable vectors"
        answers = measure(engine_runner(engine), queries, warmup)
        rows.append(("qasearch hybrid", answers))
        gen = engine._current  # the split of one query's semantic part
        encoder = engine.semantic.encoder()
        started = time.perf_counter()
        vectors = [encoder.encode([q.text], max_tokens=QUERY_MAX_TOKENS, threads=1)[0]
                   for q in queries[:100]]
        encode_ms = (time.perf_counter() - started) * 10
        started = time.perf_counter()
        for vector in vectors:
            gen.vectors.similarities(vector)
        scan_ms = (time.perf_counter() - started) * 10
        rows_count = len(gen.vectors.matrix)
        with SearchEngine(args.index_dir, encoder=None) as lexical:
            rare = rare_term_dilution(engine, lexical, gen)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with SearchEngine(args.index_dir, encoder=None) as engine:
        rows.append(("qasearch lexical", measure(engine_runner(engine), queries, warmup)))
    if not args.fts5.is_file():
        build_fts5(args.archive, args.fts5)
    run, close = fts5_runner(args.fts5)
    try:
        rows.append(("SQLite FTS5", measure(run, queries, warmup)))
    finally:
        close()
    print(f"{len(queries)} distinct queries, {rows_count} threads\n")
    print("| engine | p50 ms | p95 ms | p99 ms | mean ms | mean total |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, answers in rows:
        figures = latency_summary([a.seconds for a in answers])
        total = np.mean([a.total for a in answers])
        print(f"| {name} | {figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | "
              f"{figures['p99_ms']:.1f} | {figures['mean_ms']:.1f} | {total:.0f} |")
    print(f"\nhybrid parts, mean per query: encoding {encode_ms:.1f} ms, "
          f"similarity scan {scan_ms:.2f} ms; peak RSS after the hybrid run {rss_mb:.0f} MB")
    print(f"\nrare exact terms ({rare['queries']} words found in 2-20 threads, one per query): "
          f"hybrid top-k (k = the word's thread count, at most 10) holds only threads with the "
          f"word in {rare['undiluted']:.1%} of queries; {rare['extra']:.1f} threads without "
          f"it follow them on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
