"""Single-threaded BLAS while the encoder runs: it runs its own threads, one batch each.

Why: numpy runs element-wise work (softmax, GELU, layer norm) on one core, and OpenBLAS
splits even the attention's tiny matrix products across threads that spin while they
wait. One batch per core with one BLAS thread each keeps both cores busy; with other
processes on the cores it did about 1.8 times as many texts per CPU second. For one
short query under such load, two BLAS threads took a median 177 ms, one 24 ms.

The BLAS thread count is process-wide, so the limit is counted: it is set by the first
encode() that needs it and lifted when the last one still using it ends. A process that
is one of several on the cores for good (a web worker) limits BLAS for its whole life
instead (`one_blas_thread_for_good`).
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


def _blas_controller() -> Any:
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller


def one_blas_thread_for_good() -> None:
    """One BLAS thread in this process from now on, whatever the encoder does after.

    For web workers, one per core: with its default of one thread per core, OpenBLAS
    made each worker's matrix products spin a second thread on the core the other worker
    needs. At 100,000 threads with vectors, two workers under 20 connections served 10.2
    distinct queries a second with 119 wrk timeouts; with one BLAS thread each, 48.7 and
    none (bench/RESULTS.md).
    """
    import numpy  # noqa: F401 - loads the BLAS library, so that there is one to limit

    with _lock:
        _blas_controller().limit(limits=1, user_api="blas")


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    global _users, _limiter
    with _lock:
        if _users == 0:
            _limiter = _blas_controller().limit(limits=1, user_api="blas")
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                _limiter.restore_original_limits()
                _limiter = None
