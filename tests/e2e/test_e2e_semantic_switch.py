"""The semantic layer joins a running server without a failed request.

A full reindex with many new vectors switches twice: to the lexical generation first
(search answers at once), then to a copy of it with the vectors. A server hammered
throughout answers every request, reports `"semantic": false` and then `true` on
/healthz, and then finds a thread that shares no word with the query.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from live_server import LiveServer

import indexer.build.reindex as reindex_module
from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index
from indexer.build.vector_build import VectorOptions
from indexer.sample.generator import generate_threads
from search.semantic import SentenceEncoder

pytestmark = pytest.mark.slow

MEANING_THREAD = Thread(
    id="semantic-switch-thread",
    title="Burning feeling in the upper belly after eating",
    specialty="Gastroenterology",
    question="Every time I finish a meal my upper abdomen burns for an hour.",
    asker=Asker("Ann", "30~39", "female"),
    asked="2024-04-01",
    replies=(Reply("Lee Zhenyu", "Gastroenterology", "It may be reflux or gastritis.",
                   "2024-04-02"),),
)
# No thread holds the word (lexical search finds nothing); the model puts it near this one.
QUERY = "indigestion"


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, {}


def test_vectors_join_a_running_server_without_errors(tmp_path: Path, monkeypatch) -> None:
    encoder = SentenceEncoder.load()  # the server's workers load the same installed model
    threads = [*generate_threads(60, seed=5), MEANING_THREAD]
    build_index(threads, tmp_path)  # lexical only
    server = LiveServer(tmp_path, workers=2)
    outcomes: list[tuple[int, bool | None]] = []  # (status, semantic)
    failures: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                status, body = get(f"{server.url}/api/search?q=stomach+pain")
                outcomes.append((status, None))
                status, body = get(f"{server.url}/healthz")
                outcomes.append((status, body.get("semantic")))
            except Exception as error:  # any refused or reset connection is a failure
                failures.append(repr(error))

    clients = [threading.Thread(target=hammer) for _ in range(2)]
    try:
        for client in clients:
            client.start()
        deadline = time.monotonic() + 30
        while len(outcomes) < 10:
            assert time.monotonic() < deadline and not failures, failures
            time.sleep(0.05)
        lexical = get(f"{server.url}/api/search?q={QUERY}")[1]
        assert MEANING_THREAD.id not in [hit["id"] for hit in lexical["results"]]
        # Every row is new: encoded after the lexical switch, then a second switch.
        monkeypatch.setattr(reindex_module, "INLINE_ENCODE_LIMIT", 0)
        options = VectorOptions(encoder)
        build_index(threads, tmp_path, vectors=options)
        assert options.encoded == len(threads)
        deadline = time.monotonic() + 60
        while get(f"{server.url}/healthz")[1].get("semantic") is not True:
            assert time.monotonic() < deadline, "the server never took up the vectors"
            time.sleep(0.05)
        status, body = get(f"{server.url}/api/search?q={QUERY}")
        assert status == 200
        assert [hit["id"] for hit in body["results"]][0] == MEANING_THREAD.id
    finally:
        stop.set()
        for client in clients:
            client.join(15)
        server.stop()

    assert failures == []
    assert {status for status, _ in outcomes} == {200}
    seen = [semantic for _, semantic in outcomes if semantic is not None]
    assert seen[0] is False and seen[-1] is True
    assert not server.errors_in_log(), "".join(server.log)
