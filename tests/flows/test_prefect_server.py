"""The temporary Prefect server of a `sagak nightly` without PREFECT_API_URL: it dies with a
killed night, and a slow start (past Prefect's own 20 s) does not fail the night.

Real `sagak` processes on a tiny world; every process they start carries a marker in its
environment, so the process table tells whether any of them outlived the night.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from flows.prefect_server import APP, prefect_api, stop_server
from sagak.settings import get_settings

SAGAK = Path(sys.executable).with_name("sagak")
MARK = "SAGAK_TEST_PROCESS_MARK"
SLOW = "SAGAK_TEST_SLOW_PREFECT_SERVER"
# loaded by every Python process of the night; only the Prefect server's start is slowed
SLOW_SITECUSTOMIZE = f"""
import os, sys, time
if {APP!r} in sys.orig_argv and os.environ.get({SLOW!r}):
    time.sleep(float(os.environ[{SLOW!r}]))
"""


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory):
    """A 300-household, 4-month clean world (not ingested): its home and last delivery night."""
    from cli.main import latest_delivery_date
    from synth.world import generate

    home = tmp_path_factory.mktemp("prefect_server_world")
    generate(home, households=300, months=4, end="2026-10", seed=3, mess=0.0)
    return home, latest_delivery_date(get_settings(home).inbox)


def night_environment(tmp_path: Path, mark: str) -> dict[str, str]:
    """The environment of an unattended night: no Prefect API configured, a Prefect home of
    its own, and the marker every descendant inherits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        MARK: mark,
    }
    return env


def marked_processes(mark: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment holds the marker."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"{MARK}={mark}".encode() in environ and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def wait_for(predicate, timeout: float, step: float = 0.2):
    """predicate()'s first truthy value within timeout seconds, else its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


def kill_all(pids) -> None:
    """SIGKILL the processes this test started (by pid), if still there."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_no_prefect_process_survives_a_killed_night(tiny_world, tmp_path):
    home, night = tiny_world
    mark = uuid.uuid4().hex
    command = [str(SAGAK), "nightly", "--home", str(home), "--as-of", night.isoformat()]
    sagak = subprocess.Popen(
        command,
        env=night_environment(tmp_path, mark),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: dict[int, str] = {}
    try:

        def server_up() -> bool:
            seen.update(marked_processes(mark))
            return any(_answers(cmd) for cmd in seen.values() if APP in cmd)

        assert wait_for(server_up, 180), f"no Prefect server started: {seen}"
        sagak.send_signal(signal.SIGKILL)
        sagak.wait(timeout=10)
        left = wait_for(lambda: not marked_processes(mark), 10) or marked_processes(mark)
        assert left is True, f"processes survived the killed night: {left}"
    finally:
        kill_all([sagak.pid, *seen])


def _answers(command: str) -> bool:
    """The server of this command line answers its health check."""
    import httpx

    port = command.split("--port ")[1].split()[0]
    try:
        return (
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2, trust_env=False).status_code
            == 200
        )
    except httpx.HTTPError:
        return False


def test_a_night_succeeds_when_the_temporary_server_starts_slowly(tiny_world, tmp_path):
    home, night = tiny_world
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_SITECUSTOMIZE, encoding="utf-8")
    env = night_environment(tmp_path, uuid.uuid4().hex)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hooks), env.get("PYTHONPATH")]))
    env[SLOW] = "25"  # past Prefect's own 20 s start-up timeout
    started = time.monotonic()
    done = subprocess.run(
        [str(SAGAK), "nightly", "--home", str(home), "--as-of", night.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.monotonic() - started > 25
    assert (get_settings(home).outreach_dir(night.isoformat()) / "manifest.json").is_file()
    assert not marked_processes(env[MARK])


def test_a_configured_api_is_used_and_nothing_is_started(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    started = []
    monkeypatch.setattr("flows.prefect_server.start_server", lambda log: started.append(log))
    configured = temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:1/api"})
    with configured, prefect_api() as url:
        assert url == "http://127.0.0.1:1/api"
    assert started == []


def test_stop_server_ends_and_reaps_the_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop_server(child)
    assert child.poll() is not None
