"""Making, finishing and deleting generation directories under INDEX_DIR.

Retention: after a switch the new generation and the one it replaced are kept; older
generations are deleted at once. The replaced one stays so a server that opened it just
before the switch can finish its requests; it is deleted by the next reindex if CURRENT
was switched more than RETIRED_GRACE_SECONDS ago (CURRENT's mtime is the switch time),
otherwise by the reindex after that.

Debris: a `building-<stamp>-<pid>` directory left by a builder that died (a crash,
kill -9, Ctrl-C) is deleted at the start of the next reindex. That runs under the
reindex lock, so no builder can be alive then; the pid in the name is only a hint for
people looking at the directory (and a reused pid must not keep debris forever).
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from search.index.generations import (
    BUILDING_PREFIX,
    CURRENT_FILE,
    GENERATION_PREFIX,
    current_generation_name,
)

RETIRED_GRACE_SECONDS = 600


def new_building_dir(index_dir: Path) -> Path:
    """A fresh, uniquely named `building-<stamp>-<pid>` directory."""
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = index_dir / f"{BUILDING_PREFIX}{stamp}-{os.getpid()}"
    path.mkdir()
    return path


def finished_name(building: Path) -> str:
    """`building-<stamp>-<pid>` -> `gen-<stamp>`: generations sort by build time."""
    stamp = building.name[len(BUILDING_PREFIX) :].rsplit("-", 1)[0]
    return f"{GENERATION_PREFIX}{stamp}"


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def remove_debris(index_dir: Path) -> list[str]:
    """Delete every building dir; call only while holding the reindex lock."""
    removed = []
    for path in sorted(index_dir.glob(f"{BUILDING_PREFIX}*")):
        remove_tree(path)
        removed.append(path.name)
    return removed


def remove_old_generations(index_dir: Path, *, keep_previous: bool = True) -> list[str]:
    """Delete generations other than the live one and (within its grace) the previous one."""
    live = current_generation_name(index_dir)
    generations = sorted(
        p for p in index_dir.glob(f"{GENERATION_PREFIX}*") if p.is_dir() and p.name != live
    )
    keep: set[str] = set()
    if keep_previous and generations and not _switched_long_ago(index_dir):
        keep.add(generations[-1].name)
    removed = []
    for path in generations:
        if path.name not in keep:
            remove_tree(path)
            removed.append(path.name)
    return removed


def _switched_long_ago(index_dir: Path) -> bool:
    try:
        switched = (index_dir / CURRENT_FILE).stat().st_mtime
    except FileNotFoundError:
        return True
    return time.time() - switched > RETIRED_GRACE_SECONDS

