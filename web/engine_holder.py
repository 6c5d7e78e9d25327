"""This process's search engine: created on first use, refreshed once per request.

One SearchEngine per process, created on first use (so a gunicorn worker opens its own
after the fork) and refreshed at the start of every request that uses it, which is how
a running server moves to a generation written by `qasearch reindex` without restart.
The app factory puts an EngineHolder in `app.extensions`; views and the API call
get_engine().
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app, g

from search.index.generations import IndexUnavailableError


def get_engine() -> Any:
    """This process's engine, refreshed once per request (cheap when nothing changed).

    Raises IndexUnavailableError while there is no index; the next request tries again,
    so a server started before the first reindex recovers by itself.
    """
    engine = current_app.extensions["qasearch_engine"].get()
    if not g.get("engine_refreshed"):
        engine.refresh()
        g.engine_refreshed = True
    return engine


class EngineHolder:
    """Creates the engine once per process, on first use, under a lock for threaded
    workers. A failed creation is not remembered, so it is retried next request."""

    def __init__(self, factory: Callable[[Path], Any], index_dir: Any) -> None:
        self._factory = factory
        self._index_dir = Path(index_dir) if index_dir else None
        self._engine: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._engine is None:
            if self._index_dir is None:
                raise IndexUnavailableError("no index configured: set INDEX_DIR")
            with self._lock:
                if self._engine is None:
                    self._engine = self._factory(self._index_dir)
        return self._engine

    def close(self) -> None:
        """Release the engine's files (searcher, thread store); a later request reopens."""
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None and hasattr(engine, "close"):
            engine.close()


def open_engine_now(app: Any) -> str | None:
    """Open `app`'s engine before its first request (a gunicorn worker, before it takes
    connections); returns why it could not (no index yet), and the next request retries."""
    holder = getattr(app, "extensions", {}).get("qasearch_engine")
    if holder is None:
        return "not a qasearch app"
    try:
        holder.get()
    except IndexUnavailableError as error:
        return str(error)
    return None


def default_engine_factory(index_dir: Path) -> Any:
    from search.engine import SearchEngine

    return SearchEngine(index_dir)
