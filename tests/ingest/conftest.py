"""Fixtures for ingest tests: a temporary inbox, a warehouse, and writers for each format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.load import ingest_inbox
from sagak.settings import DEFAULT_HOME

PEPPER = "test-secret"
AS_OF = date(2026, 6, 30)
CONTRACTS = DEFAULT_HOME / "contracts"
# synthetic rrns whose check digit is deliberately wrong (no real person's)
RRN_A, RRN_B, RRN_C = "800101-1234567", "750315-2345678", "900720-1456789"


def check_digit_ok(rrn: str) -> bool:
    """True when an rrn's check digit is right, i.e. it could be a real person's."""
    digits = [int(x) for x in rrn.replace("-", "")]
    total = sum(d * w for d, w in zip(digits, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=False))
    return (11 - total % 11) % 10 == digits[12]


assert not any(check_digit_ok(r) for r in (RRN_A, RRN_B, RRN_C))


class Inbox:
    """A temporary SAGAK_HOME inbox with writers for the agencies' formats."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        """The full path of `relative`, its folder created."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def csv(self, relative: str, text: str, encoding: str = "utf-8") -> Path:
        """Write CSV text in `encoding` (utf-8-sig for a BOM, cp949 ...)."""
        path = self.path(relative)
        path.write_bytes(text.encode(encoding))
        return path

    def jsonl(self, relative: str, records: list[dict]) -> Path:
        """Write one JSON object a line."""
        path = self.path(relative)
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def parquet(self, relative: str, columns: dict, schema: pa.Schema) -> Path:
        """Write a Parquet file with an explicit Arrow schema."""
        path = self.path(relative)
        pq.write_table(pa.table(columns, schema=schema), path)
        return path

    def raw(self, relative: str, data: bytes) -> Path:
        """Write bytes as they are."""
        path = self.path(relative)
        path.write_bytes(data)
        return path


@pytest.fixture
def inbox(tmp_path) -> Inbox:
    return Inbox(tmp_path / "home" / "inbox")


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect()  # in memory: the warehouse file adds nothing but time here
    yield con
    con.close()


@pytest.fixture
def ingest(con, inbox):
    """Run ingest_inbox on the test inbox; returns the ledger rows by path."""

    def run(as_of: date = AS_OF) -> dict[str, dict]:
        rows = ingest_inbox(con, inbox.root, as_of, PEPPER, contracts_dir=CONTRACTS)
        return {row["path"]: row for row in rows}

    return run


def rows(con, query: str, **params) -> list[tuple]:
    """All rows of a query."""
    return con.sql(query, params=params or None).fetchall()


def contact_rows(inbox: Inbox, query: str) -> list[tuple]:
    """Rows of a query on the contacts store next to the test inbox."""
    with duckdb.connect(str(inbox.root.parent / "contacts.duckdb"), read_only=True) as store:
        return store.sql(query).fetchall()
