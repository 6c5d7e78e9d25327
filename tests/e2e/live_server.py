"""A real `qasearch serve` (gunicorn) in a subprocess on a free port, for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

LISTENING = re.compile(r"Listening at: (http://[\d.]+:\d+)")


class LiveServer:
    """`qasearch serve --port 0`; `url` is read from gunicorn's "Listening at" line.

    `prefix` runs the server through another command, e.g. `ip netns exec NS` to start
    it inside a network namespace (which `exec`s, so the process is still the server).
    `extra_args` go to `qasearch serve` (e.g. `--access-log`).
    """

    def __init__(
        self, index_dir: Path, workers: int = 2, *,
        host: str = "127.0.0.1", port: int = 0, prefix: tuple[str, ...] = (),
        extra_args: tuple[str, ...] = (),
    ) -> None:
        command = [
            *prefix, sys.executable, "-c", "from web.cli import main; main()",
            "serve", "--index", str(index_dir), "--host", host, "--port", str(port),
            "--workers", str(workers), *extra_args,
        ]  # fmt: skip
        # stdout (the access log, when asked for) joins stderr in `log`. Its own session,
        # so a server that will not stop is killed with its workers.
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.log: list[str] = []
        self.url: str | None = None
        self._ready = threading.Event()
        # Drain the output for the whole run, so gunicorn never blocks on a full pipe.
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        try:
            if not self._ready.wait(30) or self.url is None:
                raise RuntimeError("server did not start:\n" + "".join(self.log))
            self._wait_until_booted(workers)
        except BaseException:
            self.stop()
            raise

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) the server listens on."""
        assert self.url is not None
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)

    def _read_log(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            match = LISTENING.search(line)
            if match:
                self.url = match.group(1)
                self._ready.set()
        self._ready.set()

    def _wait_until_booted(self, workers: int) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if sum("Booting worker" in line for line in self.log) >= workers:
                return
            time.sleep(0.05)
        raise RuntimeError("workers did not boot:\n" + "".join(self.log))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # workers left behind, if any
        self.process.wait()
        self._reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def errors_in_log(self) -> list[str]:
        return [line for line in self.log if "Traceback" in line or "[ERROR]" in line]
