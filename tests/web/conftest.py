"""A small real index, built once per session from hand-written threads, and an app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_sample_threads import sample_threads

from indexer.build.reindex import build_index
from web.app import close_engine, create_app


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("web-index")
    build_index(sample_threads(), directory)
    return directory


@pytest.fixture(scope="session")
def app(index_dir: Path) -> Iterator[Flask]:
    app = create_app({"INDEX_DIR": str(index_dir), "PER_PAGE": 10, "MAX_PER_PAGE": 50})
    yield app
    close_engine(app)


@pytest.fixture(scope="session")
def client(app: Flask) -> Iterator[FlaskClient]:
    yield app.test_client()
