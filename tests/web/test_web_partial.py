"""A search cut short by its budget says so: `"partial": true` in the JSON, a note on the
page; a complete one says nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from search.budget import SearchLimits
from web.app import close_engine, create_app

NOTE = "This search was cut short; results may be incomplete."
PREFIXES = "sp* pa* ra* re* co* he* th* ba* ch* ex*"


@pytest.fixture
def tight_app(index_dir: Path) -> Iterator[Flask]:
    """The app on the shared test index, its engine allowed one expanded term a search."""
    app = create_app({"INDEX_DIR": str(index_dir)})
    with app.app_context():
        app.extensions["qasearch_engine"].get().limits = SearchLimits(seconds=None, expansions=1)
    yield app
    close_engine(app)


def test_a_cut_short_search_says_so_in_json_and_on_the_page(tight_app: Flask) -> None:
    client = tight_app.test_client()
    body = client.get("/api/search", query_string={"q": PREFIXES}).get_json()
    assert body["partial"] is True
    page = client.get("/", query_string={"q": PREFIXES}).get_data(as_text=True)
    assert NOTE in page


def test_a_complete_search_has_no_note(client) -> None:
    body = client.get("/api/search", query_string={"q": PREFIXES}).get_json()
    assert body["partial"] is False
    page = client.get("/", query_string={"q": "red spots"}).get_data(as_text=True)
    assert NOTE not in page
