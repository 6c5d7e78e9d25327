"""Processes a test starts in the background: their output read into lists by threads
(so none ever blocks on a full pipe), all stopped in reverse order whatever happens."""

from __future__ import annotations

import signal
import subprocess
import threading

from live_server import LiveServer


class Processes:
    """Every process the test starts, its output read into lists by threads (so no
    process ever blocks on a full pipe), stopped in reverse order whatever happens."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen | LiveServer] = []
        self.output: dict[int, list[str]] = {}
        self.changed = threading.Condition()
        self._readers: list[threading.Thread] = []

    def popen(self, command: list[str]) -> subprocess.Popen:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)  # fmt: skip
        self.started.append(process)
        self.output[process.pid] = lines = []
        reader = threading.Thread(target=self._read, args=(process, lines), daemon=True)
        reader.start()
        self._readers.append(reader)
        return process

    def add(self, server: LiveServer) -> LiveServer:
        self.started.append(server)
        return server

    def _read(self, process: subprocess.Popen, lines: list[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self.changed:
                lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for_line(self, process: subprocess.Popen, text: str, timeout: float) -> bool:
        lines = self.output[process.pid]
        with self.changed:
            return self.changed.wait_for(lambda: text in lines, timeout)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if isinstance(process, LiveServer):
                process.stop()
            elif process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for reader in self._readers:  # the pipes are at their end once the processes are
            reader.join(10)
        for process in self.started:
            if isinstance(process, subprocess.Popen) and process.stdout is not None:
                process.stdout.close()
