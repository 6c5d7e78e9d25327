"""Single-threaded BLAS while the encoder runs: it runs its own threads, one batch each.

Why: numpy runs element-wise work (softmax, GELU, layer norm) on one core, and OpenBLAS
splits even the attention's tiny matrix products across threads that spin while they
wait. One batch per core with one BLAS thread each keeps both cores busy; with other
processes on the cores it did about 1.8 times as many texts per CPU second. For one
short query under such load, two BLAS threads took a median 177 ms, one 24 ms.

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
_limiter: Any = None  # threadpoolctl's limiter while _users > 0
_controller: Any = None  # threadpoolctl.ThreadpoolController: finds the BLAS libraries once


def usable_cores() -> int:
    """CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    global _users, _limiter, _controller
    with _lock:
        if _users == 0:
            if _controller is None:
                from threadpoolctl import ThreadpoolController

                _controller = ThreadpoolController()
            _limiter = _controller.limit(limits=1, user_api="blas")
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                _limiter.restore_original_limits()
                _limiter = None
