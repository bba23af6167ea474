"""Bad input through the CLI and the flows' retries: one line, exit 1 or 2, nothing changed
(issue 18). A damaged warehouse is not retried as if it were busy; YAML errors keep their line."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from prefect import flow, task

from cli.main import app
from cli.options import error_line
from flows.retries import is_transient
from monitoring.config import MonitoringConfigError, load_config
from sagak.settings import DEFAULT_HOME, get_settings
from sagak.warehouse import WarehouseUnreadable, warehouse
from tests.cli.test_readers import home, one_error_line, runner
from tests.flows.test_retries import FAST

assert home  # the fixture, imported for these tests


def ledger_rows(settings) -> int:
    with warehouse(settings, read_only=True) as con:
        return con.sql("select count(*) from ingest_ledger").fetchall()[0][0]


def test_a_damaged_warehouse_is_not_retried_as_if_busy(tmp_path, prefect_server):
    settings = get_settings(tmp_path)
    settings.warehouse.write_bytes(b"not a database " * 100)
    with pytest.raises(duckdb.IOException) as raw:
        duckdb.connect(str(settings.warehouse))
    assert not is_transient(raw.value)
    assert is_transient(duckdb.IOException('Could not set lock on file "w.duckdb"'))
    calls: list[int] = []

    @task(**FAST)
    def ingest() -> None:
        calls.append(len(calls) + 1)
        with warehouse(settings):
            pass

    @flow
    def night() -> None:
        ingest()

    with pytest.raises(WarehouseUnreadable, match=str(settings.warehouse)):
        night()
    assert calls == [1]


def test_a_contract_that_is_not_yaml_stops_ingest_in_one_line_with_its_line(home):
    settings = get_settings(home)
    shutil.copytree(DEFAULT_HOME / "contracts", home / "contracts")
    water = home / "contracts" / "water.yml"
    lines = water.read_text(encoding="utf-8").splitlines()
    water.write_text("\n".join([*lines[:2], "  - [broken: yes", *lines[3:]]), encoding="utf-8")
    before = ledger_rows(settings)
    (home / "inbox" / "water" / "water_20260801.csv").write_text("rrn,ym\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--home", str(home), "--as-of", "2026-08-31"])
    assert result.exit_code == 1, result.output
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: ingest 2026-08-31 failed: {water}: not valid YAML: ")
    assert "(line 3, column 12)" in line
    assert ledger_rows(settings) == before


def test_a_monitoring_file_that_is_not_yaml_keeps_its_line_in_the_one_line(tmp_path):
    path = tmp_path / "monitoring.yml"
    path.write_text("feeds:\n  volume_drop: [0.5\n", encoding="utf-8")
    with pytest.raises(MonitoringConfigError) as error:
        load_config(path)
    assert "line 3, column 1" in error_line(error.value)


def test_an_empty_results_csv_exits_2_in_one_line_storing_nothing(home, tmp_path):
    returned = tmp_path / "visits_20260801.csv"
    returned.write_text("household_no,emd_code,outcome\n", encoding="utf-8")
    result = runner.invoke(app, ["feedback", str(returned), "--home", str(home)])
    assert result.exit_code == 2, result.output
    assert one_error_line(result.stderr) == (
        f"error: {returned}: no visit results in it (the file is empty or has only a header row)"
    )
    with warehouse(get_settings(home), read_only=True) as con:
        assert con.sql("select count(*) from visit_results").fetchall() == [(0,)]
