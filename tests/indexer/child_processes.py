"""Child processes for tests that are always cleaned up, and a look at their children.

`spawned` starts a command in its own session (so its process group holds it and every
process it forks) and, whatever the test does, kills that whole group and waits for the
child: no test can leave a worker behind to disturb the next one. Waits are generous
(a loaded machine is slow), never endless.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

WAIT_SECONDS = 120  # for a child to finish after being told to; a loaded CI machine is slow


@contextlib.contextmanager
def spawned(argv: Sequence[str], **popen: object) -> Iterator[subprocess.Popen]:
    """`subprocess.Popen(argv)` in a new session; on exit its process group is killed
    and the child waited for, and its pipes are closed."""
    child = subprocess.Popen(list(argv), start_new_session=True, **popen)  # type: ignore[call-overload]
    try:
        yield child
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # the child and anything it forked
        try:
            child.wait(timeout=WAIT_SECONDS)
        finally:
            for pipe in (child.stdin, child.stdout, child.stderr):
                if pipe is not None:
                    pipe.close()


def children_of(pid: int) -> dict[int, str]:
    """Live processes whose parent is `pid`, with their start time (field 22 of
    /proc/PID/stat, so a reused pid is never mistaken for the same process)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and int(fields[1]) == pid and fields[0] != "Z":
                found[int(entry.name)] = fields[19]
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """Which of `processes` (from children_of) still run; zombies count as ended."""
    alive = []
    for pid, started in processes.items():
        fields = _stat_fields(pid)
        if fields and fields[19] == started and fields[0] != "Z":
            alive.append(pid)
    return alive


def wait_for(condition: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: [state, ppid, ...], or None if gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()
