"""`make bench` measures the whole process tree: a grandchild's memory counts in the peak."""

from __future__ import annotations

import sys

from bench.measure import measure
from bench.run import ingest_steps

HOLD = "import time; x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096]); time.sleep(1.5)"


def test_peak_includes_a_grandchild(tmp_path):
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {HOLD!r}], check=True)"
    got = measure([sys.executable, "-c", child], tmp_path / "log")
    assert got["exit"] == 0 and got["seconds"] >= 1.5
    assert got["peak_rss_mib"] >= 300  # the parent alone stays far below


def test_failures_are_reported_with_their_exit_code(tmp_path):
    got = measure([sys.executable, "-c", "print('boom'); raise SystemExit(3)"], tmp_path / "log")
    assert got["exit"] == 3 and "boom" in (tmp_path / "log").read_text()


def test_ingest_steps_are_read_from_the_nightly_log():
    log = "12:00:01 | INFO | sagak.ingest - ingest steps: 2 files; read=0.50s validate_gx=1.25s\n"
    assert ingest_steps(log) == {"read": 0.5, "validate_gx": 1.25}
    assert ingest_steps("nothing here") == {}
