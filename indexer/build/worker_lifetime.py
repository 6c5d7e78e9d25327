"""Index workers never outlive the reindex that forked them.

A worker killed with its parent mid-build would otherwise wait forever: a `kill -9` of
the parent can land while a batch is half written into the job pipe, and the worker
then blocks in a read of the rest that no timeout covers (every worker holds the pipe's
write end too, so no end-of-file comes either), holding memory and deleted index files.

Two guards, set up first thing in each worker:

- Linux's `prctl(PR_SET_PDEATHSIG, SIGKILL)`: the kernel kills the worker the moment the
  thread that forked it dies, however it dies, even while the worker blocks in a read;
- a watchdog thread that checks the parent pid twice a second and ends the process,
  for systems without prctl (and in case the parent died before prctl was armed).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> bool:
    """In a freshly forked worker: arrange to end when `parent_pid` ends.

    Returns whether the kernel guard (prctl) is armed; the watchdog runs either way.
    Exits at once if the parent is already gone.
    """
    armed = _set_parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)  # died between the fork and arming: nobody would ever stop us
    watchdog = threading.Thread(
        target=_watch, args=(parent_pid,), name="parent-watchdog", daemon=True
    )
    watchdog.start()
    return armed


def _set_parent_death_signal(signum: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)  # the parent is gone (we were re-parented): stop without cleanup
