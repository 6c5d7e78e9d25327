"""One reindex at a time: `INDEX_DIR/reindex.lock`.

The lock is `fcntl.flock` on the open file, so the kernel releases it when the holder
dies, even by kill -9: a lock file left behind never blocks. Inside the file the holder
writes its pid, host and start time, so a second reindex can say who is running.
The file itself is never deleted (deleting it would let two processes lock two
different files of the same name).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from search.index.generations import LOCK_FILE

# File descriptors of locks this process holds; forked workers close their copies so an
# orphaned worker can never keep the lock alive.
_held_fds: set[int] = set()


class ReindexLockedError(RuntimeError):
    """Another reindex holds the lock; the message names it and how to recover."""


@contextlib.contextmanager
def reindex_lock(index_dir: Path) -> Iterator[dict[str, object]]:
    """Hold the reindex lock for the block, or raise ReindexLockedError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        os.close(fd)
        raise ReindexLockedError(
            f"another reindex is running ({describe_holder(holder)}); "
            f"wait for it or stop it (lock file {path})"
        ) from None
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
    _held_fds.add(fd)
    try:
        yield holder
    finally:
        _held_fds.discard(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last descriptor releases the flock


def close_inherited_locks() -> None:
    """In a forked child: drop this process's copies of held lock descriptors."""
    for fd in list(_held_fds):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_fds.clear()


def lock_holder(index_dir: Path) -> dict[str, object] | None:
    """Who holds the lock now, or None when no reindex is running."""
    path = index_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def describe_holder(holder: dict[str, object]) -> str:
    if not holder:
        return "pid unknown: it has only just started"
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"


def _read_holder(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
