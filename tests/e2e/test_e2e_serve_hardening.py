"""`qasearch serve` on its own: slow clients cannot freeze it, limits answer in JSON,
metrics add up over workers, and neither metrics nor logs hold what people searched."""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from live_server import LiveServer
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from slow_clients import get, half_sent_headers, healthz_seconds, seconds_until_closed

from search.request import MAX_QUERY_CHARS
from web.serve import HEAD_TIMEOUT

pytestmark = pytest.mark.slow

EMOJI = "\U0001f912"
PRIVATE = "zyzzogeton"


@pytest.fixture(scope="module")
def server(e2e_index: Path) -> Iterator[LiveServer]:
    live = LiveServer(e2e_index, workers=2, extra_args=("--access-log",))
    try:
        yield live
    finally:
        live.stop()
    assert not live.errors_in_log(), "".join(live.log)


@pytest.mark.parametrize("slow_clients", [2, 4])
def test_slow_clients_leave_healthz_answering(server: LiveServer, slow_clients: int) -> None:
    healthz_seconds(server.address, probes=2)  # both workers' engines open: a fair figure
    with half_sent_headers(server.address, slow_clients):
        time.sleep(0.3)  # let them reach the workers
        seconds = healthz_seconds(server.address, probes=10)
    print(f"healthz with {slow_clients} half-sent headers: max {max(seconds) * 1000:.0f} ms")
    assert max(seconds) < 1.0


def test_a_trickling_client_is_cut_off_at_the_head_deadline(server: LiveServer) -> None:
    seconds = seconds_until_closed(server.address, give_up_after=HEAD_TIMEOUT + 10)
    assert seconds is not None, "the server let a trickle hold its connection"
    assert HEAD_TIMEOUT - 1 <= seconds <= HEAD_TIMEOUT + 5


def test_the_query_limit_through_gunicorn_is_json_on_both_sides(server: LiveServer) -> None:
    def search(query: str) -> tuple[int, dict]:
        status, headers, body = get(server.address, "/api/search?" + urlencode({"q": query}))
        assert headers["Content-Type"].startswith("application/json"), body[:200]
        return status, json.loads(body)

    assert search(EMOJI * MAX_QUERY_CHARS)[0] == 200
    status, body = search(EMOJI * (MAX_QUERY_CHARS + 1))
    assert status == 400 and f"at most {MAX_QUERY_CHARS}" in body["error"]["message"]
    status, body = search("a" * 20_000)  # past gunicorn's request line: refused unread
    assert status == 414 and f"at most {MAX_QUERY_CHARS} characters" in body["error"]["message"]


def worker_pids(server: LiveServer) -> list[int]:
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def per_worker_searches(pid: int) -> float:
    """GET /api/search answers counted by one worker, read from its own metrics files."""
    (directory,) = {path.parent for path in Path(tempfile.gettempdir()).glob(
        f"qasearch-metrics-*/counter_{pid}.db")}  # fmt: skip
    with tempfile.TemporaryDirectory() as alone:
        for path in directory.glob(f"*_{pid}.db"):
            shutil.copy(path, alone)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=alone)
        return sum(
            sample.value
            for metric in registry.collect() if metric.name == "qasearch_http_requests"
            for sample in metric.samples
            if sample.name.endswith("_total") and sample.labels["route"] == "/api/search"
        )  # fmt: skip


def test_metrics_add_up_over_workers_and_hold_no_query(server: LiveServer) -> None:
    def scrape() -> dict:
        status, _, body = get(server.address, "/metrics")
        assert status == 200
        text = body.decode()
        assert PRIVATE not in text
        families = text_string_to_metric_families(text)
        return {f.name: f for f in families}

    before = scrape()["qasearch_http_requests"]
    base = sum(s.value for s in before.samples if s.labels.get("route") == "/api/search"
               and s.name.endswith("_total"))  # fmt: skip
    sent = 0
    pids = worker_pids(server)
    assert len(pids) == 2
    for _ in range(10):  # until both workers have answered some (bounded)
        paths = [f"/api/search?q={PRIVATE}+{n}" for n in range(16)]
        threads = [threading.Thread(target=get, args=(server.address, p)) for p in paths]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        sent += len(threads)
        if all(per_worker_searches(pid) > 0 for pid in pids):
            break
    counts = [per_worker_searches(pid) for pid in pids]
    assert all(count > 0 for count in counts), counts
    after = scrape()["qasearch_http_requests"]
    total = sum(s.value for s in after.samples if s.labels.get("route") == "/api/search"
                and s.name.endswith("_total"))  # fmt: skip
    assert total - base == sent  # one scrape, answered by one worker, counts both
    assert sum(counts) == total
    log = "".join(server.log)
    assert "route=/api/search status=200" in log  # the access log is on...
    assert PRIVATE not in log  # ... and holds no query text
    assert "127.0.0.1 " not in log.replace("Listening at: http://127.0.0.1", "")


