"""`qasearch serve`: the web app under gunicorn, through gunicorn's Python API.

The app factory runs in each worker after the fork (no preloading), so every worker
opens its own SearchEngine; each request refreshes it, so a reindex that switches the
index to a new generation is picked up without a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from search.index.generations import IndexUnavailableError, current_generation


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


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool
) -> dict[str, Any]:
    """The gunicorn settings `qasearch serve` runs with."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        # A search is milliseconds; a worker stuck for this long is killed and replaced.
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        "preload_app": False,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "proc_name": "qasearch",
    }
    # gunicorn 27 opens a control socket under ~/.gunicorn by default, shared by every
    # instance of the user; we have no use for it, and tests run several servers at once.
    options["control_socket_disable"] = True
    return options


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
    "--threads", default=1, show_default=True, type=click.IntRange(1, 64), help="Per worker."
)
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds before a silent worker is restarted.",
)
@click.option("--access-log/--no-access-log", default=False, help="Log each request to stdout.")
def serve_command(
    index_dir: Path,
    host: str,
    port: int,
    workers: int,
    threads: int,
    timeout: int,
    access_log: bool,
) -> None:
    """Serve the search site and JSON API under gunicorn."""
    try:
        generation = current_generation(index_dir)
    except IndexUnavailableError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"serving index {index_dir} (generation {generation.name})", err=True)
    options = gunicorn_options(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        timeout=timeout,
        access_log=access_log,
    )
    QasearchServer({"INDEX_DIR": str(index_dir.resolve())}, options).run()
