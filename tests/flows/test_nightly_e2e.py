"""End to end: a tiny synthetic world through the real nightly Prefect flow (test harness)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import duckdb
import openpyxl
import polars as pl
import pytest

from cli.main import app, latest_delivery_date
from outreach.sheets import FIRST_ROW, HEADER_ROW
from sagak.settings import get_settings
from synth.world import generate

CONTACT_COLUMNS = {"name", "phone", "address", "rrn", "household_no"}
RRN = re.compile(r"\d{6}-\d{7}")


@pytest.fixture(scope="module")
def night(tmp_path_factory, prefect_server):
    """A 600-household, 6-month world and one published night; returns (settings, as_of, manifest)."""
    from flows.nightly import nightly

    home = tmp_path_factory.mktemp("home")
    generate(home, households=600, months=6, end="2026-10", seed=7, mess=0.01)
    settings = get_settings(home)
    as_of = latest_delivery_date(settings.inbox)
    manifest = nightly(as_of=as_of, home=str(home))
    return settings, as_of, manifest


def outputs(settings, as_of: date):
    return settings.outreach_dir(as_of.isoformat())


def test_ranked_list_covers_every_household_without_contacts(night):
    settings, as_of, manifest = night
    ranked = pl.read_parquet(outputs(settings, as_of) / "ranked.parquet")
    assert not CONTACT_COLUMNS & set(ranked.columns)
    assert ranked.height == manifest["counts"]["households_scored"] > 500
    assert ranked["rank"].to_list() == list(range(1, ranked.height + 1))
    with duckdb.connect(str(settings.contacts), read_only=True) as con:
        names = {r[0] for r in con.sql("select name from contacts").fetchall()}
    text = str(ranked.to_dicts())
    assert names and not any(name in text for name in names)
    assert not RRN.search(text)
    persons = pl.read_parquet(settings.home / "truth" / "persons.parquet")
    clear = (
        set(persons["rrn"])
        | set(persons["rrn"].str.replace("-", ""))
        | set(persons["household_no"])
    )
    assert not any(value in text for value in clear)


def test_every_sheet_holds_only_its_own_team(night):
    settings, as_of, manifest = night
    ranked = pl.read_parquet(outputs(settings, as_of) / "ranked.parquet")
    team_of = dict(zip(ranked["household_key"], ranked["emd_code"], strict=True))
    assigned = ranked.filter(pl.col("assigned"))
    sheets = sorted((outputs(settings, as_of) / "sheets").glob("*.xlsx"))
    assert len(sheets) == manifest["teams"]["count"] > 10
    listed = 0
    for path in sheets:
        keys = sheet_household_keys(path)
        assert {team_of[k] for k in keys} <= {path.stem}
        own = assigned.filter(pl.col("emd_code") == path.stem)["household_key"]
        assert sorted(keys) == sorted(own), path.name  # the team's open assignments, no more
        listed += len(keys)
    # the risk floor leaves some capacity spare: the picks and the spare visits make the capacity
    counts = manifest["counts"]
    assert listed == assigned.height == counts["assigned"] > 150
    assert counts["assigned"] + counts["spare_capacity"] == 25 * manifest["teams"]["count"]


def test_cutoff_and_long_arrears_outrank_a_quiet_household(night):
    settings, as_of, _ = night
    ranked = pl.read_parquet(outputs(settings, as_of) / "ranked.parquet")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        features = con.sql(
            "select * from household_features where as_of = $as_of", params={"as_of": as_of}
        ).pl()
    signal = {
        name: pl.col(name).fill_null(0)
        for name in (
            "power_cutoff_12m",
            "water_cutoff_12m",
            "gas_cutoff_12m",
            "power_arrears_months_max_3m",
            "water_arrears_months_max_3m",
            "gas_arrears_months_max_3m",
            "nhis_arrears_months_max_6m",
            "referrals_90d",
        )
    }
    cutoff = (
        signal["power_cutoff_12m"] + signal["water_cutoff_12m"] + signal["gas_cutoff_12m"]
    ) > 0
    both = features.filter(
        cutoff & (signal["nhis_arrears_months_max_6m"] >= 3)
        | cutoff & (signal["power_arrears_months_max_3m"] >= 3)
    )["household_key"]
    quiet = features.filter(pl.sum_horizontal(*signal.values()) == 0)["household_key"]
    assert len(both) > 0 and len(quiet) > 0
    rank = dict(zip(ranked["household_key"], ranked["rank"], strict=True))
    assert max(rank[k] for k in both) < min(rank[k] for k in quiet)


def test_manifest_counts_every_delivery_and_rows(night):
    settings, as_of, manifest = night
    assert manifest["scorer"] == "baseline-v1"
    loaded = [d for d in manifest["deliveries"] if d["status"] == "loaded"]
    assert loaded
    for d in loaded:
        assert d["rows_received"] == d["rows_loaded"] + d["rows_quarantined"], d["path"]
    log = (settings.outreach / "sheet_log.jsonl").read_text().splitlines()
    assert len(log) == manifest["teams"]["count"]
    assert {json.loads(line)["emd_code"] for line in log} == {
        t["emd_code"] for t in manifest["teams"]["teams"]
    }


def fill_in(path, results, out):
    """Fill a sheet's first rows with (outcome, visit date, services) as a team would; save to out."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    headers = [c.value for c in ws[HEADER_ROW]]
    col = {
        h: headers.index(h) + 1 for h in ("가구키 (household_key)", "방문일", "결과", "연계서비스")
    }
    keys = []
    for row, (outcome, visited, services) in enumerate(results, start=FIRST_ROW):
        keys.append(ws.cell(row, col["가구키 (household_key)"]).value)
        ws.cell(row, col["결과"]).value = outcome
        ws.cell(row, col["방문일"]).value = visited
        ws.cell(row, col["연계서비스"]).value = services
    wb.save(out)
    return keys


