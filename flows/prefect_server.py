"""The Prefect API a command's flows report to: `PREFECT_API_URL` when it is set, else a
temporary server that this process starts, waits for, stops — and that dies with it.

Prefect's own temporary server (`SubprocessASGIServer`) gives up after 20 s, which a loaded
2-core machine can exceed, and outlives a killed parent (it is stopped only by `atexit`). This
one runs the same command (uvicorn on `prefect.server.api.server:create_app`, UI off) with
`PR_SET_PDEATHSIG` set, so the kernel kills it when the sagak process dies, however it dies;
it waits up to START_TIMEOUT seconds for the server, and starts it once more if it exits early.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sagak.settings import get_settings

START_TIMEOUT = 180.0  # seconds; PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS if longer
ATTEMPTS = 2  # a server that exits while starting (port taken, database locked) is started again
STOP_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
APP = "prefect.server.api.server:create_app"
T = TypeVar("T")


class PrefectServerError(RuntimeError):
    """The temporary Prefect server did not answer: how long we waited, and its last words."""


@contextmanager
def prefect_api(log: Path | None = None) -> Iterator[str]:
    """The API address flows use inside the block: PREFECT_API_URL, else an owned temporary
    server's (its output appended to `log`), stopped when the block ends."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    process, url = start_server(log)
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}), _environ("PREFECT_API_URL", url):
            try:
                yield url
            finally:
                drain_logs()  # a failed night's last lines too
    finally:
        stop_server(process)


def drain_logs(timeout: float = STOP_TIMEOUT) -> None:
    """Send the flows' queued log lines to the server while it still runs: sent after it
    stops, they end in "--- Error logging to API ---" on the user's terminal."""
    from prefect.logging.handlers import APILogWorker

    with contextlib.suppress(Exception):  # log shipping must never fail the command
        APILogWorker.drain_all(timeout=timeout)


def with_prefect_api(run: Callable[..., T], home: Path | None = None) -> Callable[..., T]:
    """`run` (a flow, or what serves flows) run inside `prefect_api`, the temporary server's
    output in `home`/logs/prefect-server.log."""

    @functools.wraps(run)
    def wrapped(*args, **kwargs) -> T:
        with prefect_api(None if home is None else get_settings(home).prefect_server_log):
            return run(*args, **kwargs)

    return wrapped


def start_server(log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """A healthy temporary Prefect server: (its process, its API URL)."""
    timeout = start_timeout()
    for attempt in range(1, ATTEMPTS + 1):
        port = free_port()
        url = f"http://127.0.0.1:{port}/api"
        process = _spawn(port, log)
        try:
            if wait_healthy(process, url, timeout):
                return process, url
        except BaseException:
            stop_server(process)
            raise
        if process.poll() is None:
            stop_server(process)
            raise PrefectServerError(
                f"the temporary Prefect server on port {port} did not answer within {timeout:.0f} s"
                f"{_tail(log)}; set PREFECT_API_URL to a running server "
                "or PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS to wait longer"
            )
        if attempt == ATTEMPTS:
            raise PrefectServerError(
                f"the temporary Prefect server exited with code {process.returncode} while "
                f"starting, {ATTEMPTS} times{_tail(log)}"
            )
    raise AssertionError("unreachable")


def start_timeout() -> float:
    """START_TIMEOUT, or Prefect's own start-up timeout setting when that is longer."""
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    return max(START_TIMEOUT, float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(port: int) -> list[str]:
    """The command Prefect runs for its temporary server."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        APP,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


def server_environment() -> dict[str, str]:
    """This process's environment and Prefect settings, the UI off, marked as temporary."""
    from prefect.settings import get_current_settings

    return {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }


def _spawn(port: int, log: Path | None) -> subprocess.Popen:
    """Start the server process, tied to this one by PR_SET_PDEATHSIG where Linux offers it."""
    output = subprocess.DEVNULL
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        output = log.open("ab")
    try:
        return subprocess.Popen(
            server_command(port),
            env=server_environment(),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            preexec_fn=die_with_parent(),
        )
    finally:
        if log is not None:
            output.close()


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking the kernel to SIGKILL the child when this process dies (Linux).

    The signal follows the thread that forked: the CLI starts the server from its main thread,
    which lives as long as the process. The child only calls prctl, resolved before the fork."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl: nobody would stop us
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def wait_healthy(process: subprocess.Popen, url: str, timeout: float) -> bool:
    """True once `url`/health answers 200; False if the process exits or time runs out."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0, trust_env=False) as client:  # local: never a proxy
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.get(f"{url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    return False


def stop_server(process: subprocess.Popen) -> None:
    """Terminate the server, kill it if it lingers, and reap it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path | None, lines: int = 5) -> str:
    """': <the log's last lines>' for an error message, or nothing without a log."""
    if log is None or not log.exists():
        return ""
    last = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
    return f" (see {log}: {' / '.join(last)})" if last else f" (see {log})"


@contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """os.environ[name] = value inside the block (subprocesses and Dask workers inherit it)."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
