"""Web throughput: `wrk` against `qasearch serve --workers 2` on a free local port.

Two runs over the query mix, each with its own list of request paths that a wrk Lua
script (walk_paths.lua) walks in order:

- `distinct`: every URL different, so no cache of any kind can answer from memory;
- `zipf`: queries repeat with a Zipf-like skew (a few popular, a long tail), as real
  traffic does.

Before measuring, a short wrk run over separate warm-up paths lets both workers open
their searchers. After the runs, the RSS and PSS of every gunicorn process are read from
/proc (smaps_rollup).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.processes import command_line, memory_rollup, parent_pid, process_tree, rss_bytes

WRK = "/usr/bin/wrk"
LUA_SCRIPT = Path(__file__).with_name("walk_paths.lua")
MB = 1024 * 1024


class WebBenchError(RuntimeError):
    """The server would not start or wrk failed; the message says which and why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(
    index_dir: Path, *, workers: int, log_dir: Path, startup_timeout_s: float = 90
) -> Iterator[tuple[str, int]]:
    """Start `qasearch serve`, wait until it answers, yield (base URL, server pid), stop it."""
    port = free_port()
    qasearch = str(Path(sys.executable).with_name("qasearch"))
    command = [qasearch, "serve", "--index", str(index_dir), "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / "serve.log", "ab")  # noqa: SIM115 - closed in finally
    # Its own session, so stopping it reaches the gunicorn workers too (by our pid).
    server = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(server, f"{base_url}/api/search?q=ready", startup_timeout_s, log_dir)
        yield base_url, server.pid
    finally:
        _stop(server)
        log.close()


def gunicorn_memory(server_pid: int) -> dict[str, Any]:
    """RSS and PSS of each process under the server: the workers are the tree's leaves.

    RSS counts every page a worker has mapped, the index pages it shares with the other
    workers through the page cache included; PSS divides each shared page among the
    processes mapping it, so the workers' PSS add up to what they really occupy.
    """
    tree = process_tree(server_pid)
    parents = {pid for pid in tree if any(parent_pid(other) == pid for other in tree)}
    processes = []
    for pid in tree:
        role = "worker" if pid not in parents and pid != server_pid else "master"
        rollup = memory_rollup(pid)
        processes.append({
            "pid": pid, "role": role,
            "rss_mb": rollup.get("rss_mb", round(rss_bytes(pid) / MB, 1)),
            **{key: value for key, value in rollup.items() if key != "rss_mb"},
            "command": command_line(pid)[:120],
        })  # fmt: skip
    workers = [p for p in processes if p["role"] == "worker"]
    rss = [p["rss_mb"] for p in workers]
    pss = [p["pss_mb"] for p in workers if "pss_mb" in p]
    return {
        "processes": processes,
        "workers_rss_mb": rss,
        "max_worker_rss_mb": max(rss, default=0.0),
        "workers_pss_mb": pss,
        "max_worker_pss_mb": max(pss, default=None),
        # Anonymous memory is each worker's own (numpy columns, Python objects, caches).
        "workers_pss_anon_mb": [p["pss_anon_mb"] for p in workers if "pss_anon_mb" in p],
        "workers_pss_file_mb": [p["pss_file_mb"] for p in workers if "pss_file_mb" in p],
    }


def run_wrk(
    base_url: str,
    paths: Sequence[str],
    *,
    duration_s: int,
    connections: int,
    threads: int,
    work_dir: Path,
    name: str,
) -> dict[str, Any]:
    """One wrk run over `paths`; wrk's own figures plus whether the path list wrapped."""
    paths_file = work_dir / f"{name}-paths.txt"
    paths_file.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency",
               "-s", str(LUA_SCRIPT), base_url, "--", str(paths_file), str(threads)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 120)
    (work_dir / f"{name}-wrk.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise WebBenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return parse_wrk_output(done.stdout, len(paths))


def parse_wrk_output(output: str, paths_available: int) -> dict[str, Any]:
    """Figures from wrk's text (requests/s) and the script's BENCH_JSON line (the rest)."""
    match = re.search(r"^BENCH_JSON (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise WebBenchError(f"no BENCH_JSON line in wrk's output:\n{output[-1000:]}")
    raw = json.loads(match.group(1))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    duration_s = raw["duration_us"] / 1e6
    socket_errors = sum(raw[key] for key in ("connect_errors", "read_errors", "write_errors",
                                             "timeouts"))  # fmt: skip
    return {
        "requests": raw["requests"],
        "duration_s": round(duration_s, 2),
        "requests_per_s": float(rate.group(1)) if rate else round(raw["requests"] / duration_s, 2),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "max_ms": raw["max_us"] / 1000,
        "not_2xx": raw["not_2xx"],
        "socket_errors": {
            "connect": raw["connect_errors"], "read": raw["read_errors"],
            "write": raw["write_errors"], "timeout": raw["timeouts"],
        },  # fmt: skip
        "errors": raw["not_2xx"] + socket_errors,
        "paths_available": paths_available,
        "requests_sent": raw["sent"],
        # True when wrk sent more requests than there were paths, so some repeated.
        "paths_wrapped": raw["sent"] > paths_available,
    }


def web_figures(
    index_dir: Path,
    *,
    distinct_paths: Sequence[str],
    zipf_paths: Sequence[str],
    warmup_paths: Sequence[str],
    duration_s: int,
    work_dir: Path,
    workers: int = 2,
    connections: int = 20,
    wrk_threads: int = 2,
) -> dict[str, Any]:
    """The web section of the results: both wrk runs and the workers' memory after them."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with running_server(index_dir, workers=workers, log_dir=work_dir) as (base_url, pid):
        run_wrk(base_url, warmup_paths, duration_s=3, connections=4, threads=2,
                work_dir=work_dir, name="warmup")  # fmt: skip
        figures: dict[str, Any] = {
            "workers": workers,
            "connections": connections,
            "wrk_threads": wrk_threads,
            "duration_s": duration_s,
        }
        for name, paths in (("distinct", distinct_paths), ("zipf", zipf_paths)):
            # wrk stops with up to `connections` requests still queued at the server;
            # let them drain so one run's backlog is not charged to the next.
            _wait_until_idle(f"{base_url}/api/search?q=ready")
            figures[name] = run_wrk(base_url, paths, duration_s=duration_s,
                                    connections=connections, threads=wrk_threads,
                                    work_dir=work_dir, name=name)  # fmt: skip
        figures["memory"] = gunicorn_memory(pid)
    return figures


def _wait_until_ready(
    server: subprocess.Popen[bytes], url: str, timeout_s: float, log_dir: Path
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise WebBenchError(
                f"`qasearch serve` exited with {server.returncode}; see {log_dir / 'serve.log'}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise WebBenchError(f"server did not answer {url} within {timeout_s:.0f} s")


def _wait_until_idle(url: str, timeout_s: float = 120, fast_s: float = 0.5) -> None:
    """Return once a cheap request is answered quickly (the server's queue is empty)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - start < fast_s:
            return
    raise WebBenchError(f"server still busy after {timeout_s:.0f} s: {url}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)  # the session we started: the server and its workers
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue
