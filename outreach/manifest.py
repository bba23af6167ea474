"""What a night published: the manifest, file hashes and the append-only sheet log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

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


def team_entry(sheet: SheetWritten) -> dict:
    """The manifest's entry for one team."""
    team = sheet.team
    return {
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


def manifest(
    as_of: date,
    scorer: str,
    households: int,
    deliveries: list[dict],
    sheets: list[SheetWritten],
    files: dict[str, str],
) -> dict:
    """The night's manifest as plain JSON values (dates as ISO text)."""
    raw = {
        "as_of": as_of.isoformat(),
        "scorer": scorer,
        "published_at": now_utc(),
        "counts": {
            "households_scored": households,
            "households_listed": sum(sheet.rows for sheet in sheets),
            "teams": len(sheets),
            "listed_by_team": {sheet.team.emd_code: sheet.rows for sheet in sheets},
        },
        "deliveries": list(deliveries),
        "teams": {"count": len(sheets), "teams": [team_entry(sheet) for sheet in sheets]},
        "unknown_teams": [sheet.team.emd_code for sheet in sheets if not sheet.team.known],
        "files": dict(sorted(files.items())),
    }
    return json.loads(json.dumps(raw, default=jsonable))


def write_json(document: dict, path: Path) -> Path:
    """Write a JSON document, UTF-8, Korean kept readable, keys in insertion order."""
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def log_sheets(log: Path, as_of: date, sheets: list[SheetWritten], folder: str) -> int:
    """Append one JSON line per sheet written to the sheet log; returns the lines appended."""
    written_at = now_utc()
    lines = [
        json.dumps(
            {
                "as_of": as_of.isoformat(),
                "emd_code": sheet.team.emd_code,
                "path": f"{folder}/{sheet.relpath}",
                "rows": sheet.rows,
                "sha256": sheet.sha256,
                "written_at": written_at,
            },
            ensure_ascii=False,
        )
        for sheet in sheets
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)
    return len(lines)