def test_returned_results_close_assignments_and_are_stored(night, tmp_path):
    from typer.testing import CliRunner

    from flows.nightly import nightly

    settings, as_of, _ = night
    sheets = sorted((outputs(settings, as_of) / "sheets").glob("*.xlsx"))
    sheet, other = sorted(sheets, key=lambda p: -len(sheet_household_keys(p)))[:2]
    visit = as_of + timedelta(days=1)
    returned = tmp_path / "returned.xlsx"
    results = [
        ("confirmed_crisis", visit, "food;repairs"),
        ("not_in_need", visit, None),
        ("unreachable", None, None),
        ("maybe", visit, None),  # not an outcome code
    ]
    keys = fill_in(sheet, results, returned)
    home = ["--home", str(settings.home), "--received", visit.isoformat()]
    runner = CliRunner()
    first = runner.invoke(app, ["feedback", str(returned), *home])
    assert first.exit_code == 2
    assert f"returned.xlsx row {FIRST_ROW + 3}: unknown result code 'maybe'" in first.output
    assert "4 rows with results, 3 stored, 0 unchanged, 1 rejected" in first.output
    again = runner.invoke(app, ["feedback", str(returned), *home])
    assert "3 stored" not in again.output and "0 stored, 3 unchanged" in again.output
    # a CSV dropped into inbox/feedback/ is picked up by the next night
    dropped = settings.inbox / "feedback"
    dropped.mkdir()
    other_key = sheet_household_keys(other)[0]
    (dropped / "results.csv").write_text(
        "household_key,emd_code,assigned_date,visit_date,outcome,services\n"
        f"{other_key},{other.stem},{as_of},{visit},not_in_need,counselling\n",
        encoding="utf-8",
    )

    next_night = as_of + timedelta(days=3)
    manifest = nightly(as_of=next_night, home=str(settings.home))

    ranked = pl.read_parquet(outputs(settings, next_night) / "ranked.parquet")
    row = {r["household_key"]: r for r in ranked.iter_rows(named=True)}
    for key in (keys[0], keys[1], other_key):
        assert not row[key]["assigned"]
        assert row[key]["excluded_reason"] == "visited_recently"
    assert row[keys[2]]["assigned"]  # unreachable once: back on the list
    assert row[keys[3]]["assigned"] and row[keys[3]]["excluded_reason"] == "assigned"
    assert keys[0] not in sheet_household_keys(
        outputs(settings, next_night) / "sheets" / sheet.name
    )
    assert manifest["counts"]["excluded_by_reason"]["visited_recently"] >= 3
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        closed = dict(
            con.sql(
                "select household_key, outcome from assignments where status = 'closed'"
            ).fetchall()
        )
        services = con.sql(
            "select services from visits where household_key = $k and source_file = 'returned.xlsx'",
            params={"k": keys[0]},
        ).fetchall()
        log = con.sql("select count(*) from sheet_log").fetchall()[0][0]
        ledger = con.sql("select count(*) from ingest_ledger where path like 'feedback/%'")
        ledger = ledger.fetchall()[0][0]
    assert {k: closed.get(k) for k in (*keys[:3], other_key)} == {
        keys[0]: "confirmed_crisis",
        keys[1]: "not_in_need",
        keys[2]: "unreachable",
        other_key: "not_in_need",
    }
    assert services == [(["food", "repairs"],)]
    assert log == 2 * manifest["teams"]["count"]  # both nights' sheets, in the warehouse
    assert ledger == 0  # returned sheets are not agency deliveries


def sheet_household_keys(path) -> list[str]:
    """The household keys listed on a visit sheet (the column headed by the key)."""
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if "household_key" in str(row))
    col = next(i for i, v in enumerate(rows[header_row]) if v and "household_key" in str(v))
    return [row[col] for row in rows[header_row + 1 :] if row[col]]
