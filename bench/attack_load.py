"""Two attacking connections against `qasearch serve` while normal queries are timed.

Loopback only, every loop bounded by a deadline. After a few untimed seconds of warm-up,
normal two-word queries run alone for a few seconds (the baseline); then two threads,
each with its own keep-alive connection, send hostile forms with fresh words
(bench/attack_forms.py) as fast as the server answers, for `seconds`, while one more
connection times normal queries again. Every request goes to `/api/search` (the JSON
twin of the page, same engine work).
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.attack_forms import FORMS, Vocabulary, normal_query
from bench.query_latency import latency_summary
from bench.web_load import running_server
from search.engine import SearchEngine

WARMUP_SECONDS = 3
BASELINE_SECONDS = 5
NORMAL_PAUSE_S = 0.05  # between normal queries: a person, not a load generator
REQUEST_TIMEOUT_S = 60


class _Client:
    """One keep-alive HTTP connection to the local server."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname == "127.0.0.1", "the attack benchmark only talks to loopback"
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port,
                                                     timeout=REQUEST_TIMEOUT_S)

    def search(self, text: str) -> tuple[int, float, dict[str, Any] | None]:
        """(status, seconds, JSON body or None) for one `/api/search` request."""
        path = "/api/search?" + urlencode({"q": text})
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()  # reconnects on the next request
            return 0, time.perf_counter() - started, None
        elapsed = time.perf_counter() - started
        try:
            data = json.loads(body) if status == 200 else None
        except ValueError:
            data = None
        return status, elapsed, data

    def close(self) -> None:
        self.connection.close()


def _normal_loop(base_url: str, vocab: Vocabulary, seconds: float, seed: str) -> dict[str, Any]:
    rng = random.Random(seed)
    client = _Client(base_url)
    timings, not_200 = [], 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            status, elapsed, _ = client.search(normal_query(vocab, rng))
            timings.append(elapsed)
            not_200 += status != 200
            time.sleep(NORMAL_PAUSE_S)
    finally:
        client.close()
    return {"requests": len(timings), "not_200": not_200, **latency_summary(timings)}


def _attack_loop(base_url: str, vocab: Vocabulary, deadline: float, seed: str,
                 out: list[tuple[int, float, bool]]) -> None:
    rng = random.Random(seed)
    forms = list(FORMS.values())
    client = _Client(base_url)
    try:
        while time.monotonic() < deadline:
            status, elapsed, data = client.search(rng.choice(forms)(vocab, rng))
            out.append((status, elapsed, bool(data and data.get("partial"))))
    finally:
        client.close()


def server_figures(index_dir: Path, seconds: int, seed: int, work_dir: Path) -> dict[str, Any]:
    """Normal-query latency alone and under two attacking connections."""
    with SearchEngine(index_dir) as engine:
        vocab = Vocabulary.from_reader(engine._current.searcher.reader())
    with running_server(index_dir, workers=2, log_dir=work_dir) as (base_url, _pid):
        # Untimed: each worker opens its searcher and reads its first posting lists.
        _normal_loop(base_url, vocab, WARMUP_SECONDS, f"{seed}-warmup")
        alone = _normal_loop(base_url, vocab, BASELINE_SECONDS, f"{seed}-alone")
        deadline = time.monotonic() + seconds
        results: list[list[tuple[int, float, bool]]] = [[], []]
        attackers = [
            threading.Thread(target=_attack_loop, daemon=True,
                             args=(base_url, vocab, deadline, f"{seed}-attack{n}", results[n]))
            for n in range(2)
        ]
        for attacker in attackers:
            attacker.start()
        try:
            under_attack = _normal_loop(base_url, vocab, seconds, f"{seed}-normal")
        finally:
            for attacker in attackers:  # each stops at the deadline, after its last answer
                attacker.join(timeout=REQUEST_TIMEOUT_S + 5)
    attacks = [row for rows in results for row in rows]
    return {
        "workers": 2,
        "attack_seconds": seconds,
        "alone": alone,
        "under_attack": under_attack,
        "attacks": {
            "requests": len(attacks),
            "statuses": dict(Counter(status for status, _, _ in attacks)),
            "partial": sum(partial for _, _, partial in attacks),
            **latency_summary([elapsed for _, elapsed, _ in attacks]),
        },
    }
