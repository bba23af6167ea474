"""Inbox fingerprints: size, mtime and sha256 of each file when ingest last hashed it.

Ingest is idempotent per (path, bytes), which took reading and hashing every inbox file every
night (9.5 GB at a million households). A file whose size and mtime are those recorded with
its sha256 is taken to hold the same bytes (as git and rsync do), so only new or changed
files are read; any change of size or mtime means reading and hashing it again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sagak.warehouse import sql_text

Stat = tuple[int, int]  # (size, mtime_ns)
SETTLED_NS = 5 * 10**9  # a file modified this recently is hashed again next time


@dataclass
class Fingerprints:
    """The recorded fingerprints, and those taken during this run (saved at its end)."""

    known: dict[str, tuple[Stat, str]] = field(default_factory=dict)
    taken: dict[str, tuple[Stat, str]] = field(default_factory=dict)

    def unchanged_sha(self, path: Path, relative: str) -> str | None:
        """The recorded sha256 of the file if its size and mtime are still the recorded ones."""
        stat = stat_of(path)
        entry = self.known.get(relative)
        return entry[1] if stat is not None and entry is not None and entry[0] == stat else None

    def take(self, relative: str, stat: Stat | None, sha: str | None) -> None:
        """Record the sha256 of a file read now (`stat` taken before reading it); not for a
        file modified in the last seconds, which could change again within the same mtime."""
        if stat is not None and sha is not None and time.time_ns() - stat[1] > SETTLED_NS:
            self.taken[relative] = (stat, sha)


def stat_of(path: Path) -> Stat | None:
    """(size, mtime_ns) of a file, None if it cannot be stat-ed."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def load(con: duckdb.DuckDBPyConnection) -> Fingerprints:
    """The fingerprints the warehouse holds."""
    rows = con.sql(sql_text("ingest/inbox_files_known.sql")).fetchall()
    return Fingerprints(known={path: ((size, mtime), sha) for path, size, mtime, sha in rows})


def save(con: duckdb.DuckDBPyConnection, prints: Fingerprints) -> None:
    """Replace the recorded fingerprints of the files read in this run."""
    if not prints.taken:
        return
    rows = [[path, size, mtime, sha] for path, ((size, mtime), sha) in prints.taken.items()]
    con.begin()
    con.executemany(sql_text("ingest/inbox_files_forget.sql"), [[row[0]] for row in rows])
    con.executemany(sql_text("ingest/inbox_files_add.sql"), rows)
    con.commit()
    prints.known.update(prints.taken)
    prints.taken.clear()


def forget(con: duckdb.DuckDBPyConnection, relatives: list[str]) -> None:
    """Drop the fingerprints of files moved out of the inbox (ingest/archive.py)."""
    if relatives:
        con.executemany(sql_text("ingest/inbox_files_forget.sql"), [[r] for r in relatives])
