"""One access-log line per request, with a request id, and the request's timer.

    request_id=3f2a... method=GET route=/api/search status=200 duration_ms=4.2

The route is the URL rule (`/thread/<thread_id>`), never the raw path, and the line has
neither the query text nor the client's address: what people search for about their
health is private. An operator who needs them turns on LOG_QUERIES (`qasearch serve
--log-queries`), which adds `client=` and `target=`.

The request id is taken from an incoming X-Request-ID (nginx sends its $request_id) when
it looks like one, else made here, and sent back in the response's X-Request-ID, so a
user's report, nginx's log and this log can be matched.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
ACCESS_LOGGER = "qasearch.access"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
UNMATCHED_ROUTE = "<unmatched>"  # 404s and 405s: no rule, and the raw path is not a label


def init_access_log(app: Flask) -> None:
    """Give every request an id and a timer; log a line per request if ACCESS_LOG is set."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if app.config["ACCESS_LOG"] and not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def log_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        if app.config["ACCESS_LOG"]:
            line = (
                f"request_id={g.get('request_id', '-')} method={request.method} "
                f"route={route_label()} status={response.status_code} "
                f"duration_ms={elapsed_seconds() * 1000:.1f}"
            )
            if app.config["LOG_QUERIES"]:
                line += f" client={request.remote_addr} target={request.full_path!r}"
            logger.info(line)
        return response


def route_label() -> str:
    """The matched URL rule, e.g. `/api/thread/<thread_id>`: bounded, and never user text."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED_ROUTE


def elapsed_seconds() -> float:
    """Seconds since this request started (0 if it never reached the app's first hook)."""
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0
