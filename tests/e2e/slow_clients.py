"""Hostile clients for the deployment tests: half-sent headers, trickles, bursts; and a
/healthz probe that times each answer. Loopback only; every loop bounded."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

PARTIAL_HEAD = b"GET /api/search?q=fever HTTP/1.1\r\nHost: localhost\r\nX-Slow: "


@contextlib.contextmanager
def half_sent_headers(address: tuple[str, int], count: int) -> Iterator[list[socket.socket]]:
    """`count` connections that send the start of a header block and then nothing."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_connection(address, timeout=5)
            sock.sendall(PARTIAL_HEAD)
            sockets.append(sock)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def seconds_until_closed(address: tuple[str, int], *, give_up_after: float) -> float | None:
    """Trickle a header block one byte every 0.2 s; how long until the server hangs up."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(PARTIAL_HEAD)
        sock.settimeout(0.2)
        while time.monotonic() - started < give_up_after:
            try:
                sock.recv(4096)  # an answer or end of stream: either way, the server gave up
                return time.monotonic() - started
            except TimeoutError:
                try:
                    sock.sendall(b"x")
                except OSError:
                    return time.monotonic() - started
            except OSError:
                return time.monotonic() - started
    return None


def get(address: tuple[str, int], path: str, *, source: str | None = None,
        timeout: float = 5) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    connection = http.client.HTTPConnection(
        *address, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def healthz_seconds(address: tuple[str, int], probes: int, interval: float = 0.1) -> list[float]:
    """Time `probes` GET /healthz, each on a new connection (None-free: a failure raises)."""
    times = []
    for _ in range(probes):
        started = time.monotonic()
        status, _, body = get(address, "/healthz", timeout=5)
        times.append(time.monotonic() - started)
        assert status == 200 and json.loads(body)["status"] == "ok", (status, body[:200])
        time.sleep(interval)
    return times


@dataclass
class Burst:
    """Up to `requests` requests, as fast as `threads` connections allow, from `source`,
    for at most `seconds`: far over a rate limit of a few a second, bounded all the same."""

    address: tuple[str, int]
    path: str
    source: str
    threads: int = 4
    requests: int = 400
    seconds: float = 5.0
    statuses: Counter[int] = field(default_factory=Counter)
    rate_limited_bodies: list[bytes] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __enter__(self) -> Burst:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers = [threading.Thread(target=self._run) for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def _run(self) -> None:
        deadline = time.monotonic() + self.seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            with self._lock:
                if sum(self.statuses.values()) + len(self.errors) >= self.requests:
                    return
            try:
                status, _, body = get(self.address, self.path, source=self.source)
            except OSError as error:
                with self._lock:
                    self.errors.append(repr(error))
                continue
            with self._lock:
                self.statuses[status] += 1
                if status == 429 and len(self.rate_limited_bodies) < 3:
                    self.rate_limited_bodies.append(body)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(30)
