"""$SAGAK_ARCHIVE: files whose rows are stored move to SAGAK_HOME/archive/<feed>/, gzip-compressed;
they are never loaded twice, and a process killed anywhere in the move loses nothing."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest

from ingest import archive as archive_module
from sagak.settings import ARCHIVE_ENV
from tests.ingest.conftest import RRN_A, RRN_B, rows
from tests.ingest.test_compressed import HOUSING, NHIS_COLUMNS, WATER, WATER_ROWS, jsonl_bytes
from tests.ingest.test_formats import NHIS_SCHEMA

PLAIN = "water/water_20260612.csv"
CONTENT = (WATER + WATER_ROWS).encode()


@pytest.fixture
def archive(inbox, monkeypatch) -> Path:
    """Archiving on; the archive folder next to the test inbox."""
    monkeypatch.setenv(ARCHIVE_ENV, "1")
    return inbox.root.parent / "archive"


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_loaded_files_move_to_the_archive_compressed(inbox, ingest, con, archive):
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    inbox.raw("housing/housing_20260611.jsonl.gz", gzip.compress(jsonl_bytes(HOUSING), mtime=7))
    inbox.parquet("nhis/nhis_20260610.parquet", NHIS_COLUMNS, NHIS_SCHEMA)
    nhis = (inbox.root / "nhis/nhis_20260610.parquet").read_bytes()
    ledger = ingest()
    assert {row["status"] for row in ledger.values()} == {"loaded"}
    assert files(inbox.root) == []
    assert files(archive) == [
        "housing/housing_20260611.jsonl.gz",
        "nhis/nhis_20260610.parquet",
        "water/water_20260612.csv.gz",
    ]
    assert gzip.decompress((archive / f"{PLAIN}.gz").read_bytes()) == CONTENT
    # a .gz and a Parquet file (compressed inside) keep their bytes
    assert (archive / "housing/housing_20260611.jsonl.gz").read_bytes() == gzip.compress(
        jsonl_bytes(HOUSING), mtime=7
    )
    assert (archive / "nhis/nhis_20260610.parquet").read_bytes() == nhis
    assert rows(con, "select count(*) from inbox_files") == [(0,)]


def test_archiving_is_off_by_default(inbox, ingest, monkeypatch):
    monkeypatch.delenv(ARCHIVE_ENV, raising=False)
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    assert ingest()[PLAIN]["status"] == "loaded"
    assert files(inbox.root) == [PLAIN]
    assert not (inbox.root.parent / "archive").exists()


def test_rejected_and_ignored_files_stay_in_the_inbox(inbox, ingest, archive):
    inbox.raw("water/water_20260613.csv.gz", gzip.compress(CONTENT)[:-9])
    inbox.csv("water/water_20260614.csv", WATER + f"{RRN_A},2026\n")
    inbox.csv("water/notes.txt", "call the water works")
    ledger = ingest()
    assert [ledger[p]["status"] for p in sorted(ledger)] == ["ignored", "rejected", "rejected"]
    assert files(inbox.root) == sorted(ledger)
    assert not archive.exists()


def test_archived_files_are_not_loaded_again(inbox, ingest, con, archive):
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    ingest()
    assert ingest() == {}
    # the agency sends it again, or someone puts the archived copy back: one delivery
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    shutil.copy(archive / f"{PLAIN}.gz", inbox.path(f"{PLAIN}.gz"))
    ledger = ingest()
    assert list(ledger) == [f"{PLAIN}.gz"] and ledger[f"{PLAIN}.gz"]["status"] == "duplicate"
    assert rows(con, "select count(*) from raw_water") == [(3,)]
    assert files(inbox.root) == []
    assert files(archive) == [f"{PLAIN}.gz"]


def test_superseded_versions_and_duplicates_are_archived_too(inbox, ingest, archive):
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    inbox.csv("water/water_20260612_v2.csv", WATER + WATER_ROWS.replace("35000", "36000"))
    inbox.csv("water/water_20260613.csv", WATER + WATER_ROWS)  # same bytes, another day
    ledger = ingest()
    assert [ledger[p]["status"] for p in sorted(ledger)] == ["superseded", "loaded", "duplicate"]
    assert files(inbox.root) == []
    assert len(files(archive)) == 3


def test_a_duplicate_of_a_rejected_file_stays(inbox, ingest, archive):
    broken = (WATER + f"{RRN_A},2026\n").encode()
    inbox.raw("water/water_20260613.csv", broken)
    inbox.raw("water/water_20260614.csv", broken)
    assert ingest()["water/water_20260614.csv"]["status"] == "duplicate"
    assert files(inbox.root) == ["water/water_20260613.csv", "water/water_20260614.csv"]


def test_a_file_stored_before_archiving_was_on_is_archived_later(
    inbox, ingest, archive, monkeypatch
):
    # also what a process killed between the warehouse commit and the archive step leaves
    monkeypatch.delenv(ARCHIVE_ENV)
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    ingest()
    monkeypatch.setenv(ARCHIVE_ENV, "yes")
    assert ingest() == {}
    assert files(inbox.root) == []
    assert files(archive) == [f"{PLAIN}.gz"]


def test_killed_before_the_rename_loses_nothing(inbox, ingest, con, archive, monkeypatch):
    inbox.csv(PLAIN, WATER + WATER_ROWS)

    def killed(source, target):
        raise KeyboardInterrupt  # the copy is written and synced, not yet in place

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest()
    assert files(inbox.root) == [PLAIN]
    assert files(archive) == [f"water/.{Path(PLAIN).name}.gz.tmp"]
    monkeypatch.undo()
    monkeypatch.setenv(ARCHIVE_ENV, "1")
    assert ingest() == {}
    assert files(inbox.root) == []
    assert files(archive) == [f"{PLAIN}.gz"]
    assert gzip.decompress((archive / f"{PLAIN}.gz").read_bytes()) == CONTENT
    assert rows(con, "select count(*) from raw_water") == [(3,)]


def test_killed_before_the_inbox_file_is_deleted_loses_nothing(
    inbox, ingest, con, archive, monkeypatch
):
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    real = Path.unlink

    def killed(path, missing_ok=False):
        if path.parent.name == "water" and path.parent.parent == inbox.root:
            raise KeyboardInterrupt  # the copy is in place, the inbox file not yet deleted
        return real(path, missing_ok)

    monkeypatch.setattr(Path, "unlink", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest()
    assert files(inbox.root) == [PLAIN]
    assert files(archive) == [f"{PLAIN}.gz"]
    monkeypatch.setattr(Path, "unlink", real)
    assert ingest() == {}
    assert files(inbox.root) == []
    assert files(archive) == [f"{PLAIN}.gz"]
    assert rows(con, "select count(*) from raw_water") == [(3,)]


def test_an_archived_name_is_never_overwritten(inbox, ingest, con, archive):
    inbox.csv(PLAIN, WATER + WATER_ROWS)
    first = ingest()[PLAIN]
    other = WATER + f"{RRN_B},202605,1,10,N\n"
    inbox.csv(PLAIN, other)  # the same name again with other rows: loaded, archived beside
    second = ingest()[PLAIN]
    assert second["status"] == "loaded"
    assert set(files(archive)) == {
        f"{PLAIN}.gz",
        f"water/water_20260612.{second['sha256'][:16]}.csv.gz",
    }
    assert gzip.decompress((archive / f"{PLAIN}.gz").read_bytes()) == CONTENT
    assert first["sha256"] != second["sha256"]


def test_a_file_written_to_while_archived_stays(inbox, ingest, archive, monkeypatch):
    path = inbox.csv(PLAIN, WATER + WATER_ROWS)
    real = archive_module.write_durably

    def meanwhile(target, data):
        real(target, data)
        path.write_bytes(CONTENT + f"{RRN_B},202605,1,10,N\n".encode())

    monkeypatch.setattr(archive_module, "write_durably", meanwhile)
    assert ingest()[PLAIN]["status"] == "loaded"
    assert files(inbox.root) == [PLAIN]  # the next ingest reads the new bytes
