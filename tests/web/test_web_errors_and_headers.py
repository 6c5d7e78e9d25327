"""Security headers everywhere; 503 without an index; 500 without a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.index.generations import IndexUnavailableError
from web.app import SECURITY_HEADERS, close_engine, create_app

URLS = [
    "/",
    "/?q=rash",
    "/?q=x&sort=bad",
    "/thread/derm-red-spots",
    "/thread/missing",
    "/specialties",
    "/no/such/page",
    "/api/search?q=rash",
    "/api/search?page=0",
    "/api/thread/missing",
    "/api/openapi.json",
    "/healthz",
    "/metrics",
    "/static/style.css",
    "/static/search.js",
    "/static/favicon.svg",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    response.close()  # static files are streamed from an open file
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in ("/", "/?q=rash", "/thread/derm-red-spots", "/specialties", "/missing"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert " on" + "click=" not in html


def test_static_files_are_served_locally_with_types(client: FlaskClient) -> None:
    with client.get("/static/search.js") as script:
        assert script.mimetype in {"text/javascript", "application/javascript"}
    with client.get("/static/style.css") as style:
        assert style.mimetype == "text/css"
        css = style.get_data(as_text=True)
    assert "http://" not in css and "https://" not in css and "@import" not in css


@pytest.fixture
def no_index_client(tmp_path: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": str(tmp_path / "nothing-here")}).test_client()


def test_missing_index_is_a_503_page(no_index_client: FlaskClient) -> None:
    for url in ("/", "/?q=rash", "/thread/x", "/specialties"):
        response = no_index_client.get(url)
        assert response.status_code == 503
        html = response.get_data(as_text=True)
        assert "Search is unavailable" in html and "qasearch reindex" in html
    with no_index_client.get("/static/style.css") as style:
        assert style.status_code == 200


def test_missing_index_is_a_json_503_for_the_api(no_index_client: FlaskClient) -> None:
    for url in ("/api/search?q=rash", "/api/thread/x", "/healthz"):
        response = no_index_client.get(url)
        assert response.status_code == 503
        assert response.get_json()["error"]["status"] == 503


def test_the_server_recovers_once_an_index_appears(tmp_path: Path) -> None:
    from web_sample_threads import sample_threads

    from indexer.build.reindex import build_index

    app = create_app({"INDEX_DIR": str(tmp_path)})
    client = app.test_client()
    assert client.get("/?q=rash").status_code == 503
    build_index(sample_threads()[:3], tmp_path)
    assert client.get("/?q=rash").status_code == 200
    close_engine(app)


class ExplodingEngine:
    generation = "gen-test"

    def refresh(self) -> bool:
        return False

    def search(self, request: object) -> object:
        raise RuntimeError("secret detail /srv/internal/path")

    get_thread = similar = specialty_counts = search


@pytest.fixture
def exploding_client() -> FlaskClient:
    app = create_app({"INDEX_DIR": "unused", "ENGINE_FACTORY": lambda _dir: ExplodingEngine()})
    return app.test_client()


def test_unexpected_errors_are_a_plain_500_page(
    exploding_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = exploding_client.get("/?q=rash")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "Traceback" not in html and "secret detail" not in html and "RuntimeError" not in html
    assert (
        response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    )
    # The traceback goes to the log instead.
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info and "secret detail" in str(record.exc_info[1])


def test_unexpected_errors_are_a_json_500_for_the_api(exploding_client: FlaskClient) -> None:
    for url in ("/api/search?q=rash", "/api/thread/x"):
        response = exploding_client.get(url)
        assert response.status_code == 500
        body = response.get_json()
        assert body == {"error": {"status": 500, "message": body["error"]["message"]}}
        assert "secret" not in response.get_data(as_text=True)


class CountingEngine(ExplodingEngine):
    def __init__(self) -> None:
        self.refreshes = 0

    def refresh(self) -> bool:
        self.refreshes += 1
        return False

    def specialty_counts(self) -> dict[str, int]:
        return {"Dermatology": 1}


def test_one_engine_per_app_refreshed_once_per_request() -> None:
    made: list[CountingEngine] = []

    def factory(index_dir: Path) -> CountingEngine:
        made.append(CountingEngine())
        return made[-1]

    app = create_app({"INDEX_DIR": "unused", "ENGINE_FACTORY": factory})
    assert made == []  # nothing opened at import or creation time
    client = app.test_client()
    for _ in range(3):
        assert client.get("/specialties").status_code == 200
    client.get("/static/style.css").close()
    assert len(made) == 1 and made[0].refreshes == 3


def test_a_failed_engine_start_is_retried_next_request() -> None:
    attempts: list[int] = []

    def factory(index_dir: Path) -> CountingEngine:
        attempts.append(1)
        if len(attempts) == 1:
            raise IndexUnavailableError("not yet")
        return CountingEngine()

    client = create_app({"INDEX_DIR": "unused", "ENGINE_FACTORY": factory}).test_client()
    assert client.get("/specialties").status_code == 503
    assert client.get("/specialties").status_code == 200


def test_debug_is_off_even_if_asked() -> None:
    app = create_app({"INDEX_DIR": "unused", "DEBUG": True})
    assert app.debug is False
