"""The Flask application factory: configuration in, app out, nothing global at import.

    create_app({"INDEX_DIR": "data/index"})

The engine itself is held per process by web.engine_holder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from search.index.generations import IndexUnavailableError
from search.request import MAX_QUERY_CHARS, SearchRequestError
from web.api import api
from web.engine_holder import EngineHolder, default_engine_factory
from web.views import views

DEFAULT_CONFIG: dict[str, Any] = {
    "INDEX_DIR": None,  # the index directory (holding CURRENT); required to search
    "PER_PAGE": 10,  # results per page when the URL does not say
    "MAX_PER_PAGE": 50,  # a larger per_page is a 400, not silently cut
    "DOCTOR_FACET_SIZE": 10,  # doctors shown before "show all"
    "SIMILAR_LIMIT": 5,  # "Similar questions" on a thread page
    "ENGINE_FACTORY": None,  # callable(index_dir) -> engine; tests inject their own
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
}

# Sent with every response. No inline script or style anywhere, so 'self' suffices.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A configured app. `config` overrides DEFAULT_CONFIG (keys as listed there)."""
    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    if config:
        app.config.update(config)
    app.config["DEBUG"] = False  # never: the debugger would show tracebacks to anyone
    app.json.sort_keys = False  # keep the engine's order (facets by count)
    app.jinja_env.globals["max_query_chars"] = MAX_QUERY_CHARS
    app.extensions["qasearch_engine"] = EngineHolder(
        app.config["ENGINE_FACTORY"] or default_engine_factory, app.config["INDEX_DIR"]
    )
    app.register_blueprint(views)
    app.register_blueprint(api)
    _register_error_handlers(app)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def close_engine(app: Flask) -> None:
    """Close the app's engine: for tests and embedders that create many apps."""
    app.extensions["qasearch_engine"].close()


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _error_response(status: int, message: str, title: str) -> ResponseReturnValue:
    if _wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("error.html", status=status, title=title, message=message), status


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(SearchRequestError)
    def bad_search(error: SearchRequestError) -> ResponseReturnValue:
        return _error_response(400, str(error), "That search could not be run")

    @app.errorhandler(IndexUnavailableError)
    def no_index(error: IndexUnavailableError) -> ResponseReturnValue:
        app.logger.warning("index unavailable: %s", error)
        return _error_response(
            503,
            "The search index is not available right now. "
            "If you run this server, build the index with `qasearch reindex` and reload.",
            "Search is unavailable",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        titles = {400: "Bad request", 404: "Page not found", 405: "Method not allowed"}
        return _error_response(
            status, error.description or error.name, titles.get(status, error.name)
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        # The traceback goes to the log only; the client learns nothing about internals.
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _error_response(
            500, "Something went wrong on our side. Please try again.", "Something went wrong"
        )
