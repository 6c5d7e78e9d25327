"""The shipped nginx config in front of `qasearch serve`: slow clients and a burst over the
rate limit never delay /healthz by a second; nginx's own errors are JSON for the API.

(The browser tests in test_e2e_search.py run through this same nginx too: see base_url.)
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from nginx_proxy import NginxProxy
from slow_clients import Burst, get, half_sent_headers, healthz_seconds

from search.request import MAX_QUERY_CHARS

pytestmark = pytest.mark.slow

# The burst comes from another loopback address: the limit is per client address, and
# 127.0.0.1 (the probes, the browser tests) keeps its own allowance.
ATTACKER = "127.0.0.2"


def address(proxy: NginxProxy) -> tuple[str, int]:
    return ("127.0.0.1", proxy.port)


def test_slow_clients_and_a_burst_leave_healthz_answering(nginx_proxy: NginxProxy) -> None:
    target = address(nginx_proxy)
    healthz_seconds(target, probes=2)
    with half_sent_headers(target, 20), Burst(target, "/api/search?q=fever", ATTACKER) as burst:
        time.sleep(0.3)
        seconds = healthz_seconds(target, probes=20)
    print([round(s * 1000) for s in seconds])
    print(f"via nginx, 20 half-sent headers and a burst: healthz max {max(seconds) * 1000:.0f}"
          f" ms; burst statuses {dict(burst.statuses)}")  # fmt: skip
    assert max(seconds) < 1.0
    assert burst.errors == []
    assert burst.statuses[200] >= 20 and burst.statuses[429] > 0  # the burst, then refusals
    assert set(burst.statuses) <= {200, 429}
    (body, *_) = burst.rate_limited_bodies
    assert json.loads(body)["error"]["status"] == 429


def test_a_client_sending_half_a_header_is_dropped_by_nginx(nginx_proxy: NginxProxy) -> None:
    with socket.create_connection(address(nginx_proxy), timeout=15) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        started = time.monotonic()
        try:
            answer = sock.recv(4096)  # nginx closes (or resets) at client_header_timeout
        except ConnectionResetError:
            answer = b""
    assert time.monotonic() - started < 10
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")


def test_errors_nginx_answers_for_the_api_are_json(nginx_proxy: NginxProxy) -> None:
    target = address(nginx_proxy)
    status, headers, body = get(target, "/api/search?q=" + "a" * 20_000)
    assert status == 414 and headers["Content-Type"] == "application/json"
    assert f"at most {MAX_QUERY_CHARS} characters" in json.loads(body)["error"]["message"]
    with socket.create_connection(target, timeout=10) as sock:
        sock.sendall(b"POST /api/search HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Length: 100000\r\n\r\n")  # fmt: skip
        head, _, body = sock.recv(8192).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and json.loads(body)["error"]["status"] == 413
    assert get(target, "/metrics")[0] == 404  # scraped on gunicorn's port, not the site's


def test_nginx_serves_static_files_itself_compressed(nginx_proxy: NginxProxy) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", nginx_proxy.port, timeout=5)
    try:
        connection.request("GET", "/static/style.css", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("X-Request-ID") is None  # not proxied: gunicorn never saw it
    assert "max-age=3600" in response.getheader("Cache-Control", "")