def test_the_metrics_directory_goes_with_the_server(e2e_index: Path) -> None:
    live = LiveServer(e2e_index, workers=1)
    try:
        (pid,) = worker_pids(live)
        get(live.address, "/healthz")
        (directory,) = {p.parent for p in Path(tempfile.gettempdir()).glob(
            f"qasearch-metrics-*/*_{pid}.db")}  # fmt: skip
        assert directory.stat().st_mode & 0o077 == 0  # private to the server's user
    finally:
        live.stop()
    assert not directory.exists()



def _pipelined_searches(address: tuple[str, int], word: str, stop: threading.Event,
                        answered: list[int], slot: int, failures: list[str]) -> None:
    """One keep-alive connection that always has a second search waiting behind the one
    being answered (HTTP/1.1 pipelining): the fastest a client can ask."""
    def request(n: int) -> bytes:
        query = urlencode({"q": f"{word} {n % 7}"})
        return f"GET /?{query} HTTP/1.1\r\nHost: test\r\n\r\n".encode()

    sent = 0
    with socket.create_connection(address, timeout=30) as connection:
        reader = connection.makefile("rb")
        try:
            connection.sendall(request(0) + request(1))
            sent = 2
            while not stop.is_set():
                status = reader.readline()
                length = 0
                while (line := reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                reader.read(length)
                if b" 200 " not in status:
                    failures.append(f"{word}: {status!r}")
                    return
                answered[slot] += 1
                connection.sendall(request(sent))
                sent += 1
        except OSError as error:
            failures.append(f"{word}: {error}")


def test_a_busy_worker_serves_its_keep_alive_connections_in_turn(e2e_index: Path) -> None:
    """Four clients keep one worker busy, each on its own keep-alive connection with its
    next search always waiting: none is left unanswered while the others are served
    (answers counted, not timed)."""
    live = LiveServer(e2e_index, workers=1)
    try:
        words = ("fever", "cough", "rash", "headache")
        answered = [0] * len(words)
        stop = threading.Event()
        failures: list[str] = []
        clients = [
            threading.Thread(target=_pipelined_searches,
                             args=(live.address, word, stop, answered, slot, failures))
            for slot, word in enumerate(words)
        ]  # fmt: skip
        for thread in clients:
            thread.start()
        time.sleep(3)
        stop.set()
        for thread in clients:
            thread.join(60)
        print(f"answers per connection in 3 s: {answered}")
        assert not failures, failures
        assert min(answered) >= max(answered) // 3, answered
    finally:
        live.stop()


def _worker_pids(server_pid: int) -> list[int]:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def _maps_file_under(pid: int, directory: Path) -> bool:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return str(directory) in maps


def test_each_worker_opens_the_index_before_its_first_request(e2e_index: Path) -> None:
    """Workers map the live generation at boot, with no request sent: a worker is never
    still opening the index when connections arrive (the other would take them all)."""
    generation = (e2e_index / (e2e_index / "CURRENT").read_text().strip()).resolve()
    live = LiveServer(e2e_index, workers=2)
    try:
        deadline = time.monotonic() + 30
        opened: dict[int, bool] = {}
        while time.monotonic() < deadline:
            opened = {pid: _maps_file_under(pid, generation) for pid in _worker_pids(
                live.process.pid)}
            if len(opened) == 2 and all(opened.values()):
                break
            time.sleep(0.1)
        assert len(opened) == 2 and all(opened.values()), (opened, "".join(live.log))
    finally:
        live.stop()
    assert not live.errors_in_log(), "".join(live.log)

