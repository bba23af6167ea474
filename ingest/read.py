"""Reading a delivery into its feed's pending batch (ingest/batches.py): `_file`, `_delivery_date`,
`_row` and one VARCHAR column per contract column, any format.

Encodings are detected here, whatever the contract promised: UTF-8 (with or without BOM),
else CP949. DuckDB reads only UTF-8 without extensions we cannot download, so CP949 text is
decoded in Python and handed to DuckDB re-encoded as UTF-8. A gzip-compressed text delivery
(`.csv.gz`, `.jsonl.gz`) is checked on its content; DuckDB reads UTF-8 gzip as it is.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ingest.contracts import Contract, normalise_header
from sagak.warehouse import quote_ident, quote_literal, sql_text

UTF8_BOM = b"\xef\xbb\xbf"
PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class Into:
    """Where a delivery's rows go: the pending table of its feed's batch, as file `file`."""

    table: str  # quoted name of the temp table
    file: int
    delivery_date: date

    @property
    def params(self) -> dict:
        """The query parameters that number the rows' file and date them."""
        return {"file": self.file, "delivery_date": self.delivery_date}


class RejectedFile(ValueError):
    """A delivery that cannot be read at all; the message says why."""


def is_gzip(path: Path) -> bool:
    """True for a gzip-compressed delivery (`.csv.gz`, `.jsonl.gz`)."""
    return path.name.endswith(".gz")


