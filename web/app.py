"""The Flask application factory: configuration in, app out, nothing global at import.

    create_app({"INDEX_DIR": "data/index"})

The engine itself is held per process by web.engine_holder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response

from search.request import MAX_QUERY_CHARS
from web.access_log import init_access_log
from web.api import api
from web.engine_holder import EngineHolder, default_engine_factory
from web.errors import register_error_handlers
from web.limits import MAX_CONTENT_LENGTH
from web.metrics import init_metrics
from web.views import views

DEFAULT_CONFIG: dict[str, Any] = {
    "INDEX_DIR": None,  # the index directory (holding CURRENT); required to search
    "PER_PAGE": 10,  # results per page when the URL does not say
    "MAX_PER_PAGE": 50,  # a larger per_page is a 400, not silently cut
    "DOCTOR_FACET_SIZE": 10,  # doctors shown before "show all"
    "SIMILAR_LIMIT": 5,  # "Similar questions" on a thread page
    "ENGINE_FACTORY": None,  # callable(index_dir) -> engine; tests inject their own
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
    "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
    "ACCESS_LOG": False,  # one line per request on the "qasearch.access" logger
    "LOG_QUERIES": False,  # ... with the query text and client address (off: they are private)
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
    init_access_log(app)  # first: its timer starts before the other hooks run
    init_metrics(app)
    app.register_blueprint(views)
    app.register_blueprint(api)
    register_error_handlers(app)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def close_engine(app: Flask) -> None:
    """Close the app's engine: for tests and embedders that create many apps."""
    app.extensions["qasearch_engine"].close()
