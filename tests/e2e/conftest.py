"""End-to-end fixtures: Debian's Chromium for Playwright, a real gunicorn server, and
Debian's nginx with the shipped config in front of it (every browser test runs both ways)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer
from nginx_proxy import NginxProxy, require_nginx

from indexer.build.reindex import build_index

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
# Pinned in tests/e2e/package-lock.json, installed by `make setup` (npm ci).
AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Never `playwright install` (no network): drive the system's Chromium instead.
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-liberation"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests, but {message}")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            *browser_type_launch_args.get("args", []),
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def e2e_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from e2e_threads import e2e_threads

    directory = tmp_path_factory.mktemp("e2e-index")
    build_index(e2e_threads(), directory)
    return directory


@pytest.fixture(scope="session")
def live_server(e2e_index: Path) -> Iterator[LiveServer]:
    server = LiveServer(e2e_index, workers=2)
    yield server
    server.stop()
    assert not server.errors_in_log(), "".join(server.log)


@pytest.fixture(scope="session")
def nginx_proxy(
    live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NginxProxy]:
    """The shipped nginx site config in front of the session's server."""
    require_nginx()
    host, port = live_server.address
    proxy = NginxProxy(f"{host}:{port}", tmp_path_factory.mktemp("nginx"))
    try:
        yield proxy
    finally:
        proxy.stop()
    assert "[emerg]" not in proxy.error_log() and "[alert]" not in proxy.error_log()
    # Not one failed request: no 5xx for anyone, no 429 for 127.0.0.1 (the browser and the
    # probes; bursts come from another address).
    answers = proxy.access_log_statuses()
    assert answers and not [a for a in answers if a[1] >= 500], answers
    assert not [a for a in answers if a == ("127.0.0.1", 429)]


@pytest.fixture(scope="session", params=["gunicorn", "nginx"])
def base_url(request: pytest.FixtureRequest, live_server: LiveServer) -> str:
    """The site as users reach it: straight from gunicorn, and through the shipped nginx."""
    if request.param == "nginx":
        return request.getfixturevalue("nginx_proxy").url
    assert live_server.url
    return live_server.url


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, to inject into pages under test."""
    if not AXE_SCRIPT.is_file():
        message = f"{AXE_SCRIPT} is missing: run `make setup` (npm ci in tests/e2e)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the accessibility checks, but {message}")
        pytest.skip(message)
    return AXE_SCRIPT.read_text(encoding="utf-8")
