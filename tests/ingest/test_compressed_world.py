"""`sagak synth --compress` writes the text deliveries as .csv.gz/.jsonl.gz, and ingesting that
world stores what ingesting the same world uncompressed stores, file by file."""

from __future__ import annotations

import gzip
import json

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app, latest_delivery_date
from ingest.load import ingest_inbox
from sagak.settings import get_settings

WORLD = ["--households", "300", "--months", "3", "--seed", "9", "--mess", "0.05"]
LEDGER = (
    "select regexp_replace(path, '\\.gz$', '') as delivery, status, rows_received, "
    "rows_loaded, rows_quarantined from ingest_ledger order by delivery"
)


def synth(home, *extra: str) -> None:
    result = CliRunner().invoke(app, ["synth", *WORLD, "--out", str(home), *extra])
    assert result.exit_code == 0, result.output


def stored(home) -> dict:
    """The ledger (names without .gz), row counts of every raw table and of quarantine."""
    settings = get_settings(home)
    night = latest_delivery_date(settings.inbox)
    with duckdb.connect() as con:
        ingest_inbox(con, settings.inbox, night, "test-secret", contacts=home / "contacts.duckdb")
        tables = [t for (t,) in con.sql("show tables").fetchall() if t.startswith("raw_")]
        return {
            "night": night,
            "ledger": con.sql(LEDGER).fetchall(),
            "rows": {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables},
            "quarantine": con.execute("select count(*) from quarantine").fetchone()[0],
        }


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    plain, packed = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("packed")
    synth(plain)
    synth(packed, "--compress")
    return plain, packed


def test_compressed_world_has_only_gzip_text_deliveries(worlds):
    plain, packed = worlds
    names = {p.relative_to(packed / "inbox").as_posix() for p in (packed / "inbox").rglob("*.*")}
    before = {p.relative_to(plain / "inbox").as_posix() for p in (plain / "inbox").rglob("*.*")}
    assert names == {n if n.endswith(".parquet") else f"{n}.gz" for n in before}
    some = sorted((packed / "inbox" / "kepco").iterdir())[0]
    assert (
        gzip.decompress(some.read_bytes()) == (plain / "inbox" / "kepco" / some.stem).read_bytes()
    )
    # the mess log names the files as written
    log = json.loads((packed / "truth" / "mess.json").read_text())
    named = [e["file"] for e in log["files"] if "file" in e] + list(log["rows"])
    assert named and all((packed / "inbox" / name).exists() for name in named)


def test_compressed_world_stores_the_same_rows(worlds):
    plain, packed = (stored(home) for home in worlds)
    assert packed["night"] == plain["night"]
    assert packed["ledger"] == plain["ledger"]
    assert packed["rows"] == plain["rows"] and sum(plain["rows"].values()) > 1000
    assert packed["quarantine"] == plain["quarantine"] > 0
    statuses = {row[1] for row in plain["ledger"]}
    assert {"loaded", "superseded", "rejected", "duplicate"} <= statuses  # the mess made it through
