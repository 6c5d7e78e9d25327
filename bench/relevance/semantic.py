"""`python -m bench.relevance.semantic INDEX_DIR`: how to fuse and what to embed, measured.

Works on an index built by `python -m bench.relevance` (with vectors) so that the choices
in search/semantic/ (HybridSettings, the embedded text) are made on the shared set:

- the lexical ranking (the engine with `encoder=None`) and each query's cosines with
  every thread are computed once; every fusion setting is then scored offline, exactly
  as search/semantic/hybrid.py orders a page (nearest + fused_order);
- `--texts` re-encodes the collection for other texts to embed (title + question;
  title + question + answer at 64 tokens...) and scores each alone and fused.
Prints tables; nothing is written but the cache of re-encoded vectors under --out.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
from whoosh.index import open_dir

from bench.relevance.data import DEFAULT_DATA, REPO_ROOT, load_set
from bench.relevance.metrics import DEPTH, evaluate, means
from search.engine import SearchEngine
from search.index.generations import current_generation
from search.request import MAX_QUERY_CHARS, SearchRequest
from search.semantic.encoder import SentenceEncoder
from search.semantic.hybrid import HybridSettings, QueryVectorCache, fused_order, nearest
from search.semantic.vectors import QUERY_MAX_TOKENS, REPLY_CHARS, VectorIndex, quantized

LEXICAL_TOP = 100
# Other texts to embed: name -> (stored fields -> text, max_tokens).
TEXTS = {
    "title+question@128": (
        lambda f: "\n".join(filter(None, (f.get("title"), f.get("symptoms")))), 128),
    "title+question+answer@64": (
        lambda f: "\n".join(filter(None, (f.get("title"), f.get("symptoms"),
                                          (f.get("replies") or "")[:REPLY_CHARS]))), 64),
    "title+answer@128": (
        lambda f: "\n".join(filter(None, (f.get("title"),
                                          (f.get("replies") or "")[:REPLY_CHARS]))), 128),
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance.semantic")
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out" / "semantic")
    parser.add_argument("--texts", nargs="*", default=[], choices=sorted(TEXTS))
    parser.add_argument("--query-tokens", type=int, nargs="*", default=[],
                        help="also score the chosen fusion with queries cut at these "
                             "token counts (the stored vectors unchanged)")
    args = parser.parse_args(argv)
    relevance = load_set(args.data)
    queries = {qid: text for qid, text in relevance.queries.items() if qid in relevance.qrels}
    generation = current_generation(args.index_dir)
    ix = open_dir(generation)
    with ix.reader() as reader:
        ids = [""] * reader.doc_count_all()
        stored = {}
        for docnum, fields in reader.iter_docs():
            ids[docnum] = fields["id"]
            stored[docnum] = fields
        live = np.zeros(len(ids), dtype=bool)
        live[list(stored)] = True
        version = ix.latest_generation()
    by_id = {doc_id: n for n, doc_id in enumerate(ids) if doc_id}
    lexical = {}
    with SearchEngine(args.index_dir, encoder=None) as engine:
        for qid, text in queries.items():
            hits = engine.search(SearchRequest(query=text[:MAX_QUERY_CHARS], per_page=LEXICAL_TOP))
            lexical[qid] = np.array([by_id[h.id] for h in hits.results], dtype=np.int64)
    encoder = SentenceEncoder.load()
    qvecs = encoder.encode([QueryVectorCache.normalise(queries[q]) for q in queries],
                           max_tokens=QUERY_MAX_TOKENS)
    vectors, why = VectorIndex.open(generation, version, len(ids), encoder.model_version)
    if vectors is None:
        raise SystemExit(why)
    sims = {qid: vectors.similarities(qvecs[i]) for i, qid in enumerate(queries)}

    def score(rankings: dict[str, list[str]]) -> dict[str, float]:
        return means(evaluate(relevance.qrels, rankings))

    def show(name: str, figures: dict[str, float]) -> None:
        print(f"| {name} | " + " | ".join(f"{figures[m]:.3f}" for m in
                                         ("nDCG@10", "P@5", "MRR@10", "R@10", "judged@10")) + " |")

    print("| run | nDCG@10 | P@5 | MRR@10 | R@10 | judged@10 |\n|---|---:|---:|---:|---:|---:|")
    show("lexical", score({q: [ids[d] for d in lexical[q][:DEPTH]] for q in queries}))
    show("semantic alone (recipe in vectors.py)",
         score({q: [ids[d] for d in nearest(sims[q], live, DEPTH, -1).docnums] for q in queries}))
    grid = itertools.product((50, 100, 200), (0.0, 0.2, 0.3, 0.4), (10, 20, 100), (10, 30, 60),
                             (1.0, 1.5))
    results = []
    for depth, floor, lex_depth, k, weight in grid:
        settings = HybridSettings(depth, floor, lex_depth, k, weight)
        rankings = {}
        for q in queries:
            near = nearest(sims[q], live, depth, floor)
            docnums, _ = fused_order(lexical[q], near.docnums, settings)
            rankings[q] = [ids[d] for d in docnums[:DEPTH]]
        results.append((score(rankings), settings))
    results.sort(key=lambda r: -r[0]["nDCG@10"])
    for figures, settings in results[:12]:
        show(f"hybrid {settings}", figures)
    default = HybridSettings()
    for figures, settings in results:
        if settings == default:
            show(f"hybrid DEFAULT {settings}", figures)

    def fused_with_default(similarities: dict[str, np.ndarray]) -> dict[str, list[str]]:
        """Each query's top ids as hybrid.py orders them with the default settings."""
        rankings = {}
        for q in queries:
            near = nearest(similarities[q], live, default.semantic_depth, default.floor)
            docnums, _ = fused_order(lexical[q], near.docnums, default)
            rankings[q] = [ids[d] for d in docnums[:DEPTH]]
        return rankings

    for query_tokens in args.query_tokens:
        cut = encoder.encode([QueryVectorCache.normalise(queries[q]) for q in queries],
                             max_tokens=query_tokens)
        cut_sims = {qid: vectors.similarities(cut[i]) for i, qid in enumerate(queries)}
        show(f"hybrid DEFAULT, queries cut at {query_tokens} tokens",
             score(fused_with_default(cut_sims)))
    for name in args.texts:
        make, max_tokens = TEXTS[name]
        cache = args.out / f"{name}.npy"
        if cache.is_file():
            matrix = np.load(cache)
        else:
            started = time.perf_counter()
            order = sorted(stored)
            matrix = np.zeros((len(ids), encoder.dim), dtype=np.float32)
            matrix[order] = encoder.encode([make(stored[d]) for d in order], max_tokens=max_tokens)
            print(f"[{name}: encoded {len(order)} in {time.perf_counter() - started:.0f} s]",
                  file=sys.stderr)
            args.out.mkdir(parents=True, exist_ok=True)
            np.save(cache, matrix)
        rows, scales = quantized(matrix)
        alt = VectorIndex(rows, scales, vectors.meta)
        alt_sims = {qid: alt.similarities(qvecs[i]) for i, qid in enumerate(queries)}
        show(f"{name} alone", score(
            {q: [ids[d] for d in nearest(alt_sims[q], live, DEPTH, -1).docnums] for q in queries}))
        show(f"{name} hybrid DEFAULT", score(fused_with_default(alt_sims)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
