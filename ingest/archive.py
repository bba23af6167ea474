"""The archive: inbox files whose rows the warehouse holds, moved to SAGAK_HOME/archive/<feed>/.

Only with $SAGAK_ARCHIVE on (sagak/settings.py). Text deliveries are gzip-compressed on the way
(`kepco_20261030.csv` -> `kepco_20261030.csv.gz`); a `.gz` and a Parquet file (compressed inside,
by its codec) keep their bytes. So every archived file is a delivery again: back in the inbox it
is a `duplicate` for this warehouse (the ledger knows files by their content) and loads into a
new one.

Nothing is lost if the process dies anywhere: the copy is written under a temporary name, synced,
renamed into place and its folder synced before the inbox file is deleted. Until then the inbox
file is still there, and the next ingest (which does not load it again: the ledger knows it)
finishes the move. A copy already in place with the same content is kept; one with other content
(an earlier delivery under the same name) is never overwritten: the new copy's name carries its
file id (`kepco_20261030.<file_id>.csv.gz`).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import duckdb

from ingest import fingerprints
from ingest.inbox import GZIP_FORMATS, Delivery
from ingest.read import delivered
from sagak.warehouse import sql_text

GZIP_LEVEL = 6  # level 9 takes twice the time for about 3% less


def archive_stored(
    con: duckdb.DuckDBPyConnection, deliveries: list[Delivery], archive: Path
) -> list[str]:
    """Move each delivery whose content the warehouse holds to `archive`; the paths moved."""
    stored = set(con.sql(sql_text("ingest/archivable_files.sql")).fetchall())
    candidates = {path for path, _ in stored}
    moved = [
        d.relative
        for d in deliveries
        if d.relative in candidates and archive_file(d, stored, archive / d.feed)
    ]
    fingerprints.forget(con, moved)
    return moved


def archive_file(delivery: Delivery, stored: set[tuple[str, str]], folder: Path) -> bool:
    """Move one delivery into `folder` if the ledger holds its content as stored; False when it
    stays (unreadable, other content than the ledger's, changed while being archived)."""
    before = fingerprints.stat_of(delivery.path)
    try:
        raw = delivery.path.read_bytes()
    except OSError:
        return False
    _, sha, error = delivered(delivery.path, raw)
    if error is not None or (delivery.relative, sha) not in stored:
        return False
    compress = delivery.path.suffix.lstrip(".") in GZIP_FORMATS
    target = free_target(folder, delivery.path.name + (".gz" if compress else ""), sha)
    if target is None:
        return False
    if not target.exists():
        write_durably(target, gzip.compress(raw, GZIP_LEVEL, mtime=0) if compress else raw)
    if fingerprints.stat_of(delivery.path) != before:
        return False  # written to while we copied it: the next ingest reads it again
    delivery.path.unlink()
    sync_folder(delivery.path.parent)
    return True


def free_target(folder: Path, name: str, sha: str) -> Path | None:
    """`folder/name`, else the name with the file id in it: the first that is free or already
    holds this content; None if neither."""
    stem, rest = name.split(".", 1)
    for candidate in (folder / name, folder / f"{stem}.{sha[:16]}.{rest}"):
        if not candidate.exists() or content_sha(candidate) == sha:
            return candidate
    return None


def content_sha(path: Path) -> str | None:
    """The sha256 of an archived file's content (gzip undone), None if it cannot be read."""
    try:
        _, sha, error = delivered(path, path.read_bytes())
    except OSError:
        return None
    return sha if error is None else None


def write_durably(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: a synced temporary file renamed into place."""
    make_folder(target.parent)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    sync_folder(target.parent)


def make_folder(folder: Path) -> None:
    """Create a folder and any missing parents, each entry synced."""
    if folder.is_dir():
        return
    make_folder(folder.parent)
    folder.mkdir()
    sync_folder(folder.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename or delete in it survives a crash."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
