"""Access log lines: request id, route, status, latency; no query text or client address
unless the operator asks for them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from web.access_log import ACCESS_LOGGER, REQUEST_ID_HEADER
from web.app import close_engine, create_app

PRIVATE = "zyzzogeton"
LINE = re.compile(
    r"request_id=(?P<id>[0-9a-f]{32}|[A-Za-z0-9._-]+) method=GET route=(?P<route>\S+) "
    r"status=(?P<status>\d{3}) duration_ms=\d+\.\d$"
)


def make_app(index_dir: Path, **config: object) -> Iterator[Flask]:
    app = create_app({"INDEX_DIR": str(index_dir), "ACCESS_LOG": True, **config})
    yield app
    close_engine(app)


@pytest.fixture
def logged_app(index_dir: Path) -> Iterator[Flask]:
    yield from make_app(index_dir)


@pytest.fixture
def query_logging_app(index_dir: Path) -> Iterator[Flask]:
    yield from make_app(index_dir, LOG_QUERIES=True)


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == ACCESS_LOGGER]


def test_a_line_per_request_without_query_or_address(
    logged_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = logged_app.test_client()
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = client.get(f"/api/search?q={PRIVATE}+rash")
        client.get(f"/thread/{PRIVATE}")
    first, second = access_lines(caplog)
    match = LINE.match(first)
    assert match and match["route"] == "/api/search" and match["status"] == "200"
    assert match["id"] == response.headers[REQUEST_ID_HEADER]
    assert LINE.match(second)["route"] == "/thread/<thread_id>"
    for line in (first, second):
        assert PRIVATE not in line and "127.0.0.1" not in line and "localhost" not in line


def test_a_proxys_request_id_is_kept_and_a_bad_one_replaced(
    logged_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = logged_app.test_client()
    nginx_id = "5f0c1e7a9b2d4c6e8f001122aabbccdd"
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        kept = client.get("/healthz", headers={REQUEST_ID_HEADER: nginx_id})
        replaced = client.get("/healthz", headers={REQUEST_ID_HEADER: "evil id; status=200"})
    assert kept.headers[REQUEST_ID_HEADER] == nginx_id
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers[REQUEST_ID_HEADER])
    lines = access_lines(caplog)
    assert f"request_id={nginx_id} " in lines[0] and "evil" not in lines[1]


def test_the_operator_can_log_queries_and_addresses(
    query_logging_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        query_logging_app.test_client().get(f"/api/search?q={PRIVATE}")
    (line,) = access_lines(caplog)
    assert "client=127.0.0.1" in line and f"q={PRIVATE}" in line


def test_nothing_is_logged_unless_asked(index_dir: Path, caplog) -> None:
    app = create_app({"INDEX_DIR": str(index_dir)})
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = app.test_client().get("/healthz")
    assert access_lines(caplog) == [] and response.headers[REQUEST_ID_HEADER]
    close_engine(app)
