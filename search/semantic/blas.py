"""Single-threaded BLAS while the encoder runs its own threads, one batch each.

Why: numpy runs element-wise work (softmax, GELU, layer norm) on one core, and OpenBLAS
splits even the attention's tiny matrix products across threads that spin while they
wait. One batch per core with one BLAS thread each keeps both cores busy all the time;
under load from other processes it did about 1.8 times as many texts per CPU second.

The BLAS thread count is process-wide, so the limit is counted: it is set by the first
encode() that needs it and lifted when the last one still using it ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_users = 0
_limiter: Any = None  # a threadpoolctl.threadpool_limits while _users > 0


def usable_cores() -> int:
    """CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    global _users, _limiter
    with _lock:
        if _users == 0:
            from threadpoolctl import threadpool_limits

            _limiter = threadpool_limits(limits=1, user_api="blas")
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                _limiter.restore_original_limits()
                _limiter = None
