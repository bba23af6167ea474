"""A running Prefect server for the timed nightly, as `sagak serve` runs against in production.

A plain `sagak nightly` with no PREFECT_API_URL starts a temporary server of its own (20-40 s
on this machine); a scheduled night never pays that, so the bench starts one server per tier,
under the tier's PREFECT_HOME, and points the nightly at it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFECT = str(Path(sys.executable).with_name("prefect"))
STARTUP_SECONDS = 240


def free_port() -> int:
    """A TCP port on localhost nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def prefect_server(env: dict, log: Path) -> Iterator[dict]:
    """`prefect server start` on a free port; yields `env` with its PREFECT_API_URL."""
    port = free_port()
    cmd = [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/api/health", server, log)
        yield env | {"PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    """Return once `url` answers; raise, naming the log, if the server exits or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: prefect server exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"bench: prefect server not healthy after {STARTUP_SECONDS} s; see {log}")
