"""`python -m bench.similar_questions`: are the thread page's similar questions about the
same condition? Vectors (the thread's own vector's nearest neighbours) against the key-term
method (the engine without an encoder), on a generated sample archive, whose generator
knows each thread's condition (indexer/sample/threads.py: `thread_head(seed, i).condition`).

Prints, for each method, the share of the top-5 similar threads that have the thread's
condition (over every thread, or --sample of them), and the share with its specialty.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench.relevance.data import REPO_ROOT
from indexer.build.reindex import build_index
from indexer.build.vector_build import VectorOptions
from indexer.sample.generator import generate_threads
from indexer.sample.threads import thread_head
from search.engine import SearchEngine
from search.semantic import SentenceEncoder

LIMIT = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.similar_questions")
    parser.add_argument("--threads", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=500, help="threads asked (0: all)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out" / "similar")
    args = parser.parse_args(argv)
    threads = list(generate_threads(args.threads, seed=args.seed))
    condition = {t.id: thread_head(args.seed, i).condition for i, t in enumerate(threads)}
    specialty = {t.id: t.specialty for t in threads}
    index_dir = args.out / f"index-{args.threads}-{args.seed}"
    if not (index_dir / "CURRENT").is_file():
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        build_index(threads, index_dir, procs=2, vectors=VectorOptions(SentenceEncoder.load()))
        print(f"[built {len(threads)} threads with vectors in "
              f"{time.perf_counter() - started:.0f} s]", file=sys.stderr)
    step = max(1, len(threads) // args.sample) if args.sample else 1
    asked = [t.id for t in threads[::step]]
    print(f"{len(asked)} threads of a {len(threads)}-thread sample archive (seed {args.seed}), "
          f"top {LIMIT} similar each\n")
    print("| method | same condition | same specialty | ms per thread |\n|---|---:|---:|---:|")
    for name, encoder in (("key terms (main)", None), ("vectors", "auto")):
        with SearchEngine(index_dir, encoder=encoder) as engine:
            assert engine.semantic_active == (encoder is not None)
            same = same_specialty = shown = 0
            started = time.perf_counter()
            for thread_id in asked:
                for hit in engine.similar(thread_id, limit=LIMIT):
                    shown += 1
                    same += condition[hit.id] == condition[thread_id]
                    same_specialty += specialty[hit.id] == specialty[thread_id]
            ms = (time.perf_counter() - started) * 1000 / len(asked)
        print(f"| {name} | {same / max(shown, 1):.3f} | {same_specialty / max(shown, 1):.3f} "
              f"| {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
