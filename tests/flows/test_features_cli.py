from datetime import date

import duckdb
import polars as pl
from typer.testing import CliRunner

from cli.main import app
from tests.features.tiny import put, tiny_world

runner = CliRunner()


def test_features_writes_one_row_per_household(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        tiny_world(con)
        put(con, "kepco", "2026-06-12", person_key="p1", ym="202605", arrears_months=3)
    out = tmp_path / "f.parquet"
    args = ["features", "--as-of", "2026-06-15", "--out", str(out), "--home", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    snapshot = pl.read_parquet(out)
    assert snapshot["household_key"].to_list() == ["h1", "h2", "h3", "h4"]
    assert snapshot["as_of"].unique().to_list() == [date(2026, 6, 15)]
    assert snapshot.filter(pl.col("household_key") == "h1")["power_arrears_months_max_3m"][0] == 3


def test_bad_as_of_names_the_option(tmp_path):
    result = runner.invoke(app, ["features", "--as-of", "2026-02-30", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "--as-of" in result.output and "YYYY-MM-DD" in result.output


def test_missing_warehouse_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["features", "--as-of", "2026-06-15", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "sagak nightly" in result.output
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_warehouse_without_staging_says_what_to_do(tmp_path):
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    result = runner.invoke(app, ["features", "--as-of", "2026-06-15", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "stg_registry" in result.output and "sagak nightly" in result.output
