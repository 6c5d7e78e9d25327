"""The outcome of the last `qasearch reindex` run, kept beside the generations.

    INDEX_DIR/last-reindex.json   {"mode": "full", "outcome": "ok", "started_at": ...,
                                   "finished_at": ..., "duration_seconds": 12.3}

Written by the reindex command whatever happened (a failed run changes no generation, so
only this file remembers it); read by the web's /metrics. Messages stay out of it: the
command's output says what went wrong, this file only says that it did.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STATUS_FILE = "last-reindex.json"
OUTCOMES = ("ok", "failed", "interrupted")


@dataclass(frozen=True)
class ReindexStatus:
    mode: str  # "full" or "incremental"
    outcome: str  # one of OUTCOMES
    started_at: float  # Unix time
    finished_at: float
    duration_seconds: float


def write_reindex_status(index_dir: Path | str, status: ReindexStatus) -> None:
    """Replace the status file atomically (readers see the old or the new one, never half)."""
    path = Path(index_dir) / STATUS_FILE
    tmp = path.with_name(f".{STATUS_FILE}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(asdict(status), sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_reindex_status(index_dir: Path | str) -> ReindexStatus | None:
    """The last run's status, or None when no run recorded one (or the file is unreadable)."""
    try:
        data = json.loads((Path(index_dir) / STATUS_FILE).read_text(encoding="utf-8"))
        status = ReindexStatus(
            mode=str(data["mode"]),
            outcome=str(data["outcome"]),
            started_at=float(data["started_at"]),
            finished_at=float(data["finished_at"]),
            duration_seconds=float(data["duration_seconds"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return status if status.outcome in OUTCOMES else None
