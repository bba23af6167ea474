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


def test_truth_precision_is_weighted_by_the_sampled_households():
    import polars as pl

    from bench.model_vs_truth import weighted_share

    rows = pl.DataFrame({"in_crisis": [True, False, None], "weight": [1.0, 3.0, 0.0]})
    assert weighted_share(rows) == 0.25
    assert weighted_share(rows.drop("weight")) == 1 / 3  # unweighted: an unknown is no crisis


def test_the_bench_prefect_server_answers_and_stops(tmp_path):
    import os
    import urllib.request

    from bench.prefect_server import prefect_server

    env = os.environ | {"PREFECT_HOME": str(tmp_path), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with prefect_server(env, tmp_path / "server.log") as served:
        url = served["PREFECT_API_URL"] + "/health"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.status == 200
    try:
        urllib.request.urlopen(url, timeout=5)
        raise AssertionError("the server still answers after the context")
    except OSError:
        pass
