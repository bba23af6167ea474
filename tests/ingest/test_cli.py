"""`sagak ingest`, `sagak ledger`, `sagak quarantine` through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.ingest.conftest import RRN_A, Inbox

runner = CliRunner()
WATER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SAGAK_SECRET", "cli-secret")
    inbox = Inbox(tmp_path / "inbox")
    inbox.csv("water/water_20260612.csv", WATER + f"{RRN_A},202605,x,0,N\n{RRN_A},202604,1,0,N\n")
    inbox.csv("water/notes.txt", "stray")
    return tmp_path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_ingest_prints_a_summary_and_twice_changes_nothing(home):
    first = run("ingest", "--home", home, "--as-of", "2026-06-30")
    assert first.exit_code == 0, first.output
    assert "water" in first.output and "ignored: water/notes.txt" in first.output
    second = run("ingest", "--home", home, "--as-of", "2026-06-30")
    assert second.exit_code == 0 and "0 new file(s)" in second.output
    ledger = json.loads(run("ledger", "--json", "--home", home).output)
    assert [(r["path"], r["status"]) for r in ledger] == [
        ("water/notes.txt", "ignored"),
        ("water/water_20260612.csv", "loaded"),
    ]
    assert {
        "path",
        "feed",
        "delivery_date",
        "version",
        "sha256",
        "rows_received",
        "rows_loaded",
        "rows_quarantined",
        "status",
        "message",
        "ingested_at",
    } <= set(ledger[0])


def test_quarantine_lists_rows_by_feed(home):
    run("ingest", "--home", home, "--as-of", "2026-06-30")
    rows = json.loads(run("quarantine", "--json", "--feed", "water", "--home", home).output)
    assert [(r["line"], r["reasons"]) for r in rows] == [
        (2, ["arrears_months: expected a whole number, got 'x'"])
    ]
    assert RRN_A not in rows[0]["raw"]
    assert json.loads(run("quarantine", "--json", "--feed", "gas", "--home", home).output) == []
    assert "water_20260612.csv" in run("quarantine", "--home", home).output


def test_bad_inbox_and_unknown_feed_exit_2(home):
    bad = run("ingest", "--inbox", home / "nowhere", "--home", home)
    assert bad.exit_code == 2 and "--inbox" in bad.output and "existing inbox folder" in bad.output
    unknown = run("quarantine", "--feed", "weather", "--home", home)
    assert unknown.exit_code == 2 and "--feed" in unknown.output and "water" in unknown.output
    date = run("ingest", "--home", home, "--as-of", "2026-13-01")
    assert date.exit_code == 2 and "--as-of" in date.output
