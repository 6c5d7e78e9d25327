"""Encoder speed on this machine: `python -m search.semantic.benchmark [--texts N]`.

Prints texts/s (and per CPU second: steadier when other processes share the cores) for
long texts cut at 64 and 128 tokens (a reindex's case: title plus the
start of the answer fills the cap) and the latency of one short query. The texts are
made up from a word list, so the figures need no archive.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from search.semantic.encoder import SentenceEncoder

_WORD_LIST = """
    pain fever cough headache stomach chest throat rash dizzy tired night blood pressure
    tablet doctor child months weeks swelling left right knee back breathing sleep skin
    itchy burning after eating since yesterday worse better should i worry is it normal
    my the and with for of in a on
"""
_WORDS = _WORD_LIST.split()


def _texts(n: int, words: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(words)) for _ in range(n)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=512, help="texts per measurement")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = SentenceEncoder.load()
    print(f"load: {time.perf_counter() - started:.2f} s ({encoder.model_version})")
    texts = _texts(args.texts, 200)  # about 200 word pieces: every text fills the cap
    encoder.encode(texts[:args.batch_size], max_tokens=128)  # warm up BLAS and caches
    for max_tokens in (64, 128):
        for threads in (None, 1):
            started, cpu = time.perf_counter(), time.process_time()
            encoder.encode(texts, max_tokens=max_tokens, batch_size=args.batch_size,
                           threads=threads)
            rate = len(texts) / (time.perf_counter() - started)
            per_cpu = len(texts) / (time.process_time() - cpu)
            label = "both cores" if threads is None else "one core"
            print(f"max_tokens {max_tokens}, {label}: {rate:.0f} texts/s "
                  f"({per_cpu:.0f} per CPU second; 100,000 texts in "
                  f"{100_000 / rate / 60:.1f} min); load average {os.getloadavg()[0]:.1f}")
    query = ["sore throat and a fever for three days"]
    times = []
    for _ in range(50):
        started = time.perf_counter()
        encoder.encode(query)
        times.append(time.perf_counter() - started)
    print(f"one short query: median {statistics.median(times) * 1000:.1f} ms, "
          f"best {min(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
