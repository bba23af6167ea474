"""Publish a night: ranked.parquet, one visit sheet per team, the manifest, the sheet log.

Everything is written to a temporary folder next to SAGAK_HOME/outreach/<as_of> and renamed
into place, so a failure leaves that night's previous outputs untouched.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from outreach.manifest import SheetWritten, log_sheets, manifest, sha256_file, write_json
from outreach.ranked import ranked, team_codes, write_ranked
from outreach.sheets import sheet_name, write_sheet
from outreach.teams import Team, load_teams, teams_for
from outreach.visits import household_contacts, team_visits, visit_candidates
from sagak.settings import Settings


def publish(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    as_of: date,
    scorer: str,
    deliveries: list[dict],
    feeds: list[dict] | None = None,
) -> dict:
    """Write the night's outputs under SAGAK_HOME/outreach/<as_of>; returns the manifest.

    `feeds`: the ingest report per feed (freshness, counts), written to the manifest as is.
    """
    config = load_teams(settings.teams_file)
    ranked_list = ranked(con)
    teams = teams_for(config, team_codes(ranked_list))
    household_contacts(con, as_of, settings.contacts)
    candidates = visit_candidates(con, max((team.capacity for team in teams), default=0))
    target = settings.outreach_dir(as_of.isoformat())
    with staged(target) as folder:
        files = {
            "ranked.parquet": sha256_file(write_ranked(ranked_list, folder / "ranked.parquet"))
        }
        sheets = visit_sheets(folder, as_of, teams, ranked_list, candidates)
        files |= {sheet.relpath: sheet.sha256 for sheet in sheets}
        night = manifest(as_of, scorer, ranked_list.height, deliveries, sheets, files)
        night["feeds"] = list(feeds or [])
        write_json(night, folder / "manifest.json")
    log_sheets(settings.outreach / "sheet_log.jsonl", as_of, sheets, _relative(target, settings))
    return night


def visit_sheets(
    folder: Path,
    as_of: date,
    teams: list[Team],
    ranked_list: pl.DataFrame,
    candidates: pl.DataFrame,
) -> list[SheetWritten]:
    """Write sheets/<emd_code>.xlsx for every team, in team order."""
    (folder / "sheets").mkdir()
    households = dict(ranked_list.group_by("emd_code").len().iter_rows())
    written = []
    for team in teams:
        relpath = f"sheets/{sheet_name(team.emd_code)}"
        rows = write_sheet(team, as_of, team_visits(candidates, team), folder / relpath)
        sha = sha256_file(folder / relpath)
        written.append(SheetWritten(team, households.get(team.emd_code, 0), relpath, rows, sha))
    return written


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh folder beside `target`, renamed onto it on success and removed on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield folder
        swap_into_place(folder, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def swap_into_place(folder: Path, target: Path) -> None:
    """Replace `target` by `folder`; the old target is restored if the rename fails."""
    if not target.exists():
        folder.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    target.rename(old)
    try:
        folder.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _relative(path: Path, settings: Settings) -> str:
    """`path` relative to SAGAK_HOME when it lies under it, as posix text."""
    try:
        return path.relative_to(settings.home).as_posix()
    except ValueError:
        return path.as_posix()
