"""Errors as the client should see them: JSON under `/api/` (and `/healthz`), a page elsewhere.

Every status the API can answer has the same JSON shape,
{"error": {"status": 405, "message": "..."}}, with the headers the status calls for
(`Allow` on a 405). No message names internals; tracebacks go to the log only.
Requests too big to be a search are refused here, before any view runs, with the same
limits gunicorn applies (web.limits), so other servers and the test client agree.
"""

from __future__ import annotations

from flask import Flask, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from search.index.generations import IndexUnavailableError
from search.request import MAX_QUERY_CHARS, SearchRequestError
from web.limits import MAX_CONTENT_LENGTH, MAX_REQUEST_TARGET_BYTES

TITLES = {
    400: "Bad request",
    404: "Page not found",
    405: "Method not allowed",
    413: "Request too large",
    414: "Address too long",
    429: "Too many requests",
}


def register_error_handlers(app: Flask) -> None:
    """The size guard and the error handlers of `app`."""
    app.before_request(refuse_oversized_requests)

    @app.errorhandler(SearchRequestError)
    def bad_search(error: SearchRequestError) -> ResponseReturnValue:
        return error_response(400, str(error), "That search could not be run")

    @app.errorhandler(IndexUnavailableError)
    def no_index(error: IndexUnavailableError) -> ResponseReturnValue:
        app.logger.warning("index unavailable: %s", error)
        return error_response(
            503,
            "The search index is not available right now. "
            "If you run this server, build the index with `qasearch reindex` and reload.",
            "Search is unavailable",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        # The status's own headers (Allow on a 405, Retry-After...), not its HTML body.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        body, status = error_response(
            status, error.description or error.name, TITLES.get(status, error.name)
        )
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        # The traceback goes to the log only; the client learns nothing about internals.
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            500, "Something went wrong on our side. Please try again.", "Something went wrong"
        )


def refuse_oversized_requests() -> None:
    """414 for a URL longer than any search needs, 413 for a body (nothing takes one)."""
    target = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if len(target) > MAX_REQUEST_TARGET_BYTES:
        abort(
            414,
            description=f"the address is {len(target)} bytes long, at most "
            f"{MAX_REQUEST_TARGET_BYTES} are accepted: shorten the query (at most "
            f"{MAX_QUERY_CHARS} characters) or use fewer filters",
        )
    if (request.content_length or 0) > MAX_CONTENT_LENGTH:
        abort(
            413,
            description=f"the request body is {request.content_length} bytes; nothing here "
            f"takes one larger than {MAX_CONTENT_LENGTH}",
        )


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str, title: str) -> tuple[ResponseReturnValue, int]:
    if wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("error.html", status=status, title=title, message=message), status
