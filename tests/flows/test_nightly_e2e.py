"""End to end: a tiny synthetic world through the real nightly Prefect flow (test harness)."""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import openpyxl
import polars as pl
import pytest

from flows.cli import latest_delivery_date
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
    sheets = sorted((outputs(settings, as_of) / "sheets").glob("*.xlsx"))
    assert len(sheets) == manifest["teams"]["count"] > 10
    for path in sheets:
        keys = sheet_household_keys(path)
        assert keys, f"{path.name} lists nobody"
        assert {team_of[k] for k in keys} == {path.stem}


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


def sheet_household_keys(path) -> list[str]:
    """The household keys listed on a visit sheet (the column headed by the key)."""
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if "household_key" in str(row))
    col = next(i for i, v in enumerate(rows[header_row]) if v and "household_key" in str(v))
    return [row[col] for row in rows[header_row + 1 :] if row[col]]
