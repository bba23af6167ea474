"""Nights earlier than the published one, through the real CLI and flows on a tiny world: refused
unless forced, skipped by backfill, and never changing the published night's assignments."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from outreach.manifest import sha256_file
from sagak.settings import get_settings
from synth.world import generate
from tests.outreach.test_feedback import fill
from tests.outreach.test_publish import sheet_records
from tests.worlds import copy_home

PUBLISHED = "2026-10-30"
runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory, prefect_server) -> Path:
    """A 300-household, 3-month world with the night 2026-10-30 published."""
    home = tmp_path_factory.mktemp("earlier") / "home"
    generate(home, households=300, months=3, end="2026-10", seed=3, mess=0.01)
    done = sagak("nightly", "--as-of", PUBLISHED, "--home", str(home))
    assert done.exit_code == 0, done.output
    return home


def sagak(*args: str):
    return runner.invoke(app, list(args))


def state(home: Path) -> tuple:
    """Every assignment, the ledger's size and every file (and link) under outreach/."""
    settings = get_settings(home)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        made = con.execute("select * from assignments order by all").fetchall()
        ledger = con.execute("select count(*) from ingest_ledger").fetchone()
    paths = sorted(settings.outreach.rglob("*"))
    files = {
        p.relative_to(settings.outreach).as_posix(): sha256_file(p) for p in paths if p.is_file()
    }
    links = {p.name: os.readlink(p) for p in paths if p.is_symlink()}
    return made, ledger, files, links


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def night_lines(output: str) -> list[tuple[str, str]]:
    return [tuple(line.split()[:2]) for line in output.splitlines() if line.startswith("  20")]


def test_a_night_before_every_delivery_gives_one_line_exit_1_and_changes_nothing(home):
    before = state(home)
    refused = sagak("nightly", "--as-of", "2020-01-01", "--home", str(home))
    assert refused.exit_code == 1
    [line] = errors(refused)
    assert f"earlier than the published night {PUBLISHED}" in line and "--force" in line
    forced = sagak("nightly", "--as-of", "2020-01-01", "--force", "--home", str(home))
    assert forced.exit_code == 1
    [line] = errors(forced)
    assert "no delivery dated on or before 2020-01-01 (the first is dated" in line
    assert state(home) == before
    assert not get_settings(home).outreach_dir("2020-01-01").exists()


def test_an_earlier_night_is_refused_without_force(home):
    before = state(home)
    refused = sagak("nightly", "--as-of", "2026-10-29", "--home", str(home))
    assert refused.exit_code == 1 and len(errors(refused)) == 1
    assert state(home) == before


def test_a_backfill_skips_the_nights_before_the_published_one(home):
    before = state(home)
    done = sagak("backfill", "--from", "2026-10-28", "--to", PUBLISHED, "--home", str(home))
    assert done.exit_code == 0, done.output
    assert night_lines(done.stdout) == [
        ("2026-10-28", "skipped"),
        ("2026-10-29", "skipped"),
        (PUBLISHED, "skipped"),
    ]
    assert f"earlier than the published night {PUBLISHED}" in done.stdout
    assert "0 published, 1 already published, 2 earlier than a published night" in done.stdout
    assert state(home) == before


def test_forced_earlier_nights_keep_the_published_assignments_and_sheet_round_trip(home, tmp_path):
    settings = copy_home(home, tmp_path / "home")
    made, _, _, _ = state(settings.home)
    night = settings.outreach_dir(PUBLISHED)
    ranked = sha256_file(night / "ranked.parquet")
    args = ("--from", "2026-10-28", "--to", PUBLISHED, "--force", "--home", str(settings.home))
    done = sagak("backfill", *args)
    assert done.exit_code == 0, done.output
    assert [status for _, status in night_lines(done.stdout)] == ["published"] * 3
    assert state(settings.home)[0] == made
    assert sha256_file(night / "ranked.parquet") == ranked  # the same list
    sheet = max((night / "sheets").glob("*.xlsx"), key=lambda p: len(sheet_records(p)))
    rows = [("not_in_need", date(2026, 10, 31), None)] * len(sheet_records(sheet))
    returned = fill(sheet, tmp_path / "returned.xlsx", rows)
    stored = sagak(
        "feedback", str(returned), "--received", "2026-11-02", "--home", str(settings.home)
    )
    assert stored.exit_code == 0, stored.output
    assert f"{len(rows)} stored, 0 unchanged, 0 rejected" in stored.stdout


def test_backfill_prints_each_night_as_it_ends(home, tmp_path):
    from prefect.settings import get_current_settings

    settings = copy_home(home, tmp_path / "home")
    env = os.environ | {"PREFECT_API_URL": str(get_current_settings().api.url)}
    command = [sys.executable, "-c", "from cli.main import main; main()", "backfill"]
    args = ["--from", "2026-10-29", "--to", "2026-10-31", "--home", str(settings.home)]
    started = time.monotonic()
    with subprocess.Popen(command + args, stdout=subprocess.PIPE, text=True, env=env) as proc:
        first = proc.stdout.readline()
        saturday_done = settings.outreach_dir("2026-10-31").joinpath("manifest.json").exists()
        rest = proc.stdout.read()
    assert proc.returncode == 0, first + rest
    assert first.split()[:2] == ["2026-10-29", "skipped"]
    assert not saturday_done  # the line came before the last night ran, not at the end
    assert night_lines(first + rest)[1:] == [(PUBLISHED, "skipped"), ("2026-10-31", "published")]
    assert "backfill 2026-10-29..2026-10-31: 1 published, 1 already published" in rest
    assert time.monotonic() - started < 300
