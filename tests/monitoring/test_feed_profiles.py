"""The feed checks profile only the deliveries they read, and judge as if every one were."""

from __future__ import annotations

import duckdb

from ingest.contracts import load_contracts
from monitoring.config import load_config
from monitoring.feeds import monitor_feeds, profile_deliveries
from monitoring.findings import monitoring_tables
from tests.worlds import copy_home


def profiled_files(con) -> dict[str, int]:
    found = con.sql(
        "select feed, count(distinct file_id) from monitoring_delivery_profile group by feed"
    ).fetchall()
    return dict(found)


def test_a_first_night_profiles_the_files_it_judges_and_finds_what_profiling_all_finds(
    small_world, tmp_path
):
    settings, night = small_world
    config = load_config(settings.monitoring_file)
    trailing = config.volume.trailing_deliveries
    lean = copy_home(settings.home, tmp_path / "lean")
    every = copy_home(settings.home, tmp_path / "every")
    with duckdb.connect(str(every.warehouse)) as con:
        monitoring_tables(con)
        present = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
        contracts = load_contracts(every.contracts)
        raw = {f: c.raw_table for f, c in contracts.items() if c.raw_table in present}
        profile_deliveries(con, raw, night, trailing=10_000)  # every delivery, as before
        all_files = profiled_files(con)
        judged_by_all = monitor_feeds(con, every.contracts, night, config)
    with duckdb.connect(str(lean.warehouse)) as con:
        judged = monitor_feeds(con, lean.contracts, night, config)
        lean_files = profiled_files(con)
    daily = [feed for feed, n in all_files.items() if n > trailing + 2]
    assert daily, all_files  # the world has feeds with more deliveries than the checks read
    assert all(lean_files[feed] <= trailing + 2 for feed in daily), lean_files
    assert set(lean_files) == set(all_files)
    assert judged == judged_by_all and len(judged[0]) > 20
