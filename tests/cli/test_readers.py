"""Readers (`ledger`, `quarantine`, `monitor`, `models`, `audit`) against real warehouse files and
real processes: they answer while a writer holds the warehouse, never create a home, and end
in one line when they cannot answer; the ledger and quarantine listings (issue 18)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from monitoring.findings import finding, store_findings
from sagak.lock import reading_lock, warehouse_lock
from sagak.settings import get_settings
from sagak.warehouse import warehouse
from tests.ingest.conftest import RRN_A, Inbox

runner = CliRunner()
SAGAK = Path(sys.executable).parent / "sagak"
WATER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
# a nightly's stand-in: SAGAK_HOME's lock and the warehouse open for writing, in another process
HOLD = """
import sys, time
from pathlib import Path
from sagak.lock import warehouse_lock
from sagak.settings import get_settings
from sagak.warehouse import warehouse
settings = get_settings(sys.argv[1])
with warehouse_lock(settings, "nightly 2026-07-10"), warehouse(settings) as con:
    con.execute("insert into ingest_ledger (path, status) values ('written/tonight.csv', 'loaded')")
    Path(sys.argv[2]).write_text("held")
    time.sleep(float(sys.argv[3]))
"""
READERS = (["ledger"], ["quarantine"], ["monitor"], ["models"], ["audit"])


def sagak(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SAGAK), *map(str, args)], capture_output=True, text=True, timeout=120, **kwargs
    )


def one_error_line(stderr: str) -> str:
    """The single line on stderr, which must be an error and no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr[-2000:]
    return lines[0]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A SAGAK_HOME with two water deliveries and a stray file ingested, and one night's
    monitoring finding; every writer went through the lock, so the readers' copy exists."""
    monkeypatch.setenv("SAGAK_SECRET", "cli-secret")
    home = tmp_path / "home"
    inbox = Inbox(home / "inbox")
    inbox.csv("water/water_20260612.csv", WATER + f"{RRN_A},202605,x,0,N\n{RRN_A},202604,1,0,N\n")
    inbox.csv("water/water_20260710.csv", WATER + f"{RRN_A},202606,y,0,N\n")
    inbox.csv("water/notes.txt", "stray")
    ingested = runner.invoke(app, ["ingest", "--home", str(home), "--as-of", "2026-07-31"])
    assert ingested.exit_code == 0, ingested.output
    settings = get_settings(home)
    with warehouse_lock(settings, "monitor"), warehouse(settings) as con:
        row = finding("freshness", "water", 40.0, 30.0, 35.0, "critical", "water is 40 days old")
        store_findings(con, date(2026, 7, 31), "feeds", [row])
    return home


