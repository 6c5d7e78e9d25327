"""Test hosts on one machine: network namespaces on a private bridge, nothing routed out.

    <prefix>-lan      holds bridge br0, the one wire between the hosts
    <prefix>-<role>   one host: its own loopback and `eth0` (a veth whose peer is on br0),
                      one address in TEST_SUBNET

Every link, address and route is inside namespaces this module made: the root namespace
gets no interface and no route, so no packet of a test can leave the machine or reach
anything but these hosts. Namespaces are named `qasrep-<pid>-...` after the test
process; `remove_leftovers` deletes those of processes that are gone (a run killed
before its teardown), stopping what still runs inside them first.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time

PREFIX = "qasrep-"
TEST_SUBNET = "10.213.0"  # a /24 from the private range, on br0 inside <prefix>-lan only
NAME = re.compile(rf"{PREFIX}(\d+)-[a-z0-9]+")


class NetnsUnavailable(RuntimeError):
    """This machine cannot make network namespaces (not root, no iproute2, no permission)."""


def ip(*args: str) -> str:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise NetnsUnavailable(f"`ip {' '.join(args)}` failed: {done.stderr.strip()}")
    return done.stdout


class TestNetwork:
    """Hosts added by `add_host`, all on one bridge; `teardown` removes every trace."""

    __test__ = False  # not a test class, whatever its name says to pytest

    def __init__(self) -> None:
        self.prefix = f"{PREFIX}{os.getpid()}"
        self.lan = f"{self.prefix}-lan"
        self.hosts: dict[str, str] = {}  # role -> address
        ip("netns", "add", self.lan)
        ip("-n", self.lan, "link", "add", "br0", "type", "bridge")
        ip("-n", self.lan, "link", "set", "br0", "up")

    def namespace(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    def add_host(self, role: str, last_octet: int) -> str:
        """A new host `role` at TEST_SUBNET.last_octet; returns its address."""
        ns, peer, address = self.namespace(role), f"v-{role}", f"{TEST_SUBNET}.{last_octet}"
        ip("netns", "add", ns)
        self.hosts[role] = address
        ip("-n", ns, "link", "set", "lo", "up")
        ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer,
           "netns", self.lan)  # fmt: skip
        ip("-n", self.lan, "link", "set", peer, "master", "br0", "up")
        ip("-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
        ip("-n", ns, "link", "set", "eth0", "up")
        return address

    def run_in(self, role: str) -> tuple[str, ...]:
        """Command prefix that runs a program inside host `role` (ip netns exec execs it)."""
        return ("ip", "netns", "exec", self.namespace(role))

    def teardown(self) -> None:
        for ns in [*map(self.namespace, self.hosts), self.lan]:
            _delete_namespace(ns)


def netns_problem() -> str | None:
    """Why network namespaces cannot be used here, or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    try:
        ip("netns", "list")
    except FileNotFoundError:
        return "iproute2's `ip` is not installed (apt-get install iproute2)"
    except NetnsUnavailable as error:
        return str(error)
    return None


def remove_leftovers() -> list[str]:
    """Delete the namespaces of test runs whose process is gone; their names."""
    removed = []
    for line in ip("netns", "list").splitlines():
        name = line.split()[0] if line.split() else ""
        match = NAME.fullmatch(name)
        if match and not _alive(int(match.group(1))):
            _delete_namespace(name)
            removed.append(name)
    return removed


def _delete_namespace(ns: str) -> None:
    """Stop what runs inside `ns` (processes a test started there), then delete it."""
    with contextlib.suppress(NetnsUnavailable):
        pids = [int(p) for p in ip("netns", "pids", ns).split()]
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 5
            while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
                time.sleep(0.05)
    with contextlib.suppress(NetnsUnavailable):
        ip("netns", "del", ns)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) holds nothing: count it as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
