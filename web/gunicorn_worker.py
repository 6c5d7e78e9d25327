"""The gunicorn worker `qasearch serve` runs: gevent's, with gunicorn's refusals as JSON.

Why gevent: every connection is a greenlet, so a slow client holds a few kilobytes, never
a worker or a thread, and gunicorn reads each request head under `gevent.Timeout(keepalive)`
(workers/base_async.py, ggevent.timeout_ctx), a deadline for the whole head that a client
trickling one byte a second cannot stretch. The threaded worker (gthread, gunicorn 27)
waits for the first byte in a poller but then reads the rest of the head in a pool thread
with no deadline: two clients sending half a header block hold two threads for as long as
they like.

Each worker uses one BLAS thread (search.semantic.blas): the workers are one per core.

Each request ends by letting every other connection with a request waiting go first
(gevent.idle), so a busy worker serves its connections in turn.

Each worker opens the index before it takes connections (6 s at 300,000 threads). All
workers wait on one listening socket and a kept-alive connection stays with the worker
that accepted it; while one worker was still opening on its first request, the other
took all 20 connections of a benchmark run (3 runs of 3): one core served, 50 requests/s
instead of 105-125.

Requests gunicorn refuses before the app sees them (a request line or header over the
limits of web.limits, a malformed request) get the app's JSON error shape instead of
gunicorn's HTML page, and the warning logged names no client address.
"""

from __future__ import annotations

import json
from typing import Any

import gevent
from gunicorn import util
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidHeaderName,
    InvalidHTTPVersion,
    InvalidRequestLine,
    InvalidRequestMethod,
    LimitRequestHeaders,
    LimitRequestLine,
)
from gunicorn.workers.ggevent import GeventWorker

from search.request import MAX_QUERY_CHARS
from search.semantic.blas import one_blas_thread_for_good
from web.engine_holder import open_engine_now
from web.limits import LIMIT_REQUEST_FIELD_SIZE, LIMIT_REQUEST_FIELDS, LIMIT_REQUEST_LINE

MALFORMED = (InvalidRequestLine, InvalidRequestMethod, InvalidHTTPVersion, InvalidHeader,
             InvalidHeaderName)  # fmt: skip


def refusal(exc: BaseException) -> tuple[int, str, str] | None:
    """(status, reason, message) for a request gunicorn refuses; None for anything else."""
    if isinstance(exc, LimitRequestLine):
        return 414, "URI Too Long", (
            f"the request line is longer than {LIMIT_REQUEST_LINE} bytes: shorten the query "
            f"(at most {MAX_QUERY_CHARS} characters) or use fewer filters"
        )
    if isinstance(exc, LimitRequestHeaders):
        return 431, "Request Header Fields Too Large", (
            f"the request headers are too large: at most {LIMIT_REQUEST_FIELDS} fields of "
            f"at most {LIMIT_REQUEST_FIELD_SIZE} bytes each"
        )
    if isinstance(exc, MALFORMED):
        return 400, "Bad Request", "the request is not well-formed HTTP/1.1"
    return None


class QasearchWorker(GeventWorker):
    def init_process(self) -> None:
        one_blas_thread_for_good()
        super().init_process()  # runs the worker loop: returns only when it exits

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.notify()
        problem = open_engine_now(self.wsgi)
        if problem is not None:
            self.log.warning("index not opened at boot (%s): each request tries again", problem)
        self.notify()  # the open can take seconds: the arbiter's clock starts again

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        answer = refusal(exc)
        if answer is None:
            super().handle_error(req, client, addr, exc)
            return
        status, reason, message = answer
        self.log.warning("refused a request (%s): %s", status, message)
        body = json.dumps({"error": {"status": status, "message": message}}).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("the client left before its refusal was sent")

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> bool:
        keep_alive = super().handle_request(listener_name, req, sock, addr)
        # Every other connection with a request waiting goes before this one's next.
        # Without this, a keep-alive client whose next request is already in the
        # socket buffer is read at once (gevent's recv does not yield when data is
        # there), so while searches keep the worker busy a few connections are served
        # again and again and the rest wait for seconds: under 20 distinct-query
        # connections at 300,000 threads, p99 1,036 ms and 59 requests past wrk's 2 s
        # timeout; with the turn taken, p99 232-340 ms and none (bench/RESULTS.md).
        gevent.idle()
        return keep_alive
