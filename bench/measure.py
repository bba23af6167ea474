"""Wall time and peak memory of a command: RSS summed over its whole process tree.

The tree is sampled from /proc every 0.2 s (DuckDB, Prefect's server and worker processes
all count); the peak is the largest sum seen.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

INTERVAL = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE")


def children_of() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process now running."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    tree, total, todo = children_of(), 0, [root]
    while todo:
        pid = todo.pop()
        total += rss_bytes(pid)
        todo.extend(tree.get(pid, []))
    return total


def measure(cmd: list[str], log: Path, env: dict | None = None) -> dict:
    """Run `cmd` (output to `log`); wall seconds, CPU seconds (user + system, the whole tree:
    a figure other load on the machine inflates less), peak tree RSS in MiB, the exit code."""
    peak = 0
    before = cpu_of_children()
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(proc.pid))
                done.wait(INTERVAL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    cpu = cpu_of_children() - before
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mib": round(peak / 2**20),
        "exit": code,
    }


def cpu_of_children() -> float:
    """User + system seconds of every finished child (and their children) of this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
