"""One writer per SAGAK_HOME, tested with two real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sagak.lock import LockTimeout, lock_path, wait_seconds, warehouse_lock
from sagak.settings import get_settings

SAGAK = Path(sys.executable).parent / "sagak"
HOLD = """
import sys, time
from pathlib import Path
from sagak.lock import warehouse_lock
from sagak.settings import get_settings
with warehouse_lock(get_settings(sys.argv[1]), "nightly 2026-10-30"):
    Path(sys.argv[2]).write_text("held")
    time.sleep(float(sys.argv[3]))
"""


def hold_lock(home: Path, seconds: float) -> subprocess.Popen:
    """Another process holding SAGAK_HOME's lock for `seconds`; returns once it holds it."""
    ready = home / "ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(home), str(ready), str(seconds)])
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "holder did not start"
        time.sleep(0.05)
    return holder


def sagak(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SAGAK), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def home(tmp_path):
    (tmp_path / "inbox").mkdir()
    return tmp_path


def test_a_second_writer_gives_up_naming_the_lock_and_its_holder(home):
    holder = hold_lock(home, 30)
    try:
        started = time.monotonic()
        result = sagak("ingest", "--home", str(home), "--lock-wait", "1")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(lock_path(get_settings(home))) in message
    assert f"pid {holder.pid}" in message and "nightly 2026-10-30" in message
    assert "waited 1 s" in message and "--lock-wait" in message
    assert waited >= 1
    assert not (home / "warehouse.duckdb").exists()  # it never opened the warehouse


def test_a_second_writer_waits_for_the_first_then_runs(home):
    holder = hold_lock(home, 2)
    started = time.monotonic()
    result = sagak("ingest", "--home", str(home), "--lock-wait", "60")
    waited = time.monotonic() - started
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert "sagak ingest" in result.stdout
    assert waited >= 1.5  # it waited for the holder, which held the lock for 2 s


def test_the_wait_limit_comes_from_the_environment(home):
    holder = hold_lock(home, 30)
    try:
        env = os.environ | {"SAGAK_LOCK_WAIT": "0"}
        result = subprocess.run(
            [str(SAGAK), "ingest", "--home", str(home)], capture_output=True, text=True, env=env
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1 and "waited 0 s" in result.stderr


def test_the_lock_is_reentrant_within_a_process_and_released_after(tmp_path):
    settings = get_settings(tmp_path)
    with warehouse_lock(settings, "backfill", 0), warehouse_lock(settings, "nightly", 0):
        record = json.loads(lock_path(settings).read_text())
        assert record["pid"] == os.getpid() and record["command"].endswith(": backfill")
    holder = hold_lock(tmp_path, 30)  # released: another process can take it at once
    try:
        with pytest.raises(LockTimeout, match="sagak.lock"), warehouse_lock(settings, "x", 0):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_wait_seconds(monkeypatch):
    monkeypatch.delenv("SAGAK_LOCK_WAIT", raising=False)
    assert wait_seconds() == 1800 and wait_seconds(5) == 5
    monkeypatch.setenv("SAGAK_LOCK_WAIT", "12.5")
    assert wait_seconds() == 12.5
    monkeypatch.setenv("SAGAK_LOCK_WAIT", "soon")
    with pytest.raises(ValueError, match="SAGAK_LOCK_WAIT"):
        wait_seconds()
