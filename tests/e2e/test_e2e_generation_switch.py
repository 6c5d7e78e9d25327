"""A running server moves to a new index generation without restart or a failed request."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from live_server import LiveServer

from indexer.archive.records import Asker, Reply, Thread
from indexer.build.reindex import build_index
from indexer.sample.generator import generate_threads

pytestmark = pytest.mark.slow

NEW_WORD = "zyzzogeton"
NEW_THREAD = Thread(
    id="switch-new-thread",
    title=f"Strange {NEW_WORD} rash after hiking",
    specialty="Dermatology",
    question=f"After hiking I have a {NEW_WORD} rash on my ankles.",
    asker=Asker("Ann", "30~39", "female"),
    asked="2024-04-01",
    replies=(Reply("Lee Zhenyu", "Dermatology", "Please see a dermatologist.", "2024-04-02"),),
)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, {}


def test_reindex_switches_a_running_server_without_errors(tmp_path: Path) -> None:
    old_threads = list(generate_threads(150, seed=3))
    build_index(old_threads, tmp_path)
    old_generation = (tmp_path / "CURRENT").read_text().strip()
    server = LiveServer(tmp_path, workers=2)
    outcomes: list[tuple[float, int, int | None]] = []  # (when, status, total)
    failures: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                status, body = get(f"{server.url}/api/search?q={NEW_WORD}")
                outcomes.append((time.monotonic(), status, body.get("total")))
                with urllib.request.urlopen(f"{server.url}/?q=rash", timeout=10) as page:
                    outcomes.append((time.monotonic(), page.status, None))
            except Exception as error:  # any refused or reset connection is a failure
                failures.append(repr(error))

    try:
        clients = [threading.Thread(target=hammer) for _ in range(3)]
        for client in clients:
            client.start()
        # Let the clients see the old generation first (however slow the machine is).
        deadline = time.monotonic() + 30
        while sum(total is not None for _, _, total in outcomes) < 10:
            assert time.monotonic() < deadline and not failures, failures
            time.sleep(0.05)
        build_started = time.monotonic()
        build_index([*old_threads, NEW_THREAD], tmp_path)
        new_generation = (tmp_path / "CURRENT").read_text().strip()
        assert new_generation != old_generation

        deadline = time.monotonic() + 30
        streak = 0
        while streak < 20 and time.monotonic() < deadline:
            status, body = get(f"{server.url}/api/search?q={NEW_WORD}")
            streak = streak + 1 if status == 200 and body["total"] == 1 else 0
            time.sleep(0.02)
        assert streak == 20, "the server never settled on the new generation"
        generations = {get(f"{server.url}/healthz")[1]["generation"] for _ in range(10)}
        assert generations == {new_generation}
    finally:
        stop.set()
        for client in clients:
            client.join(15)
        server.stop()

    assert failures == []
    assert len(outcomes) > 100 and {status for _, status, _ in outcomes} == {200}
    before = {total for when, _, total in outcomes if when < build_started and total is not None}
    assert before == {0}
    assert [total for _, _, total in outcomes if total is not None][-1] == 1
    assert not server.errors_in_log(), "".join(server.log)
