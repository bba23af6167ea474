"""Append-only writers for deliveries built chunk by chunk: CSV, JSON Lines and Parquet.

A file gets its header (and BOM) on its first write; later chunks append rows. Parquet writers
stay open until `close()` (one row group per chunk) and use fixed settings, so the same rows
give the same bytes.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

BOM = "\ufeff".encode()
GZIP_LEVEL = 6


class Sink:
    """Every file of one world under `root`, appended chunk by chunk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started: set[str] = set()
        self.parquet: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def _append(self, rel: str, data: bytes) -> None:
        """Append bytes to a file, creating its folder on first use."""
        path = self.root / rel
        if rel not in self.started:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
            self.started.add(rel)
        with path.open("ab") as handle:
            handle.write(data)

    def csv(self, rel: str, frame: pl.DataFrame, encoding: str) -> None:
        """Append a frame's rows as CSV (header on the first write) in `encoding`."""
        first = rel not in self.started
        empty_as_null = pl.when(pl.col(pl.String) != "").then(pl.col(pl.String))
        text = frame.with_columns(empty_as_null.name.keep()).write_csv(
            include_header=first, quote_style="necessary"
        )
        data = text.encode("cp949" if encoding == "cp949" else "utf-8")
        self._append(rel, (BOM + data) if first and encoding == "utf-8-sig" else data)
        self.rows[rel] = self.rows.get(rel, 0) + frame.height

    def jsonl(self, rel: str, lines: pl.Series, encoding: str) -> None:
        """Append JSON Lines (one object a line, already rendered)."""
        text = "".join(line + "\n" for line in lines.to_list()) if len(lines) else ""
        self._append(rel, text.encode("cp949" if encoding == "cp949" else "utf-8"))
        self.rows[rel] = self.rows.get(rel, 0) + len(lines)

    def table(self, rel: str, frame: pl.DataFrame, schema: pa.Schema | None = None) -> None:
        """Append rows to a Parquet file with `schema` (default: the first frame's), a row group a call."""
        if rel not in self.parquet:
            schema = schema or _plain(frame.to_arrow().schema)
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            self.parquet[rel] = pq.ParquetWriter(
                path, schema, compression="zstd", write_statistics=True, use_dictionary=True
            )
            self.started.add(rel)
        schema = self.parquet[rel].schema
        table = frame.to_arrow().cast(schema) if frame.height else schema.empty_table()
        self.parquet[rel].write_table(table)
        self.rows[rel] = self.rows.get(rel, 0) + frame.height

    def close(self) -> None:
        """Finish every Parquet file."""
        for writer in self.parquet.values():
            writer.close()
        self.parquet.clear()


def _plain(schema: pa.Schema) -> pa.Schema:
    """Large and view string types as plain `string`."""
    plain = {pa.large_string(): pa.string(), pa.string_view(): pa.string()}
    return pa.schema([pa.field(f.name, plain.get(f.type, f.type)) for f in schema])


def gzip_text_files(root: Path) -> dict[str, str]:
    """Replace every CSV and JSON Lines file under `root` by its `.gz` (no timestamp inside:
    same rows, same bytes); their names relative to `root`, before -> after."""
    renamed = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".csv", ".jsonl")):
        target = path.with_name(path.name + ".gz")
        with (
            path.open("rb") as source,
            target.open("wb") as raw,
            gzip.GzipFile("", "wb", GZIP_LEVEL, raw, mtime=0) as packed,
        ):
            shutil.copyfileobj(source, packed, 1 << 20)
        path.unlink()
        renamed[path.relative_to(root).as_posix()] = target.relative_to(root).as_posix()
    return renamed
