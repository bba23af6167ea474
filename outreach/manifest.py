"""What a night published: the manifest, file hashes and the append-only sheet log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from outreach.teams import Team


@dataclass(frozen=True)
class SheetWritten:
    """One team's sheet as written: its path relative to the night's folder, rows and hash."""

    team: Team
    households: int
    relpath: str
    rows: int
    sha256: str


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def jsonable(value: object) -> object:
    """JSON fallback for dates, timestamps and paths (used as json.dumps(default=...))."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot write {type(value).__name__} to JSON: {value!r}")


def now_utc() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


CAPACITY_FIELDS = ("risk_floor", "free", "picked", "spare", "below_floor", "waiting")


def team_entry(sheet: SheetWritten, capacity: dict | None = None) -> dict:
    """The manifest's entry for one team; with its row of `spare_capacity`: the risk floor,
    free capacity, tonight's picks, spare capacity (free − picks) and the eligible households
    left below and at or above the floor."""
    team = sheet.team
    entry = {
        "emd_code": team.emd_code,
        "name": team.name_ko,
        "name_en": team.name_en,
        "sigungu_code": team.sigungu_code,
        "capacity": team.capacity,
        "known": team.known,
        "households": sheet.households,
        "listed": sheet.rows,
        "sheet": sheet.relpath,
    }
    return (entry | {key: capacity[key] for key in CAPACITY_FIELDS}) if capacity else entry


def spare_total(capacity: list[dict]) -> int:
    """The visits left unused across all teams."""
    return sum(row["spare"] for row in capacity)


def spare_summary(capacity: list[dict]) -> dict:
    """Spare capacity in total and per city (teams.yml order): the visits left unused, the
    teams with some, and the households at or above their team's floor still waiting."""
    cities: dict[str | None, dict] = {}
    for row in capacity:
        city = cities.setdefault(
            row["sigungu_code"],
            {"sigungu_code": row["sigungu_code"], "spare": 0, "teams_with_spare": 0, "waiting": 0},
        )
        city["spare"] += row["spare"]
        city["teams_with_spare"] += row["spare"] > 0
        city["waiting"] += row["waiting"]
    return {
        "total": spare_total(capacity),
        "teams_with_spare": sum(row["spare"] > 0 for row in capacity),
        "by_city": list(cities.values()),
    }


@dataclass(frozen=True)
class Published:
    """What a night's manifest is made from: the night, its scorer and publishing time, the
    ranked list, the sheets and escalations written, the deliveries and feeds read, the teams'
    spare capacity (rows of `spare_capacity`; None: none is written) and the monitoring summary
    (None: none is written)."""

    as_of: date
    scorer: str
    published_at: str
    ranked_list: pl.DataFrame
    sheets: list[SheetWritten]
    escalated: int
    deliveries: list[dict]
    feeds: list[dict]
    capacity: list[dict] | None = None
    monitoring: dict | None = None


def manifest(night: Published, files: dict[str, str]) -> dict:
    """The night's manifest as plain JSON values (dates as ISO text), every key made here;
    `files`: the sha256 of every file written, by path relative to the night's folder."""
    sheets = night.sheets
    document = {
        "as_of": night.as_of.isoformat(),
        "scorer": night.scorer,
        "published_at": night.published_at,
        "counts": counts(night),
        "deliveries": list(night.deliveries),
        "teams": {"count": len(sheets), "teams": team_entries(sheets, night.capacity)},
        "unknown_teams": [sheet.team.emd_code for sheet in sheets if not sheet.team.known],
        "files": dict(sorted(files.items())),
    }
    if night.capacity is not None:
        document["spare_capacity"] = spare_summary(night.capacity)
    document["model_id"] = night.scorer
    document["feeds"] = list(night.feeds)
    if night.monitoring is not None:
        document["monitoring"] = night.monitoring
    return json_values(document)


def counts(night: Published) -> dict:
    """The manifest's `counts`: households scored and listed, teams, listed by team, spare
    capacity (when known), households with an open assignment (`assigned`), exploration,
    new since the last run, escalated, excluded by reason."""
    ranked_list, sheets = night.ranked_list, night.sheets
    reasons = ranked_list.group_by("excluded_reason").len().drop_nulls().sort("excluded_reason")
    spare = {} if night.capacity is None else {"spare_capacity": spare_total(night.capacity)}
    return {
        "households_scored": ranked_list.height,
        "households_listed": sum(sheet.rows for sheet in sheets),
        "teams": len(sheets),
        "listed_by_team": {sheet.team.emd_code: sheet.rows for sheet in sheets},
        **spare,
        "assigned": int(ranked_list["assigned"].sum()),
        "exploration": int(ranked_list["exploration"].sum()),
        "new_since_last_run": int(ranked_list["new_since_last_run"].sum()),
        "escalated": night.escalated,
        "excluded_by_reason": dict(reasons.iter_rows()),
    }


def team_entries(sheets: list[SheetWritten], capacity: list[dict] | None) -> list[dict]:
    """The manifest's entry of every team, in sheet order."""
    by_team = {row["emd_code"]: row for row in capacity or []}
    return [team_entry(sheet, by_team.get(sheet.team.emd_code)) for sheet in sheets]


def json_values(value: object) -> object:
    """`value` as plain JSON values (dates as ISO text)."""
    return json.loads(json.dumps(value, default=jsonable))


def write_json(document: dict, path: Path) -> Path:
    """Write a JSON document, UTF-8, Korean kept readable, keys in insertion order."""
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def sheet_log_rows(
    as_of: date, sheets: Iterable[SheetWritten], folder: str, written_at: str
) -> list[dict]:
    """One record per sheet written: team, night, path, rows, sha256, time."""
    return [
        {
            "as_of": as_of.isoformat(),
            "emd_code": sheet.team.emd_code,
            "path": f"{folder}/{sheet.relpath}",
            "rows": sheet.rows,
            "sha256": sheet.sha256,
            "written_at": written_at,
        }
        for sheet in sheets
    ]


def log_sheet_table(con: duckdb.DuckDBPyConnection, records: list[dict]) -> int:
    """Append the sheet records to the warehouse table `sheet_log`; returns the rows added."""
    if not records:
        return 0
    con.executemany(
        "insert into sheet_log values (?, ?::date, ?, ?, ?, ?::timestamptz::timestamp)",
        [
            [r["emd_code"], r["as_of"], r["path"], r["sha256"], r["rows"], r["written_at"]]
            for r in records
        ],
    )
    return len(records)


def log_sheets(log: Path, records: list[dict]) -> int:
    """Append one JSON line per sheet record to the sheet log; returns the lines appended."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return len(records)
