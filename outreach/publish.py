"""Publish a night: ranked.parquet, one visit sheet per team, the manifest, the sheet log.

Everything is written to a hidden folder beside SAGAK_HOME/outreach/<as_of> and swapped into
place in one step (outreach/nights.py), so a failure or a kill leaves that night's previous
outputs whole. A night earlier than the newest is published from the assignments as they stood
that night and assigns nobody: a later night's assignments and sheets are never changed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from outreach.assignments import (
    as_they_stood,
    close_assignments,
    close_gone,
    exclusions,
    later_assignments,
    open_assignments,
    open_counts,
    outreach_tables,
    picks,
    rewind_assignments,
    spare_capacity,
    store_picks,
)
from outreach.escalations import escalation_files, escalations
from outreach.manifest import (
    Published,
    SheetWritten,
    log_sheet_table,
    log_sheets,
    manifest,
    now_utc,
    sha256_file,
    sheet_log_rows,
    write_json,
)
from outreach.nights import NightRefused, latest_published, remove_leftovers, staged
from outreach.ranked import (
    assigned_on,
    listed_on,
    previous_night,
    ranked,
    scores,
    team_codes,
    write_ranked,
)
from outreach.report import write_report
from outreach.sheets import sheet_name, write_sheet
from outreach.teams import Team, Teams, load_teams, teams_for
from outreach.visits import household_contacts, team_visits, visit_candidates
from outreach.web_tables import web_tables
from sagak.settings import Settings


def publish(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    as_of: date,
    scorer: str,
    deliveries: list[dict],
    feeds: list[dict] | None = None,
    lang: str = "ko",
    monitoring: dict | None = None,
) -> dict:
    """Assign tonight's visits and write the night's outputs under SAGAK_HOME/outreach/<as_of>.

    Returns the manifest. The warehouse changes (assignments, sheet_log) are committed only when
    every file was written; `feeds`: the ingest report per feed, written to the manifest as is;
    `monitoring`: {summary (the manifest's `monitoring`), report (the HTML of the report's monitoring section)}.
    """
    config = load_teams(settings.teams_file)
    target = settings.outreach_dir(as_of.isoformat())
    before = previous_night(settings.outreach, as_of)
    outreach_tables(con)
    remove_leftovers(settings.outreach)
    earlier = is_earlier(con, settings, as_of)
    con.begin()
    try:
        with as_they_stood(con, as_of) if earlier else nullcontext():
            ranked_list, teams = assign(con, config, as_of, listed_on(before), earlier)
            household_contacts(con, as_of, settings.contacts, restricted=True)
            night = Night(
                as_of,
                scorer,
                ranked_list,
                teams,
                visit_candidates(con, as_of),
                lang,
                list(deliveries),
                feeds or [],
                monitoring,
                spare_capacity(teams, ranked_list, open_assignments(con), as_of),
            )
            escalated = escalations(con, as_of)
            previous = assigned_on(before)
            with staged(target) as folder:
                document, sheets = write_night(con, folder, night, escalated, previous, settings)
        records = sheet_log_rows(as_of, sheets, _relative(target, settings), now_utc())
        log_sheet_table(con, records)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    log_sheets(settings.outreach / "sheet_log.jsonl", records)
    return document


@dataclass(frozen=True)
class Night:
    """What a night publishes from: the ranked list, the teams, their open assignments and
    their spare capacity, the deliveries and feeds read, the monitoring results."""

    as_of: date
    scorer: str
    ranked_list: pl.DataFrame
    teams: list[Team]
    candidates: pl.DataFrame
    lang: str
    deliveries: list[dict]
    feeds: list[dict]
    monitoring: dict | None = None
    capacity: pl.DataFrame | None = None


def write_night(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    night: Night,
    escalated: pl.DataFrame,
    previous: pl.DataFrame | None,
    settings: Settings,
) -> tuple[dict, list[SheetWritten]]:
    """ranked.parquet, sheets, escalations, the web tables, report.html and last manifest.json
    into `folder`; the manifest and the sheets written."""
    ranked_list = night.ranked_list
    # the web tables are DuckDB's and polars' work (the GIL released), the sheets Python's: the
    # one runs beside the other, and nothing else uses the connection meanwhile
    with ThreadPoolExecutor(1, thread_name_prefix="web-tables") as beside:
        web = beside.submit(web_tables, con, folder, night.as_of, ranked_list)
        files = {
            "ranked.parquet": sha256_file(write_ranked(ranked_list, folder / "ranked.parquet"))
        }
        sheets = visit_sheets(
            folder, night.as_of, night.teams, ranked_list, night.candidates, night.lang
        )
        files |= {sheet.relpath: sheet.sha256 for sheet in sheets}
        for relpath in escalation_files(folder, night.as_of, escalated):
            files[relpath] = sha256_file(folder / relpath)
        files |= web.result()
    monitoring = night.monitoring or {}
    published = Published(
        night.as_of,
        night.scorer,
        now_utc(),
        ranked_list,
        sheets,
        escalated.height,
        night.deliveries,
        night.feeds,
        night.capacity.to_dicts() if night.capacity is not None else None,
        monitoring.get("summary"),
    )
    # the report shows the manifest, so it is made from the manifest without its own hash
    report = folder / "report.html"
    write_report(
        report,
        manifest(published, files),
        ranked_list,
        previous,
        settings,
        monitoring.get("report"),
    )
    document = manifest(published, files | {"report.html": sha256_file(report)})
    write_json(document, folder / "manifest.json")
    return document, sheets


def is_earlier(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> bool:
    """Whether a later night is published or made assignments."""
    published = latest_published(settings.outreach)
    return later_assignments(con, as_of) is not None or (
        published is not None and published > as_of
    )


def assign(
    con: duckdb.DuckDBPyConnection,
    config: Teams,
    as_of: date,
    listed_before: set[str],
    earlier: bool = False,
) -> tuple[pl.DataFrame, list[Team]]:
    """Close, expire and make tonight's assignments (an `earlier` night only reads them); the
    ranked list and the teams in it. NightRefused when no household was scored."""
    if not earlier:
        rewind_assignments(con, as_of)
        close_assignments(con, as_of)
    excluded = exclusions(con, as_of)
    scored = scores(con, excluded)
    if scored.is_empty():
        raise NightRefused(f"no household scored on {as_of}: nothing to publish")
    teams = teams_for(config, team_codes(scored))
    if not earlier:
        close_gone(con, as_of, excluded)
        free = open_counts(con)
        store_picks(con, as_of, picks(scored, teams, free, config.exploration_share, as_of))
    return ranked(scored, open_assignments(con), listed_before), teams


def visit_sheets(
    folder: Path,
    as_of: date,
    teams: list[Team],
    ranked_list: pl.DataFrame,
    candidates: pl.DataFrame,
    lang: str = "ko",
) -> list[SheetWritten]:
    """Write sheets/<emd_code>.xlsx for every team, in team order."""
    (folder / "sheets").mkdir()
    households = dict(ranked_list.group_by("emd_code").len().iter_rows())
    written, own = [], team_visits(candidates, teams)
    for team in teams:
        relpath = f"sheets/{sheet_name(team.emd_code)}"
        rows = write_sheet(team, as_of, own[team.emd_code], folder / relpath, lang)
        sha = sha256_file(folder / relpath)
        written.append(SheetWritten(team, households.get(team.emd_code, 0), relpath, rows, sha))
    return written


def _relative(path: Path, settings: Settings) -> str:
    """`path` relative to SAGAK_HOME when it lies under it, as posix text."""
    try:
        return path.relative_to(settings.home).as_posix()
    except ValueError:
        return path.as_posix()
