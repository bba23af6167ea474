"""Issue 20's two floors on the small world: the bare DuckDB load of the inbox reads exactly the
rows `sagak ingest` received, and the plain pandas night lists every team with households."""

from __future__ import annotations

import gzip
import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from bench.load_floor import load_floor
from bench.pandas_night import main as pandas_main
from bench.table import markdown


def test_the_load_floor_stores_every_row_the_ingest_received(small_world, tmp_path):
    settings, night = small_world
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        received, files = con.sql(
            "select sum(rows_received), count(*) filter (where rows_received > 0) "
            "from ingest_ledger where delivery_date <= $night",
            params={"night": night},
        ).fetchall()[0]
    got = load_floor(settings.home, night, tmp_path / "floor.duckdb")
    assert got["skipped"] == []
    assert (got["rows"], got["files"]) == (received, files)
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        # every row's key is hashed; kepco's Korean headers came through its CP949 decoding
        assert con.sql("select count(*) from kepco where key_sha256 is null").fetchall()[0][0] == 0
        assert "주민번호" in [row[0] for row in con.sql("describe kepco").fetchall()]


def test_the_load_floor_reads_gzip_and_leaves_out_an_unreadable_file(small_world, tmp_path):
    settings, night = small_world
    home = tmp_path / "home"
    for feed in ("kepco", "nhis", "housing"):
        shutil.copytree(settings.inbox / feed, home / "inbox" / feed)
    kepco = sorted((home / "inbox" / "kepco").iterdir())
    gzipped = kepco[0].with_name(kepco[0].name + ".gz")
    gzipped.write_bytes(gzip.compress(kepco[0].read_bytes()))
    kepco[0].unlink()
    broken = sorted((home / "inbox" / "nhis").iterdir())[-1]
    broken.write_bytes(broken.read_bytes()[:100])  # a truncated Parquet file
    load_floor(settings.home, night, tmp_path / "whole.duckdb")
    got = load_floor(home, night, tmp_path / "floor.duckdb")
    assert got["skipped"] == [str(broken)]
    with duckdb.connect(str(tmp_path / "whole.duckdb"), read_only=True) as con:
        expected = sum(
            con.sql(f"select count(*) from {feed}").fetchall()[0][0]
            for feed in ("kepco", "housing")
        )
        expected += con.sql(
            "select count(*) from nhis where filename <> $broken",
            params={"broken": str(settings.inbox / "nhis" / broken.name)},
        ).fetchall()[0][0]
    assert got["rows"] == expected


def test_the_pandas_night_lists_every_team_with_households(small_world, tmp_path, monkeypatch):
    settings, night = small_world
    out = tmp_path / "night"
    argv = ["pandas_night", str(settings.home), "--as-of", night.isoformat(), "--out", str(out)]
    monkeypatch.setattr("sys.argv", [*argv, "--capacity", "5"])
    pandas_main()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        teams = {
            code
            for (code,) in con.sql(
                """
                with latest as (
                    select * from stg_registry
                    where delivery_date = (
                        select max(delivery_date) from stg_registry where delivery_date <= $night
                    )
                )
                select min(emd_code) filter (where not coalesce(deceased, false))
                from latest group by household_key
                """,
                params={"night": night},
            ).fetchall()
            if code
        }
    lists = {path.stem: pd.read_parquet(path) for path in (out / "lists").glob("*.parquet")}
    assert set(lists) == teams
    ranked = pd.read_parquet(out / "ranked.parquet")
    assert ranked["household_no"].is_unique and len(ranked) >= len(teams)
    for team in lists.values():
        assert team["rank"].tolist() == list(range(1, len(team) + 1))
        assert team["score"].is_monotonic_decreasing and (team["score"] > 0).all()
        assert team["picked"].sum() == min(5, len(team))
    picked = pd.concat(lists.values())
    assert picked["picked"].sum() > 0
    # no household whose benefit is active is picked
    excluded = set(ranked.loc[ranked["excluded_reason"].notna(), "household_no"])
    assert excluded and not excluded & set(picked["household_no"])


@pytest.mark.parametrize("ratio, word", [(1.5, "met"), (5.2, "missed")])
def test_the_table_sets_the_history_against_the_load_floor(ratio, word):
    result = {
        "households": 200_000,
        "months": 24,
        "machine": "test",
        "history": {"seconds": 100.0 * ratio, "exit": 0, "x_load_floor": ratio},
        "load_floor": {"seconds": 100.0, "exit": 0, "rows": 10, "files": 2, "skipped": []},
        "floor": {"seconds": 2.0, "exit": 0},
    }
    table = markdown(result)
    assert f"**{ratio:,.2f}×** load floor (target ≤ 2×: {word})" in table
    assert "scan floor: bare DuckDB scan" in table and "load floor: bare DuckDB load" in table


def test_the_load_floor_skips_deliveries_after_the_night(small_world, tmp_path):
    settings, night = small_world
    early = load_floor(settings.home, date(2026, 1, 31), tmp_path / "early.duckdb")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        received = con.sql(
            "select sum(rows_received) from ingest_ledger where delivery_date <= '2026-01-31'"
        ).fetchall()[0][0]
    assert early["rows"] == received
