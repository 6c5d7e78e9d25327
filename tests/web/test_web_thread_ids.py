"""Listed implies reachable: every id the indexer accepts, however odd, has a working
page at the URL the results link to, and the ids it refuses are never listed."""

from __future__ import annotations

import json
from pathlib import Path

from flask import url_for

from indexer.build.reindex import full_reindex
from web.app import close_engine, create_app

ODD_BUT_SERVABLE = ["café-42", "a b", "what?#100%", "a..b", ".hidden", "x" * 200, "+plus&amp"]
UNSERVABLE = ["../../etc/passwd", "..", "tab\tid", "back\\slash", "x" * 201]


def _thread(thread_id: str) -> dict:
    return {"id": thread_id, "title": "Odd Ids Everywhere", "specialty": "Dermatology",
            "question": "A question about oddities.", "answer": "An answer."}


def test_every_listed_thread_opens_at_its_link(tmp_path: Path) -> None:
    source = tmp_path / "threads.jsonl"
    ids = ODD_BUT_SERVABLE + UNSERVABLE
    source.write_text("".join(json.dumps(_thread(i)) + "\n" for i in ids), encoding="utf-8")
    summary = full_reindex([source], tmp_path / "index")
    assert len(summary.skipped) == len(UNSERVABLE)
    app = create_app({"INDEX_DIR": str(tmp_path / "index")})
    try:
        client = app.test_client()
        listed = client.get("/api/search", query_string={"q": "oddities", "per_page": 50})
        found = [hit["id"] for hit in listed.get_json()["results"]]
        assert sorted(found) == sorted(ODD_BUT_SERVABLE)
        for thread_id in found:
            with app.test_request_context():
                page, api = (url_for("views.thread", thread_id=thread_id),
                             url_for("api.api_thread", thread_id=thread_id))
            assert client.get(page).status_code == 200, (thread_id, page)
            assert client.get(api).get_json()["id"] == thread_id, (thread_id, api)
    finally:
        close_engine(app)
