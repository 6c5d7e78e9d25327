"""The JSON API: the search page's twin, suggestions, a thread by id, OpenAPI, health.

Errors are JSON too (see web.app): {"error": {"status": 400, "message": "..."}}.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request

from search.request import MAX_THREAD_ID_CHARS, SearchRequestError
from search.results.completions import DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS, MAX_TYPED_CHARS
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


@api.get("/api/suggest")
def api_suggest() -> Any:
    """Phrases of the archive continuing `q`, for the search box's suggestions."""
    typed = request.args.get("q", "")
    if len(typed) > MAX_TYPED_CHARS:
        raise SearchRequestError(
            f"q is too long for suggestions: {len(typed)} characters, at most {MAX_TYPED_CHARS}"
        )
    raw_limit = request.args.get("limit", "").strip()
    limit = DEFAULT_SUGGESTIONS
    if raw_limit:
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_SUGGESTIONS:
            raise SearchRequestError(
                f"limit must be a whole number from 1 to {MAX_SUGGESTIONS}, got {raw_limit[:40]!r}"
            )
        limit = int(raw_limit)
    suggestions = get_engine().suggest(typed, limit)
    response = jsonify(query=typed, suggestions=[item.to_dict() for item in suggestions])
    # The same prefix is typed again and again: let the browser keep answers a while.
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


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
    return jsonify(
        status="ok", generation=engine.generation, semantic=engine.semantic_active,
        vocabulary=engine.vocabulary,
    )
