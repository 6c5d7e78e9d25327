"""The shipped deployment files say what the code enforces, and their tools accept them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from nginx_proxy import (
    MAIN_CONFIG,
    NGINX,
    SITE_TEMPLATE,
    STATIC_ROOT,
    render_site,
    require_nginx,
)

from search.request import MAX_QUERY_CHARS
from web.limits import LIMIT_REQUEST_LINE, MAX_CONTENT_LENGTH
from web.serve import HEAD_TIMEOUT

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
SITE = SITE_TEMPLATE.read_text(encoding="utf-8")


def directive(name: str) -> str:
    (value,) = re.findall(rf"^\s*{name}\s+([^;]+);", SITE, flags=re.MULTILINE)
    return value


def kib(text: str) -> int:
    return int(text.removesuffix("k")) * 1024 if text.endswith("k") else int(text)


def test_nginx_admits_what_gunicorn_admits_and_no_more_body() -> None:
    count, size = directive("large_client_header_buffers").split()
    assert kib(size) >= LIMIT_REQUEST_LINE + 2  # the request line must fit one buffer
    assert kib(directive("client_max_body_size")) == MAX_CONTENT_LENGTH
    assert f"at most {MAX_QUERY_CHARS} characters" in SITE
    assert f"over {MAX_CONTENT_LENGTH // 1024} KiB" in SITE


def test_nginx_timeouts_bound_slow_clients() -> None:
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert int(directive(name).removesuffix("s")) <= 10, name
    assert int(directive("client_header_timeout").removesuffix("s")) <= HEAD_TIMEOUT
    assert "limit_req zone=qasearch_api" in SITE and "/_errors/429.json" in SITE


def test_nginx_accepts_the_rendered_site(tmp_path: Path) -> None:
    require_nginx()
    (tmp_path / "nginx.conf").write_text(MAIN_CONFIG.format(dir=tmp_path, user=""))
    site = render_site(listen="127.0.0.1:8080", server_name="search.example.org",
                       upstream="127.0.0.1:8000", static_root=STATIC_ROOT)  # fmt: skip
    assert re.search(r"@[A-Z_]+@", site) is None  # every placeholder filled
    (tmp_path / "qasearch.conf").write_text(site)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],  # fmt: skip
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_systemd_accepts_the_units() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    units = sorted(str(path) for path in SYSTEMD.iterdir())
    assert {Path(unit).name for unit in units} == {
        "qasearch-web.service", "qasearch-reindex.service", "qasearch-reindex.timer"
    }
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    # The units name the README's install paths, which this machine does not have.
    problems = [line for line in result.stderr.splitlines()
                if line and "/opt/qasearch/venv/bin/qasearch" not in line]  # fmt: skip
    assert problems == []