def hold_warehouse(home: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the lock and the warehouse for writing; returns once it does."""
    ready = home / "held"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(home), str(ready), str(seconds)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "holder did not start"
        time.sleep(0.05)
    return holder


def test_readers_answer_while_another_process_writes_the_warehouse(home):
    holder = hold_warehouse(home, 60)
    try:
        ledger = sagak("ledger", "--json", "--home", home)
        quarantine = sagak("quarantine", "--json", "--feed", "water", "--home", home)
        monitor = sagak("monitor", "--home", home)
    finally:
        holder.kill()
        holder.wait()
    for result in (ledger, quarantine, monitor):
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        note = result.stderr.strip().splitlines()
        assert len(note) == 1 and note[0].startswith("note: ") and f"pid {holder.pid}" in note[0]
    # the copy the last writer left: its rows, not the holder's uncommitted one
    paths = [r["path"] for r in json.loads(ledger.stdout)]
    assert "water/water_20260710.csv" in paths and "written/tonight.csv" not in paths
    assert [r["line"] for r in json.loads(quarantine.stdout)] == [2, 2]
    assert "water is 40 days old" in monitor.stdout


def test_a_writer_waits_for_a_reader_instead_of_failing_on_the_warehouse(home):
    settings = get_settings(home)
    with reading_lock(settings) as writer, warehouse(settings, read_only=True):
        assert writer is None
        started = time.monotonic()
        ingest = subprocess.Popen(
            [str(SAGAK), "ingest", "--home", str(home), "--as-of", "2026-07-31"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert ingest.poll() is None  # still waiting for the reader
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, err[-2000:]
    assert time.monotonic() - started >= 1.5 and "0 new file(s)" in out


@pytest.mark.parametrize("command", READERS)
def test_a_mistyped_home_creates_nothing(tmp_path, command):
    typo = tmp_path / "hmoe"
    result = runner.invoke(app, [*command, "--home", str(typo)])
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == (
        f"error: no sagak home at {typo} (check --home or $SAGAK_HOME)"
    )
    assert not typo.exists()


@pytest.mark.parametrize("command", READERS[:3])
def test_a_home_without_a_warehouse_says_so_and_creates_nothing(tmp_path, command):
    result = runner.invoke(app, [*command, "--home", str(tmp_path)])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert f"no warehouse at {tmp_path / 'warehouse.duckdb'}" in line
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_warehouse_is_one_line_naming_it_and_is_left_as_it_is(tmp_path):
    damaged = tmp_path / "warehouse.duckdb"
    damaged.write_bytes(b"not a database " * 100)
    (tmp_path / "inbox").mkdir()
    for command in (["ledger"], ["quarantine"], ["monitor"], ["ingest", "--as-of", "2026-07-31"]):
        result = sagak(*command, "--home", tmp_path)
        assert result.returncode == 1, (command, result.stderr[-2000:])
        line = one_error_line(result.stderr)
        assert f"{damaged}: damaged or not a DuckDB database" in line
    assert damaged.read_bytes() == b"not a database " * 100


def cannot_write(home: Path) -> list[str]:
    """A command prefix running as a user who cannot write `home` (made read-only): root
    without the capability that overrides file permissions, anyone else as themselves."""
    for path in [home, *home.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot drop the right to write anywhere")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]


def test_a_read_only_home_is_read_by_readers_and_refused_by_writers_in_one_line(home, tmp_path):
    returned = tmp_path / "visits.csv"
    returned.write_text("household_no,emd_code,outcome\n00000000001,4817051000,moved\n")
    prefix = cannot_write(home)
    before = sorted((p, p.stat().st_mtime_ns) for p in home.rglob("*"))
    try:
        run = [*prefix, str(SAGAK)]
        for args, shown in ((["ledger"], "water_20260710.csv"), (["monitor"], "40 days old")):
            result = subprocess.run(
                [*run, *args, "--home", str(home)], capture_output=True, text=True
            )
            assert result.returncode == 0 and result.stderr == "", result.stderr[-2000:]
            assert shown in result.stdout
        for args in (
            ["nightly", "--as-of", "2026-07-31"],
            ["ingest", "--as-of", "2026-07-31"],
            ["feedback", str(returned)],
            ["web", "--port", "18765"],
        ):
            result = subprocess.run(
                [*run, *args, "--home", str(home)], capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 1, (args, result.stderr[-2000:])
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
            assert "permission denied" in errors[0] and str(home) in errors[0]
    finally:
        for path in [home, *home.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    assert sorted((p, p.stat().st_mtime_ns) for p in home.rglob("*")) == before


def test_ledger_prints_counts_by_feed_and_status_then_the_latest_files_under_a_header(home):
    result = runner.invoke(app, ["ledger", "--home", str(home), "--limit", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "ingest ledger: 3 files"
    assert lines[1].split()[:6] == [
        "feed",
        "loaded",
        "rejected",
        "duplicate",
        "superseded",
        "ignored",
    ]
    water = next(line for line in lines if line.startswith("water "))
    assert water.split()[1:6] == ["2", "0", "0", "0", "1"]  # two loaded, the stray file ignored
    at = lines.index("the latest 1 of 3 files (--limit 0 for all, --json for every column)")
    assert lines[at + 1].split() == [
        "delivered", "path", "status", "received", "loaded", "quarant.", "message"
    ]  # fmt: skip
    assert len(lines) == at + 3 and "water/water_20260710.csv" in lines[at + 2]
    since = json.loads(
        runner.invoke(
            app, ["ledger", "--json", "--since", "2026-07-01", "--home", str(home)]
        ).stdout
    )
    assert [r["path"] for r in since] == ["water/water_20260710.csv"]
    bad = runner.invoke(app, ["ledger", "--since", "July", "--home", str(home)])
    assert bad.exit_code == 2 and "--since" in bad.output


def test_quarantine_prints_counts_by_feed_and_reason_then_the_rows_under_a_header(home):
    result = runner.invoke(app, ["quarantine", "--home", str(home)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "quarantine: 2 rows from 2 files"
    assert lines[2].split() == ["water", "2", "2"]
    reason = next(line for line in lines if "expected a whole number" in line)
    assert reason.split() == ["2", "water", "arrears_months:", "expected", "a", "whole", "number"]
    at = lines.index("all 2 rows")
    assert lines[at + 1].split() == ["delivered", "path", "line", "reasons", "|", "raw"]
    assert lines[at + 2].startswith("2026-06-12  water/water_20260612.csv")
    assert RRN_A not in result.stdout
    one = runner.invoke(app, ["quarantine", "--since", "2026-07-01", "--json", "--home", str(home)])
    assert [(r["path"], r["line"]) for r in json.loads(one.stdout)] == [
        ("water/water_20260710.csv", 2)
    ]
    limited = runner.invoke(app, ["quarantine", "--limit", "1", "--home", str(home)]).stdout
    assert (
        "the latest 1 of 2 rows" in limited
        and "water_20260612.csv" not in limited.split("the latest")[1]
    )
