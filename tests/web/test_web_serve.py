"""`qasearch serve`: refuses without an index, runs gunicorn with our settings."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from web.app import close_engine, create_app
from web.cli import main
from web.engine_holder import open_engine_now
from web.serve import QasearchServer, gunicorn_options


def test_serve_without_an_index_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no index at" in result.output and "qasearch reindex" in result.output


def test_serve_rejects_bad_options(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_gunicorn_gets_our_settings_and_the_factory_app(index_dir: Path) -> None:
    options = gunicorn_options(host="127.0.0.1", port=0, workers=3, timeout=20)
    server = QasearchServer({"INDEX_DIR": str(index_dir)}, options)
    assert server.cfg.bind == ["127.0.0.1:0"]
    assert server.cfg.workers == 3 and server.cfg.timeout == 20
    assert server.cfg.preload_app is False  # each worker builds its own app and engine
    if "control_socket_disable" in server.cfg.settings:
        assert server.cfg.control_socket_disable is True
    app = server.load()
    assert app.test_client().get("/healthz").get_json()["status"] == "ok"
    close_engine(app)


def test_a_worker_opens_the_engine_before_the_first_request(index_dir: Path) -> None:
    app = create_app({"INDEX_DIR": str(index_dir)})
    try:
        assert open_engine_now(app) is None
        holder = app.extensions["qasearch_engine"]
        assert holder.get() is holder.get()  # the one opened at boot, not a second
        assert holder.get().generation == (index_dir / "CURRENT").read_text().strip()
    finally:
        close_engine(app)


def test_a_worker_without_an_index_says_why_and_retries_later(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path)})
    problem = open_engine_now(app)
    assert problem is not None and "reindex" in problem
    assert app.extensions["qasearch_engine"]._engine is None  # the next request tries again