def delivered(path: Path, raw: bytes) -> tuple[bytes, str, str | None]:
    """The content of a delivery file (gzip undone), the sha256 it is known by, and why the
    content cannot be had (a broken gzip: then the sha256 is of the file's own bytes).

    A delivery is known by the sha256 of its content, not of its file: the same rows sent plain
    or gzip-compressed, by the agency or by the archive, are one delivery, loaded once; and
    gzip bytes change with the compressor, its level and the timestamp it stamps.
    """
    if not is_gzip(path):
        return raw, sha256(raw), None
    try:
        data = gzip.decompress(raw)
    except EOFError:
        return b"", sha256(raw), "gzip stream ends early: truncated in transfer?"
    except (OSError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
        return b"", sha256(raw), f"not a readable gzip file ({err})"
    return data, sha256(data), None


def sha256(data: bytes) -> str:
    """The hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def text_encoding(data: bytes) -> tuple[str, str | None]:
    """The encoding of a delivery's text, tried strictly: utf-8-sig, utf-8 or cp949; and its
    text for CP949 (UTF-8 is checked without being decoded: DuckDB reads those bytes as they
    are)."""
    if not data or data.isspace():
        raise RejectedFile("empty file")
    if b"\x00" in data:
        raise RejectedFile("binary content (NUL bytes), not text")
    if is_utf8(data):
        return ("utf-8-sig" if data.startswith(UTF8_BOM) else "utf-8"), None
    try:
        return "cp949", data.decode("cp949")
    except UnicodeDecodeError as err:
        raise RejectedFile(
            f"neither UTF-8 nor CP949 text (bad byte at offset {err.start})"
        ) from err


def is_utf8(data: bytes) -> bool:
    """Whether some bytes are valid UTF-8 (as strict as Python's decoder), checked by Arrow in
    place: decoding a delivery into a Python str only to check it cost seconds a load."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    binary = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        binary.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def first_line(data: bytes, encoding: str, text: str | None) -> str:
    """The first line of a delivery (its header, for CSV), without BOM or line break."""
    if text is None:
        end = data.find(b"\n")
        text = data[: end if end >= 0 else len(data)].decode(encoding)
    end = text.find("\n")
    return text[: end if end >= 0 else len(text)].lstrip("\ufeff").rstrip("\r")


def utf8_source(path: Path, data: bytes, workdir: Path) -> tuple[dict, str, str]:
    """Where DuckDB reads UTF-8 with the same text as `path` (`path`, `compression`), the
    text's first line and its original encoding (`data` is the content, gzip undone)."""
    encoding, text = text_encoding(data)
    if not data.endswith(b"\n"):  # a CP949 byte pair never ends in 0x0A either
        # the last row may be cut anywhere, even inside a number that still parses
        raise RejectedFile("does not end with a line break: truncated in transfer?")
    header = first_line(data, encoding, text)
    if text is None:
        return {"path": str(path), "compression": compression(path)}, header, encoding
    converted = workdir / "utf8.txt"
    converted.write_text(text, encoding="utf-8")
    return {"path": str(converted), "compression": "none"}, header, encoding


def compression(path: Path) -> str:
    """DuckDB's `compression` for a delivery file: gzip or none, never guessed."""
    return "gzip" if is_gzip(path) else "none"


def map_headers(headers: list[str], contract: Contract) -> dict[str, str]:
    """Contract column name -> the file's own spelling, for each column the file carries."""
    by_spelling = {s: c.name for c in contract.columns for s in c.spellings}
    found: dict[str, str] = {}
    for header in headers:
        name = by_spelling.get(normalise_header(header))
        if name is None:
            continue
        if name in found:
            raise RejectedFile(f"column {name!r} appears twice ({found[name]!r}, {header!r})")
        found[name] = header
    missing = [c.name for c in contract.columns if c.required and c.name not in found]
    if missing:
        shown = ", ".join(repr(h) for h in headers[:15])
        raise RejectedFile(f"required columns missing: {', '.join(missing)} (header: {shown})")
    return found


def extra_headers(headers: list[str], mapping: dict[str, str]) -> list[str]:
    """Headers of the file that no contract column claims (ignored, reported)."""
    claimed = set(mapping.values())
    return [h for h in headers if h not in claimed]


def incoming_columns(contract: Contract, mapping: dict[str, str], source) -> str:
    """Select list: each contract column as VARCHAR from `source(header)`, NULL when absent."""
    parts = []
    for column in contract.columns:
        header = mapping.get(column.name)
        value = "null" if header is None else source(header)
        parts.append(f"({value})::varchar as {quote_ident(column.name)}")
    return ", ".join(parts)


def read_csv(con, path: Path, data: bytes, contract: Contract, workdir: Path, into: Into) -> dict:
    """Add a CSV delivery's rows `into` its batch; returns what was noticed (encoding, extra
    columns)."""
    source, header, encoding = utf8_source(path, data, workdir)
    headers = next(csv.reader([header]), [])
    mapping = map_headers(headers, contract)
    positions = {h: f"c{i}" for i, h in enumerate(headers)}
    select = incoming_columns(contract, mapping, lambda h: positions[h])
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    query = sql_text("ingest/incoming_csv.sql").format(table=into.table, select=select)
    con.execute(query, source | into.params | {"columns": columns})
    return {"encoding": encoding, "extra": extra_headers(headers, mapping)}


def read_parquet(
    con, path: Path, data: bytes, contract: Contract, workdir: Path, into: Into
) -> dict:
    """Add a Parquet delivery's rows `into` its batch, every column cast to VARCHAR."""
    if not data:
        raise RejectedFile("empty file")
    if not (data.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC)):
        raise RejectedFile("not a complete Parquet file (no PAR1 at start and end: truncated?)")
    described = con.sql(sql_text("ingest/describe_parquet.sql"), params={"path": str(path)})
    headers = [row[0] for row in described.fetchall()]
    mapping = map_headers(headers, contract)
    select = incoming_columns(contract, mapping, quote_ident)
    query = sql_text("ingest/incoming_parquet.sql").format(table=into.table, select=select)
    con.execute(query, into.params | {"path": str(path)})
    return {"encoding": None, "extra": extra_headers(headers, mapping)}


def read_jsonl(con, path: Path, data: bytes, contract: Contract, workdir: Path, into: Into) -> dict:
    """Add a JSON Lines delivery's rows `into` its batch; the union of the objects' keys is its
    header."""
    source, _, encoding = utf8_source(path, data, workdir)
    con.execute(sql_text("ingest/incoming_json_lines.sql"), source)
    keys = con.sql(sql_text("ingest/json_lines_keys.sql")).fetchall()
    headers = sorted(k for (k,) in keys)
    mapping = map_headers(headers, contract)
    select = incoming_columns(contract, mapping, lambda h: f"json ->> {quote_literal(h)}")
    query = sql_text("ingest/incoming_json_lines_rows.sql").format(table=into.table, select=select)
    con.execute(query, into.params)
    return {"encoding": encoding, "extra": extra_headers(headers, mapping)}


READERS = {"csv": read_csv, "parquet": read_parquet, "jsonl": read_jsonl}


def read_delivery(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    data: bytes,
    contract: Contract,
    workdir: Path,
    into: Into,
) -> dict:
    """Add the rows of `path` `into` its batch (`_file`, `_delivery_date`, `_row` + VARCHAR
    columns) per its contract; `data` is its content (gzip undone: `delivered`)."""
    return READERS[contract.format](con, path, data, contract, workdir, into)
