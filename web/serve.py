"""`qasearch serve`: the web app under gunicorn, through gunicorn's Python API.

The app factory runs in each worker after the fork (no preloading), so every worker
opens its own SearchEngine; each request refreshes it, so a reindex that switches the
index to a new generation is picked up without a restart.

Workers are gevent ones (web.gunicorn_worker says why): a slow client holds a greenlet,
never a worker, and must send each request head within HEAD_TIMEOUT seconds. The request
size limits come from web.limits, so gunicorn admits every query the API accepts.
Metrics: the server gets a private directory for prometheus_client's multiprocess files
(PROMETHEUS_MULTIPROC_DIR), set before any worker starts and removed when it stops.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from search.index.generations import IndexUnavailableError, current_generation
from web.limits import LIMIT_REQUEST_FIELD_SIZE, LIMIT_REQUEST_FIELDS, LIMIT_REQUEST_LINE

# The whole request head (and, on a kept-alive connection, the wait for the next request)
# must arrive within this many seconds; a browser sends it in one packet.
HEAD_TIMEOUT = 5
WORKER_CLASS = "web.gunicorn_worker.QasearchWorker"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus_client when first imported


class QasearchServer(BaseApplication):
    """gunicorn with our settings and our app factory; ignores gunicorn's own argv."""

    def __init__(self, app_config: dict[str, Any], options: dict[str, Any]) -> None:
        self.app_config = app_config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from web.app import create_app

        return create_app(self.app_config)


def forget_dead_worker(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook (in the master): drop the worker's live-gauge files."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def gunicorn_options(*, host: str, port: int, workers: int, timeout: int) -> dict[str, Any]:
    """The gunicorn settings `qasearch serve` runs with."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": WORKER_CLASS,
        # A search is milliseconds; a worker stuck for this long is killed and replaced.
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": HEAD_TIMEOUT,  # the gevent worker's deadline for every request head
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        "limit_request_fields": LIMIT_REQUEST_FIELDS,
        "preload_app": False,
        # The app logs requests itself (web.access_log): gunicorn's line would carry the
        # client address and the query text.
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "qasearch",
        "child_exit": forget_dead_worker,
        # gunicorn 27 opens a control socket under ~/.gunicorn by default, shared by every
        # instance of the user; we have no use for it, and tests run several servers at once.
        "control_socket_disable": True,
    }


@click.command("serve")
@click.option(
    "--index",
    "index_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Index directory written by `qasearch reindex`.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one; the log names it).",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds before a silent worker is restarted.",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    help="Log each request to stdout: request id, route, status, latency.",
)
@click.option(
    "--log-queries",
    is_flag=True,
    help="Also log each request's query text and client address (private: off by default).",
)
def serve_command(
    index_dir: Path, host: str, port: int, workers: int, timeout: int, access_log: bool,
    log_queries: bool,
) -> None:
    """Serve the search site, the JSON API and /metrics under gunicorn."""
    try:
        generation = current_generation(index_dir)
    except IndexUnavailableError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"serving index {index_dir} (generation {generation.name})", err=True)
    options = gunicorn_options(host=host, port=port, workers=workers, timeout=timeout)
    app_config = {
        "INDEX_DIR": str(index_dir.resolve()),
        "ACCESS_LOG": access_log or log_queries,
        "LOG_QUERIES": log_queries,
    }
    metrics_dir = tempfile.mkdtemp(prefix="qasearch-metrics-")  # mode 0700: ours alone
    os.environ[MULTIPROC_ENV] = metrics_dir
    master = os.getpid()
    try:
        QasearchServer(app_config, options).run()
    finally:
        # Workers are forked inside run() and leave it through here too (SystemExit):
        # only the master, once every worker is gone, removes the directory.
        if os.getpid() == master:
            shutil.rmtree(metrics_dir, ignore_errors=True)
