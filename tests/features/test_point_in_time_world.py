"""Point in time on a synthetic world through the real ingest: a warehouse that also holds
every later delivery gives, at D, byte for byte the features of one that stopped at D."""

from datetime import date

import duckdb
import pytest

from features.build import household_features, write_snapshot
from ingest.load import ingest_inbox
from synth.world import generate

D = date(2026, 8, 20)
SECRET = "point-in-time-test"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    home = tmp_path_factory.mktemp("world")
    generate(home, households=300, months=5, end="2026-10", seed=11, mess=0.01)
    return home / "inbox"


def snapshot(tmp_path, inbox, ingest_until: date) -> bytes:
    path = tmp_path / f"until_{ingest_until}"
    path.mkdir()
    with duckdb.connect(str(path / "warehouse.duckdb")) as con:
        ingest_inbox(con, inbox, ingest_until, SECRET)
        household_features(con, D)
        write_snapshot(con, D, path / "features.parquet")
    return (path / "features.parquet").read_bytes()


def test_later_deliveries_change_no_feature_at_d(tmp_path, inbox):
    assert snapshot(tmp_path, inbox, date(2026, 10, 31)) == snapshot(tmp_path, inbox, D)


def test_the_world_has_deliveries_after_d(inbox):
    later = [p for p in inbox.glob("*/*") if p.stem.split("_")[1][:8] > D.strftime("%Y%m%d")]
    assert len(later) > 10
