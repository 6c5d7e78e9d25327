"""Measure child processes: wall time, peak memory of the process tree, RSS and PSS from /proc.

Two peak-memory figures, because they answer different questions:

- `peak_rss_bytes` comes from the kernel, through GNU time's `%M` (`wait4` rusage of the
  command, covering every descendant it waited for): the largest single process's
  maximum RSS. Exact, but a build that forks workers uses more than that in total.
  Why not `wait4` here: Linux carries a parent's high-water RSS into a child across
  fork+exec, so a child of this (large) Python process would report at least our size;
  the small `time` program is the parent instead. Without /usr/bin/time, `wait4` is
  used and the figure is a floor of the benchmark's own size.
- `peak_tree_rss_bytes` is sampled from /proc every 100 ms: the largest
  sum of RSS over the child and all its descendants at one moment. It can miss a short
  spike, and pages shared after fork are counted once per process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class MeasuredRun:
    command: tuple[str, ...]
    returncode: int
    wall_s: float
    peak_rss_bytes: int
    peak_tree_rss_bytes: int
    stdout: str
    stderr: str


def run_measured(
    command: Sequence[str],
    *,
    log_dir: Path,
    name: str,
    env: Mapping[str, str] | None = None,
    sample_interval_s: float = 0.1,
) -> MeasuredRun:
    """Run `command` to completion and measure it; its output goes to LOG_DIR/NAME.{out,err}.

    Output is written to files rather than pipes so a chatty child (progress bars) can
    never block on a full pipe while we wait for it.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    rss_path = log_dir / f"{name}.maxrss"
    wrapped = Path(GNU_TIME).is_file()
    argv = list(command)
    if wrapped:
        argv = [GNU_TIME, "-f", "%M", "-o", str(rss_path), *argv]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=dict(env) if env else None)
        sampler = _TreeRssSampler(process.pid, sample_interval_s, skip_root=wrapped)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    peak_kb = usage.ru_maxrss  # Linux reports kilobytes
    if wrapped:
        # GNU time writes "Command exited with non-zero status N" before %M on failure.
        lines = rss_path.read_text(encoding="utf-8").split()
        peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return MeasuredRun(
        command=tuple(command),
        returncode=process.returncode,
        wall_s=wall,
        peak_rss_bytes=peak_kb * 1024,
        peak_tree_rss_bytes=sampler.peak_bytes,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def process_tree(root_pid: int) -> list[int]:
    """`root_pid` and all its living descendants (from /proc), root first."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        parent = parent_pid(int(entry.name))
        if parent is not None:
            children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root_pid]
    while pending:
        pid = pending.pop(0)
        tree.append(pid)
        pending.extend(sorted(children.get(pid, [])))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident set size of one process now, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


# smaps_rollup keys reported for each server process (kB in the file, MB in the figures).
ROLLUP_KEYS = {"Rss": "rss_mb", "Pss": "pss_mb", "Pss_Anon": "pss_anon_mb",
               "Pss_File": "pss_file_mb", "Private_Clean": "private_clean_mb",
               "Private_Dirty": "private_dirty_mb", "Anonymous": "anonymous_mb"}  # fmt: skip


def memory_rollup(pid: int) -> dict[str, float]:
    """RSS, PSS (shared pages divided among the processes mapping them) and the split
    into anonymous and file-backed memory, from /proc/PID/smaps_rollup; {} if gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            lines = handle.read().splitlines()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return {}
    found = {}
    for line in lines[1:]:  # the first line is the address range of the rollup
        key, _, rest = line.partition(":")
        if key in ROLLUP_KEYS and rest.split():
            found[ROLLUP_KEYS[key]] = round(int(rest.split()[0]) / 1024, 1)
    return found


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", errors="replace").strip()


def parent_pid(pid: int) -> int | None:
    """The parent of a living process, None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            stat = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[1]) if len(fields) > 1 else None


class _TreeRssSampler:
    def __init__(self, root_pid: int, interval_s: float, *, skip_root: bool) -> None:
        self.root_pid = root_pid
        self.skip_root = skip_root  # the root is only GNU time, not what we measure
        self.interval_s = interval_s
        self.peak_bytes = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.is_set():
            tree = process_tree(self.root_pid)[1 if self.skip_root else 0 :]
            total = sum(rss_bytes(pid) for pid in tree)
            self.peak_bytes = max(self.peak_bytes, total)
            self._stopped.wait(self.interval_s)
