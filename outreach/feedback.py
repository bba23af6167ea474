"""Visit results coming back: a returned sheet (.xlsx) or a CSV → `visit_results`.

A sheet's results may be labels (위기 확인, confirmed crisis) or codes (older sheets), its
services O marks under each service or typed codes (`food;repairs`); both are stored as codes,
with who visited (방문자). Every row is checked (unknown household, not assigned to that team,
bad date, unknown result or service) and reported with its file and row; the good rows are
stored, keyed by (household_key, emd_code, assigned_date): the same file twice stores nothing
twice, a corrected file replaces the rows it corrects. Notes are not stored (free text may hold
personal details).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from outreach.assignments import outreach_tables
from outreach.manifest import sha256_file
from outreach.outcomes import OUTCOME_NAMES, outcome_code
from outreach.returned import (
    FeedbackFileError,
    Returned,
    read_csv,
    read_sheet,
    split_services,
)
from outreach.services import SERVICES, service_code
from outreach.visits import load_visits
from sagak.privacy import household_key, secret
from sagak.settings import Settings
from sagak.warehouse import sql_text, table_exists

# re-exported: the web, the flows and the tests import them from here
__all__ = ["FeedbackFileError", "Returned", "read_csv", "read_sheet"]

NEEDS_VISIT_DATE = ("confirmed_crisis", "not_in_need")
DATE_TEXT = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")


@dataclass
class FeedbackResult:
    """What storing one file did."""

    path: Path
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def as_date(value: object, column: str = "visit_date") -> date | None:
    """A cell or CSV value as a date: date, datetime or 'YYYY-MM-DD' (also . or /); else error."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_TEXT.match(str(value).strip())
    if match is None:
        raise ValueError(f"{column}: expected a date YYYY-MM-DD, got {value!r}")
    return date(*(int(part) for part in match.groups()))


def check_row(
    r: Returned, assignment: Callable[[Returned, date | None], date | None], received: date
) -> dict:
    """One row as a `visit_results` record, or ValueError with what is wrong."""
    if r.problem:
        raise ValueError(r.problem)
    outcome = outcome_code(r.outcome)
    if outcome is None:
        labels = ", ".join(ko for ko, _ in OUTCOME_NAMES.values())
        raise ValueError(
            f"unknown result code {r.outcome!r} (expected one of {', '.join(OUTCOME_NAMES)}, "
            f"or a label: {labels})"
        )
    typed = split_services(r.services)
    unknown = [s for s in typed if service_code(s) is None]
    if unknown:
        raise ValueError(
            f"unknown service code(s) {', '.join(unknown)} (expected {', '.join(SERVICES)})"
        )
    services = list(dict.fromkeys(service_code(s) for s in typed))
    assigned_hint = as_date(r.assigned_date, "assigned_date")
    assigned = assignment(r, assigned_hint)
    visit_date = as_date(r.visit_date)
    if visit_date is None and outcome in NEEDS_VISIT_DATE:
        raise ValueError(f"result {outcome} needs a visit date")
    if visit_date is not None and not assigned <= visit_date <= received:
        raise ValueError(
            f"visit date {visit_date} is outside {assigned} (assigned) … {received} (received)"
        )
    return {
        "household_key": r.household_key,
        "emd_code": r.emd_code,
        "assigned_date": assigned,
        "visit_date": visit_date,
        "outcome": outcome,
        "services": services,
        "visited_by": r.visited_by.strip() or None,
    }


def answered_assignment(made_on: list[date], hint: date | None, missing: str) -> date:
    """The day of the assignment a returned row answers: the latest of the days its household
    was assigned to its team (`made_on`), on or before the sheet's night `hint` when there is
    one; ValueError `missing` (and the night) when there is none."""
    chosen = [day for day in made_on if hint is None or day <= hint]
    if not chosen:
        raise ValueError(missing + (f" on or before {hint}" if hint else ""))
    return max(chosen)


