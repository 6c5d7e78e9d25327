"""The BLAS thread limits: counted while encoding, for good in a web worker."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from gunicorn.workers.ggevent import GeventWorker

import web.gunicorn_worker
from web.gunicorn_worker import QasearchWorker

CHILD = textwrap.dedent(
    """
    import numpy
    from threadpoolctl import threadpool_info
    from search.semantic.blas import one_blas_thread_for_good, single_threaded_blas

    def blas_threads():
        return sorted({pool["num_threads"] for pool in threadpool_info()
                       if pool["user_api"] == "blas"})

    print(blas_threads())
    one_blas_thread_for_good()
    print(blas_threads())
    with single_threaded_blas():  # what every encode() does
        pass
    print(blas_threads())
    """
)


def test_one_blas_thread_for_good_outlives_the_encoders_limit() -> None:
    # In a child: the limit is for the process's whole life, and it needs two cores to
    # show, so the child is told it has two whatever this machine has.
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          env={"OPENBLAS_NUM_THREADS": "2", "PATH": ""}, check=True,
                          cwd=Path(__file__).parents[2])
    before, limited, after_encoding = done.stdout.split("\n")[:3]
    assert before == "[2]"
    assert limited == "[1]"
    assert after_encoding == "[1]"  # lifting the encoder's limit does not bring back two


def test_each_web_worker_limits_blas_before_it_serves(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(web.gunicorn_worker, "one_blas_thread_for_good",
                        lambda: calls.append("blas"))
    monkeypatch.setattr(GeventWorker, "init_process", lambda self: calls.append("serve"))
    QasearchWorker.__new__(QasearchWorker).init_process()
    assert calls == ["blas", "serve"]
