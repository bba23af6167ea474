"""The published nights the application serves from: SAGAK_HOME/outreach/<night>/.

A night exists for the web once its manifest.json does (publish writes it last, in a hidden
folder that the link `<night>` is swapped to in one step: outreach/nights.py), so picking the
newest such night on every request switches to a new night atomically and never shows one half
written. Queries run in an in-memory DuckDB over
the night's Parquet files; the warehouse, which the nightly run holds, is never opened.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sagak.warehouse import sql_text

NIGHT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
HISTORY_NIGHTS = 60
RETRY_SECONDS = 0.2


@dataclass(frozen=True)
class Night:
    """One published night: its date (ISO text), folder and manifest."""

    night: str
    folder: Path
    manifest: dict

    def file(self, relpath: str) -> Path:
        return self.folder / relpath


class Nights:
    """The published nights under one outreach folder, and queries over their files."""

    def __init__(self, outreach: Path, memory_limit: str = "1GB") -> None:
        self.outreach = outreach
        self.con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 2})
        self.con.execute(sql_text("web/ranked_filtered.sql"))
        self.manifests: dict[tuple[str, int], dict] = {}

    def folders(self) -> list[str]:
        """Names of the night folders, newest first, published or not."""
        if not self.outreach.is_dir():
            return []
        return sorted(
            (p.name for p in self.outreach.iterdir() if NIGHT_NAME.match(p.name)), reverse=True
        )

    def names(self) -> list[str]:
        """Published nights, newest first (a night counts once its manifest.json exists)."""
        return [n for n in self.folders() if (self.outreach / n / "manifest.json").is_file()]

    def get(self, name: str) -> Night | None:
        """A published night by its date, or None."""
        if not NIGHT_NAME.match(name):
            return None
        path = self.outreach / name / "manifest.json"
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        key = (name, stamp)
        if key not in self.manifests:
            self.manifests[key] = json.loads(path.read_text(encoding="utf-8"))
        return Night(name, self.outreach / name, self.manifests[key])

    def current(self) -> Night | None:
        """The newest published night, re-read on every call."""
        for name in self.folders():
            night = self.get(name)
            if night is not None:
                return night
        return None

    def previous(self, night: Night) -> Night | None:
        """The published night before `night`, if any."""
        older = [name for name in self.names() if name < night.night]
        return self.get(older[0]) if older else None

    def history_files(self, relpath: str, limit: int = HISTORY_NIGHTS) -> list[str]:
        """`relpath` of the newest `limit` nights that have it, newest first."""
        paths = [self.outreach / name / relpath for name in self.names()[:limit]]
        return [str(p) for p in paths if p.is_file()]

    def query(self, name: str, params: dict) -> list[dict]:
        """Rows of sql/web/<name>.sql with `params` ($name parameters), as dicts.

        A night re-published is swapped to a new folder and the old one removed; a query that
        was reading the old one finds no file and is run once more.
        """
        text = sql_text(f"web/{name}.sql")
        used = set(PARAMETER.findall(text))
        values = {k: v for k, v in params.items() if k in used}
        try:
            return self._rows(text, values)
        except duckdb.IOException:
            time.sleep(RETRY_SECONDS)
            return self._rows(text, values)

    def _rows(self, text: str, values: dict) -> list[dict]:
        cursor = self.con.cursor()
        try:
            result = cursor.execute(text, values)
            columns = [c[0] for c in result.description]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
        finally:
            cursor.close()