def assignment_finder(con: duckdb.DuckDBPyConnection) -> Callable[[Returned, date | None], date]:
    """A function giving the assignment date a returned row answers, or ValueError."""
    made: dict[tuple[str, str], list[date]] = {}
    for key, emd, assigned_on in con.sql(sql_text("outreach/assignment_made.sql")).fetchall():
        made.setdefault((key, emd), []).append(assigned_on)
    known = {key for key, _ in made}
    if table_exists(con, "household_scores"):
        known |= {
            row[0] for row in con.sql("select household_key from household_scores").fetchall()
        }

    def find(r: Returned, hint: date | None) -> date:
        if r.household_key not in known:
            raise ValueError(f"unknown household {r.household_key!r}")
        missing = f"household {r.household_key} was not assigned to team {r.emd_code}"
        return answered_assignment(made.get((r.household_key, r.emd_code), []), hint, missing)

    return find


def store_results(
    con: duckdb.DuckDBPyConnection, good: pl.DataFrame, path: Path, sha: str, received: date
) -> tuple[int, int]:
    """Upsert the checked rows into `visit_results`; returns (stored, unchanged)."""
    con.register("returned_frame", good.to_arrow())
    unchanged = con.sql(sql_text("outreach/visit_results_unchanged.sql")).fetchall()[0][0]
    con.execute(sql_text("outreach/visit_results_corrected.sql"))
    con.execute(
        sql_text("outreach/visit_results_insert.sql"),
        {"received": received, "file": path.name, "sha": sha},
    )
    con.unregister("returned_frame")
    return good.height - unchanged, unchanged


def store_feedback(
    con: duckdb.DuckDBPyConnection, path: Path, household_key: Callable[[str], str], received: date
) -> FeedbackResult:
    """Read, check and store one returned file; FeedbackFileError if it cannot be read at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FeedbackFileError(f"{path}: expected a returned sheet (.xlsx) or a CSV (.csv)")
    returned = read_sheet(path) if suffix == ".xlsx" else read_csv(path, household_key)
    result = FeedbackResult(path, rows=len(returned))
    find = assignment_finder(con)
    good = []
    for r in returned:
        try:
            good.append(check_row(r, find, received))
        except ValueError as exc:
            result.errors.append(f"{path.name} row {r.row}: {exc}")
    frame = pl.DataFrame(good, schema=RESULT_SCHEMA)
    result.stored, result.unchanged = store_results(con, frame, path, sha256_file(path), received)
    return result


RESULT_SCHEMA = {
    "household_key": pl.String,
    "emd_code": pl.String,
    "assigned_date": pl.Date,
    "visit_date": pl.Date,
    "outcome": pl.String,
    "services": pl.List(pl.String),
    "visited_by": pl.String,
}


def feedback_files(folder: Path) -> list[Path]:
    """Returned files dropped in a folder (inbox/feedback/), oldest name first."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".xlsx", ".csv") and not p.name.startswith(("~$", "."))
    )


def store_folder(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    household_key: Callable[[str], str],
    received: date,
) -> list[FeedbackResult]:
    """Store every returned file in `folder`; a file that cannot be read is reported, not raised."""
    results = []
    for path in feedback_files(folder):
        try:
            results.append(store_feedback(con, path, household_key, received))
        except FeedbackFileError as exc:
            results.append(FeedbackResult(path, errors=[str(exc)]))
    return results


def store_visit_results(
    con: duckdb.DuckDBPyConnection, settings: Settings, received: date, path: Path | None = None
) -> tuple[list[FeedbackResult], int]:
    """The feedback sequence, the one way results come in: store one returned file (`path`;
    FeedbackFileError if it cannot be read) or every file in inbox/feedback/ (each reported, not
    raised), then rebuild `visits`; returns what each file did and the rows of `visits`."""
    outreach_tables(con)
    key = secret(settings)

    def keyed(household_no: str) -> str:
        return household_key(household_no, key)

    if path is not None:
        results = [store_feedback(con, Path(path), keyed, received)]
    else:
        results = store_folder(con, settings.feedback_inbox, keyed, received)
    return results, load_visits(con, settings.feedback, key)
