"""Running out of disk space during a reindex: recognised wherever it happens, told in
one line.

A full build writes Whoosh segments (in the workers or in-process), sqlite shards and
their merge into the thread store, the table of contents, meta.json, and fsyncs all of
it; any of these can meet a full disk. Whoosh and the os say so with OSError(ENOSPC),
sqlite with `sqlite3.OperationalError: database or disk is full` (SQLITE_FULL). The
half-built generation is deleted (which gives the space back) and the live one is not
touched, so the run fails with a message saying what to do, not a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from indexer.build.reindex_summary import ReindexError

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_SQLITE_FULL = 13  # SQLITE_FULL, sqlite3.OperationalError.sqlite_errorcode on 3.11+


class OutOfSpaceError(ReindexError):
    """The disk (or the user's quota) filled up; nothing live was changed."""


def is_disk_full(error: BaseException) -> bool:
    """True for the ways Whoosh, the os and sqlite report a full disk or quota."""
    if isinstance(error, OSError):
        return error.errno in _FULL_ERRNOS
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        return code == _SQLITE_FULL or "database or disk is full" in str(error)
    return False


def out_of_space(
    error: BaseException, index_dir: Path, *, incremental: bool = False
) -> OutOfSpaceError:
    """The one-line error a full disk gives: where, and what to do."""
    detail = getattr(error, "strerror", None) or str(error) or "no space left on device"
    if incremental:
        outcome = "run it again once there is space (the next run completes the update)"
    else:
        outcome = "the live index is unchanged; free some space and run it again"
    return OutOfSpaceError(f"out of disk space in {index_dir} ({detail}); {outcome}")
