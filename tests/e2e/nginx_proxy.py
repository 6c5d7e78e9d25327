"""Debian's nginx with the shipped site config (deploy/nginx/qasearch.conf), in a temp dir.

Rendered the way the README says, wrapped in a minimal nginx.conf whose pid file, temp
paths, logs and listen port all live in `work_dir`, run in the foreground as a child of
the test (never the system service) and stopped by `stop()`.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

import web.app

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "qasearch.conf"
STATIC_ROOT = Path(web.app.__file__).resolve().parent / "static"

ACCESS_LINE = re.compile(r'(\S+) \S+ \S+ \[[^]]*\] "[^"]*" (\d{3}) ')  # nginx's "combined"
MAIN_CONFIG = """\
daemon off;
worker_processes 1;
{user}
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/qasearch.conf;
}}
"""


def require_nginx() -> None:
    """Skip without Debian's nginx; in CI, where .ci/install-system-deps installs it, fail."""
    if not Path(NGINX).is_file():
        message = f"{NGINX} is missing: apt-get install nginx (.ci/install-system-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the deployment tests, but {message}")
        pytest.skip(message)


def render_site(*, listen: str, server_name: str, upstream: str, static_root: Path) -> str:
    """The site config with its placeholders filled, as an operator's sed would."""
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("LISTEN", listen), ("SERVER_NAME", server_name),
                        ("UPSTREAM", upstream), ("STATIC_ROOT", str(static_root))):  # fmt: skip
        text = text.replace(f"@{name}@", value)
    return text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NginxProxy:
    """nginx on 127.0.0.1:<free port> in front of `upstream` (host:port); `url` is its address."""

    def __init__(self, upstream: str, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.process: subprocess.Popen[bytes] | None = None
        work_dir.mkdir(parents=True, exist_ok=True)
        # As root, nginx's workers switch to `user`: keep them as us, so they can read the
        # static files and write the temp paths here.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        (work_dir / "nginx.conf").write_text(MAIN_CONFIG.format(dir=work_dir, user=user))
        for _attempt in range(3):  # a free port can be taken between probe and bind
            self.port = free_port()
            site = render_site(listen=f"127.0.0.1:{self.port}", server_name="localhost",
                               upstream=upstream, static_root=STATIC_ROOT)  # fmt: skip
            (work_dir / "qasearch.conf").write_text(site)
            if self._start():
                return
        raise RuntimeError(f"nginx did not start:\n{self.error_log()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start(self) -> bool:
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.work_dir), "-c", str(self.work_dir / "nginx.conf"),
             "-e", str(self.work_dir / "error.log")],  # fmt: skip
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stop() can reach the workers too
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.05)
        self.stop()
        return False

    def access_log_statuses(self) -> list[tuple[str, int]]:
        """(client address, status) of every request in nginx's access log so far."""
        path = self.work_dir / "access.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return [(match[1], int(match[2])) for line in lines
                if (match := ACCESS_LINE.match(line))]  # fmt: skip

    def error_log(self) -> str:
        path = self.work_dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """SIGQUIT (graceful), then SIGKILL to the whole group if nginx is still there."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # finish the requests in flight, then exit
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # any worker left behind
        process.wait()
