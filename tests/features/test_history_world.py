"""The features of a night read from the registry's and benefits' histories equal those read
from their snapshot copies: a synthetic world through the real ingest, its features built at
several nights from the histories ingest keeps, then from histories that are the snapshots
themselves (every row of every snapshot its own version, valid until the next snapshot of its
feed: what reading the copies meant)."""

from datetime import date

import duckdb
import polars as pl
import pytest

from features.build import build_snapshot, drop_intermediates
from ingest.load import ingest_inbox
from synth.world import generate

SECRET = "history-test"
# mid-month nights, a night on a registry delivery date and the night before it
NIGHTS = [date(2026, 6, 15), date(2026, 8, 20), date(2026, 10, 1), date(2026, 10, 31)]
SNAPSHOT_COPIES = """
create or replace table registry_history as
select
    person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in, deceased,
    r.delivery_date as valid_from,
    (select min(s.delivery_date) from history_snapshots s
     where s.feed = 'registry' and s.delivery_date > r.delivery_date) as valid_to
from (select distinct * exclude (file_id) from stg_registry) r;

create or replace table benefits_history as
select
    household_key, program, start_date, end_date,
    b.delivery_date as valid_from,
    (select min(s.delivery_date) from history_snapshots s
     where s.feed = 'benefits' and s.delivery_date > b.delivery_date) as valid_to
from (select distinct * exclude (file_id) from stg_benefits) b;
"""
HISTORY_ROWS = (
    "select count(*) from registry_history union all select count(*) from benefits_history"
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    home = tmp_path_factory.mktemp("world")
    generate(home, households=300, months=6, end="2026-10", seed=5, mess=0.01)
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    ingest_inbox(con, home / "inbox", date(2026, 10, 31), SECRET)
    yield con
    con.close()


def features(con, night: date) -> pl.DataFrame:
    """The household features at `night`, built now (nothing carried from another night)."""
    build_snapshot(con, night)
    frame = con.sql("from fx_household_features order by household_key").pl()
    drop_intermediates(con)
    return frame


def test_features_from_the_history_equal_those_from_the_snapshots(con):
    deliveries = [
        r[0]
        for r in con.sql(
            "select delivery_date from history_snapshots where feed = 'registry' order by 1"
        ).fetchall()
    ]
    nights = sorted({*NIGHTS, deliveries[-2], date.fromordinal(deliveries[-2].toordinal() - 1)})
    from_history = {night: features(con, night) for night in nights}
    kept = [r[0] for r in con.sql(HISTORY_ROWS).fetchall()]
    con.execute(SNAPSHOT_COPIES)
    copies = [r[0] for r in con.sql(HISTORY_ROWS).fetchall()]
    # six snapshots of mostly the same people and grants
    assert kept[0] < copies[0] / 3 and kept[1] < copies[1] / 2
    ended = from_history[nights[-1]]["days_since_benefit_end"].drop_nulls()
    assert len(ended) > 0  # the nights read grants that ended, not only active ones
    for night in nights:
        from_snapshots = features(con, night)
        assert from_snapshots.height > 200
        assert from_snapshots["benefit_active"].sum() > 0
        assert from_history[night].equals(from_snapshots), night


def test_the_features_read_the_history_not_the_copies(con):
    last = con.sql("select max(delivery_date) from history_snapshots where feed = 'registry'")
    last = last.fetchall()[0][0]
    before = features(con, last)
    # the history (not stg_registry) says everyone lives in one community centre
    con.execute("update registry_history set emd_code = '4817099999'")
    after = features(con, last)
    assert set(after["emd_code"].drop_nulls()) == {"4817099999"}
    assert not after.equals(before)
    assert con.sql(
        "select count(*) from stg_registry where emd_code = '4817099999'"
    ).fetchall() == [(0,)]
