"""With vectors, the benchmark times the project hybrid and again lexical only, and says
which is which: issue 9's figures sit beside lexical-only ones from the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.queries import BenchQuery
from bench.query_latency import measure, project_runner
from bench.report import render_table
from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index
from indexer.build.vector_build import VectorOptions

TOPICS = ("itchy red spots on the thigh", "a sore throat and fever", "knee pain after running",
          "burning when urinating", "ringing in the ears", "a rash after hiking")


def threads() -> list[Thread]:
    return [
        Thread(id=f"{n:03d}_thread", title=f"Question {n} topic{n}", specialty="Family Medicine",
               question=f"I have {topic}.", subject="", asker=Asker(), asked="2020-01-01",
               replies=(Reply("Dr. Lin", "Family Medicine", "Please see a doctor.", None),),
               more_info="")
        for n, topic in enumerate(TOPICS)
    ]


@pytest.fixture(scope="module")
def index_with_vectors(tmp_path_factory) -> Path:
    from search.semantic.encoder import SentenceEncoder

    directory = tmp_path_factory.mktemp("bench-hybrid")
    build_index(threads(), directory, vectors=VectorOptions(SentenceEncoder.load()))
    return directory


def test_the_project_runs_hybrid_and_lexical_only_on_the_same_index(index_with_vectors):
    queries = [BenchQuery("itchy red spots", "words"), BenchQuery("topic3", "words")]
    results = {}
    for lexical_only in (False, True):
        run, close, hybrid = project_runner(index_with_vectors, lexical_only=lexical_only)
        try:
            results[hybrid] = measure(run, queries, [])
        finally:
            close()
    assert set(results) == {True, False}
    # The hybrid adds neighbours by meaning; lexical only keeps to the word's thread.
    assert results[False][1].ids == ("003_thread",)
    assert len(results[True][1].ids) >= len(results[False][1].ids)


def test_the_table_says_hybrid_and_shows_lexical_only_figures():
    figures = {"threads": 10, "archive": {"path": "/a"}, "build": {},
               "query": {"project": {"p50_ms": 30.0, "p95_ms": 60.0},
                         "project_semantic": True,
                         "project_lexical": {"p50_ms": 11.5, "p95_ms": 22.0, "p99_ms": 26.0},
                         "fts5": {"p50_ms": 200.0, "p95_ms": 700.0}}}
    table = render_table(figures)
    assert "hybrid (vectors)" in table
    assert "11.50 / 22.00 / 26.00" in table
