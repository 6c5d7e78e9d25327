"""The runs: qasearch through its Python API, and BM25 references over the same threads.

The qasearch index is built by `qasearch reindex`, as an operator would, and cached under
OUT/index-<key>; the key covers the collection's bytes, the schema version, the package
version, the indexer's and search's source files and --procs, so a re-run reuses it and
any change that could alter the index rebuilds it (~15-30 s).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import indexer
import search
from bench.archive import qasearch_executable
from bench.fts5_reference import Fts5Engine, build_fts5
from bench.relevance.metrics import DEPTH, Rankings
from indexer.archive.records import Thread

# The one import of the project's reader: the refactor may move it to indexer.archive.
from indexer.archive.sources import read_sources
from search.engine import SearchEngine
from search.index.schema import SCHEMA_VERSION
from search.request import MAX_QUERY_CHARS, SearchRequest, SearchRequestError

WARMUP_QUERIES = 10  # searched once, untimed, so lazy loading is not in the latency
SHOWN_TITLES = 3  # titles kept per query for --worst and --show-query


@dataclass
class RunResult:
    name: str
    rankings: Rankings = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)  # qid -> top titles
    errors: dict[str, str] = field(default_factory=dict)  # qid -> why it ran empty
    latencies_ms: list[float] = field(default_factory=list)
    build_s: float | None = None  # None: the index was reused
    note: str = ""


def index_key(collection_digest: str, procs: int) -> str:
    """Digest of everything the built index depends on."""
    digest = hashlib.sha256(f"{collection_digest}\0{SCHEMA_VERSION}\0{procs}\0".encode())
    digest.update(version("qasearch").encode())
    for package in (indexer, search):
        root = Path(package.__file__).parent
        # Recursive and by relative path, so moving files into subpackages changes the key.
        for source in sorted(root.rglob("*.py")):
            digest.update(str(source.relative_to(root)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def ensure_index(
    collection: Path, out_dir: Path, key: str, procs: int, rebuild: bool
) -> tuple[Path, float | None]:
    """The index for `key`: reused when a finished one exists, else built afresh.

    Returns its directory and the build's wall time (None when reused). Indexes of other
    keys are deleted: only the latest is worth its disk space.
    """
    index_dir = out_dir / f"index-{key}"
    marker = out_dir / f"index-{key}.json"  # written only after reindex succeeded
    if not rebuild and marker.is_file() and (index_dir / "CURRENT").is_file():
        return index_dir, None
    # The newest old index becomes the new one's starting point: the reindex reuses its
    # sentence vectors by content hash (minutes of encoding), as it would in production.
    # Its live generation is replaced by the build, so no old figure can leak through.
    olds = sorted((p for p in out_dir.glob("index-*") if p.is_dir() and p != index_dir),
                  key=lambda p: p.stat().st_mtime)
    if olds and not rebuild and not index_dir.exists():
        olds.pop().rename(index_dir)
    for old in out_dir.glob("index-*"):
        if old == index_dir:
            continue
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    # A fixed --procs: the engine breaks score ties by internal doc number, which depends
    # on how the build split the work (and, with several workers, on which finished
    # first), so a CPU-count default would move the figures from machine to machine.
    command = [qasearch_executable(), "reindex", str(collection), "--index", str(index_dir),
               "--procs", str(procs)]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed: {done.stderr.strip()[-1000:]}")
    marker.write_text(json.dumps({"key": key, "procs": procs, "build_s": elapsed}) + "\n")
    return index_dir, elapsed


def _timed_run(
    name: str, queries: dict[str, str], search: Callable[[str], list[tuple[str, str]]]
) -> RunResult:
    """Warm up, then every query once: `search(text)` gives (id, title) best first."""
    result = RunResult(name)
    for text in list(queries.values())[:WARMUP_QUERIES]:
        with contextlib.suppress(SearchRequestError):
            search(text)
    for qid, text in queries.items():
        start = time.perf_counter()
        try:
            hits = search(text)[:DEPTH]
        except SearchRequestError as error:
            # Counted as an empty run, never a crash: a limit is part of what is measured.
            result.errors[qid] = str(error)
            hits = []
        else:
            result.latencies_ms.append((time.perf_counter() - start) * 1000)
        result.rankings[qid] = [doc for doc, _ in hits]
        result.titles[qid] = [title for _, title in hits[:SHOWN_TITLES]]
    return result


def run_qasearch(index_dir: Path, queries: dict[str, str], *, lexical: bool = False,
                 name: str = "qasearch") -> RunResult:
    """The engine as served (hybrid when the index has vectors), or words alone."""
    with SearchEngine(index_dir, **({"encoder": None} if lexical else {})) as engine:
        semantic = engine.semantic_active

        def search_one(text: str) -> list[tuple[str, str]]:
            # What the search box sends: its maxlength cuts a longer paste.
            response = engine.search(SearchRequest(query=text[:MAX_QUERY_CHARS], per_page=DEPTH))
            return [(hit.id, hit.title) for hit in response.results]

        result = _timed_run(name, queries, search_one)
    result.note = "hybrid: words + sentence vectors" if semantic else "lexical"
    return result


def run_fts5(collection: Path, db_path: Path, queries: dict[str, str]) -> RunResult:
    """The bench's SQLite FTS5 reference (bench/fts5_reference.py) on the collection."""
    figures = build_fts5(collection, db_path)  # read_sources takes .jsonl files as is
    engine = Fts5Engine(db_path)

    def search_one(text: str) -> list[tuple[str, str]]:
        return [(hit.id, hit.title) for hit in engine.search(text, per_page=DEPTH).results]

    try:
        result = _timed_run("fts5", queries, search_one)
    finally:
        engine.close()
    result.build_s = figures.total_s
    result.note = ("SQLite FTS5 bm25, porter, OR of the words, "
                   "the project's stop words and field weights")  # fmt: skip
    return result


def _threads(collection: Path) -> Iterator[Thread]:
    for item in read_sources([collection]):
        if isinstance(item, Thread):
            yield item


def run_bm25s(collection: Path, queries: dict[str, str]) -> RunResult | None:
    """bm25s with the shared README's settings; None when bm25s is not installed."""
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return None
    start = time.perf_counter()
    ids, titles, texts = [], [], []
    for thread in _threads(collection):
        ids.append(thread.id)
        titles.append(thread.title)
        replies = (reply.text for reply in thread.replies)
        texts.append("\n".join([thread.title, thread.subject, thread.question, *replies]))
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    # stopwords="en" is Lucene's English list.
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)  # fmt: skip
    build_s = time.perf_counter() - start

    def search_one(text: str) -> list[tuple[str, str]]:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        docs, scores = retriever.retrieve(tokens, k=DEPTH, show_progress=False)
        # retrieve() fills k slots even with threads that share no word (score 0).
        return [(ids[d], titles[d]) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    result = _timed_run("bm25s", queries, search_one)
    result.build_s = build_s
    result.note = f"bm25s {version('bm25s')}, Snowball, Lucene stop words, one text per thread"
    return result
