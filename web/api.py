"""The JSON API: the search page's twin, a thread by id, the OpenAPI document, health.

Errors are JSON too (see web.app): {"error": {"status": 400, "message": "..."}}.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request

from search.request import MAX_THREAD_ID_CHARS
from web.engine_holder import get_engine
from web.metrics import timed_search
from web.openapi import openapi_document
from web.search_args import search_request_from_args

api = Blueprint("api", __name__)


@api.get("/api/search")
def api_search() -> Any:
    config = current_app.config
    search_request = search_request_from_args(
        request.args, per_page=config["PER_PAGE"], max_per_page=config["MAX_PER_PAGE"]
    )
    response = timed_search(search_request)
    return jsonify(response.to_dict())


@api.get("/api/thread/<thread_id>")
def api_thread(thread_id: str) -> Any:
    record = None
    if len(thread_id) <= MAX_THREAD_ID_CHARS:
        record = get_engine().get_thread(thread_id)
    if record is None:
        abort(404, description=f"no thread with id {thread_id[:80]!r}")
    return jsonify(record)


@api.get("/api/openapi.json")
def api_openapi() -> Any:
    config = current_app.config
    return jsonify(
        openapi_document(per_page=config["PER_PAGE"], max_per_page=config["MAX_PER_PAGE"])
    )


@api.get("/healthz")
def healthz() -> Any:
    """200 with the live generation while searchable; 503 (JSON) while there is no index."""
    engine = get_engine()
    return jsonify(status="ok", generation=engine.generation)
