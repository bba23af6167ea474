"""The operator's side of the CLI: option checks, and a failed night in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
SAGAK = Path(sys.executable).parent / "sagak"


@pytest.mark.parametrize("command", [["nightly", "--as-of", "2026-10-30"], ["backfill"]])
def test_an_unknown_runner_names_the_option(tmp_path, command):
    dates = ["--from", "2026-10-01", "--to", "2026-10-02"] if command == ["backfill"] else []
    result = runner.invoke(app, [*command, *dates, "--runner", "spark", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "--runner" in result.output and "local, dask" in result.output


@pytest.mark.parametrize("command", [["nightly", "--as-of", "2026-10-30"], ["serve"]])
def test_a_dask_address_needs_the_dask_runner(tmp_path, command):
    result = runner.invoke(
        app, [*command, "--dask-address", "tcp://10.0.0.5:8786", "--home", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--dask-address" in result.output and "--runner dask" in result.output


def test_backfill_dates_are_checked(tmp_path):
    home = ["--home", str(tmp_path)]
    reversed_ = runner.invoke(
        app, ["backfill", "--from", "2026-10-05", "--to", "2026-10-01", *home]
    )
    assert reversed_.exit_code == 2 and "--to" in reversed_.output
    bad = runner.invoke(app, ["backfill", "--from", "2026-10-32", "--to", "2026-11-01", *home])
    assert bad.exit_code == 2 and "--from" in bad.output and "YYYY-MM-DD" in bad.output


def test_a_failed_night_ends_with_one_line_and_the_traceback_in_the_log(tmp_path, prefect_server):
    from prefect.settings import PREFECT_API_URL

    (tmp_path / "teams.yml").write_text("teams: [\n", encoding="utf-8")  # not YAML
    # one real delivery (a night without any is refused before teams.yml is read)
    (tmp_path / "inbox" / "registry").mkdir(parents=True)
    (tmp_path / "inbox" / "registry" / "registry_20261030.csv").write_text(
        "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,"
        "moved_in,deceased\n"
        "800101-1234567,41000000001,head,이름,1950-01-01,F,N,,주소,4817051000,,N\n",
        encoding="utf-8",
    )
    env = os.environ | {"PREFECT_API_URL": PREFECT_API_URL.value()}
    result = subprocess.run(
        [str(SAGAK), "nightly", "--home", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    log = tmp_path / "logs" / "sagak.log"
    assert errors == [
        f"error: nightly 2026-10-30 failed: {tmp_path / 'teams.yml'}: "
        f"cannot read teams file: line 2, column 1: expected the node content, but found "
        f"'<stream end>' (while parsing a flow node) (details in {log})"
    ]
    assert "Traceback" in log.read_text(encoding="utf-8")
    # the steps before the failure showed their progress: counts and elapsed time
    assert "ingest: 1 file(s) considered, 1 loaded (" in result.stderr
    assert " s)" in result.stderr


def test_a_second_nightly_waits_then_names_the_running_one(tmp_path, prefect_server):
    from prefect.settings import PREFECT_API_URL

    from tests.sagak.test_lock import hold_lock

    holder = hold_lock(tmp_path, 60)  # a first nightly, in another process
    env = os.environ | {"PREFECT_API_URL": PREFECT_API_URL.value()}
    try:
        result = subprocess.run(
            [str(SAGAK), "nightly", "--as-of", "2026-10-30", "--home", str(tmp_path)],
            capture_output=True,
            text=True,
            env=env | {"SAGAK_LOCK_WAIT": "2"},
            timeout=300,
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert errors[0].startswith("error: nightly 2026-10-30 failed: another sagak run is writing")
    assert f"{tmp_path / 'sagak.lock'} is held by pid {holder.pid}" in errors[0]
    assert "nightly 2026-10-30" in errors[0] and "waited 2 s" in errors[0]
    assert not (tmp_path / "warehouse.duckdb").exists()
