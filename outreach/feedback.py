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

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from outreach.manifest import sha256_file
from outreach.outcomes import OUTCOME_NAMES, folded, outcome_code
from outreach.services import SERVICES, service_code

TITLE = re.compile(r"\((?P<emd_code>[0-9A-Za-z_-]+)\).*기준일 (?P<as_of>\d{4}-\d{2}-\d{2})")
KEY_HEADER = "가구키 (household_key)"
SHEET_FIELDS = {"visit_date": "방문일", "outcome": "결과", "visited_by": "방문자"}
REQUIRED = ("household_key", "visit_date", "outcome")
TYPED = {
    "household_key": "household key",
    "visit_date": "visit date",
    "outcome": "result code",
    "visited_by": "visitor's name",
    "services": "service mark",
}
NEEDS_VISIT_DATE = ("confirmed_crisis", "not_in_need")
DATE_TEXT = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
# what marks a service as linked in its column, and what says it was not (folded: lower case)
MARKED = {"o", "○", "◯", "✓", "✔", "v", "y", "yes", "1", "예", "true"}
NOT_MARKED = {"x", "×", "✗", "n", "no", "아니오", "false", "-"}


class FeedbackFileError(ValueError):
    """The file as a whole cannot be read as visit results; the message names the file."""


@dataclass(frozen=True)
class Returned:
    """One row of a returned file as written by the team, before checking."""

    row: int
    household_key: str
    emd_code: str
    assigned_date: object  # a date on a sheet (its night), text in a CSV, None if absent
    visit_date: object
    outcome: str
    services: str  # codes or Korean names, `;`-separated
    problem: str | None = None  # what makes the row unreadable as typed (a formula)
    visited_by: str = ""


@dataclass
class FeedbackResult:
    """What storing one file did."""

    path: Path
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """Where a returned sheet keeps what is read back: 0-based columns, the first household row.

    `services` maps each service column to its code, or to None for a column of typed codes
    (연계서비스 on sheets before the mark columns)."""

    first_row: int
    at: dict[str, int]
    services: dict[int, str | None]


def visit_worksheet(path: Path) -> tuple[Worksheet, re.Match]:
    """The workbook's visit sheet (the first whose A1 is a sagak title) and its title."""
    try:  # formulas as written, not their cached values: a result must be typed, not computed
        workbook = openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FeedbackFileError(f"{path}: not a readable .xlsx workbook: {exc}") from exc
    for ws in workbook.worksheets:
        title = TITLE.search(str(ws.cell(row=1, column=1).value or ""))
        if title is not None:
            return ws, title
    raise FeedbackFileError(
        f"{path}: cell A1 is not a sagak sheet title '(<emd_code>) … 기준일 YYYY-MM-DD'"
    )


def sheet_layout(ws: Worksheet, path: Path) -> Layout:
    """The columns of a returned sheet, new (service marks, 2 header rows) or old (typed codes)."""
    header_row = next(
        (r for r in range(1, 13) if KEY_HEADER in (text(c.value) for c in ws[r])), None
    )
    if header_row is None:
        raise FeedbackFileError(f"{path}: no header row with the column {KEY_HEADER}")
    headers = [text(c.value) for c in ws[header_row]]
    at = {"household_key": headers.index(KEY_HEADER)}
    at |= {name: headers.index(h) for name, h in SHEET_FIELDS.items() if h in headers}
    # a new sheet's headers span two rows: nothing under the key header, labels under services
    below = [text(c.value) for c in ws[header_row + 1]]
    two_rows = not below[at["household_key"]]
    services = {i: service_code(label) for i, label in enumerate(below) if two_rows and label}
    services = {i: code for i, code in services.items() if code is not None}
    if not services and "연계서비스" in headers:
        services = {headers.index("연계서비스"): None}
    missing = [SHEET_FIELDS[name] for name in REQUIRED if name not in at]
    missing += [] if services else ["연계서비스"]
    if missing:
        raise FeedbackFileError(
            f"{path}: row {header_row} lacks the column(s) {', '.join(missing)}"
        )
    return Layout(header_row + (2 if two_rows else 1), at, services)


def text(value: object) -> str:
    """A header cell's text ('' when empty)."""
    return str(value or "").strip()


def read_sheet(path: Path) -> list[Returned]:
    """The filled-in rows of a returned visit sheet (rows with neither result nor date skipped)."""
    ws, title = visit_worksheet(path)
    layout = sheet_layout(ws, path)
    night = date.fromisoformat(title["as_of"])
    rows = []
    for number, values in enumerate(
        ws.iter_rows(min_row=layout.first_row, values_only=True), start=layout.first_row
    ):
        get = {name: values[i] if i < len(values) else None for name, i in layout.at.items()}
        if not get["household_key"] or (
            get["outcome"] in (None, "") and get["visit_date"] in (None, "")
        ):
            continue
        services, problem = row_services(values, layout, number)
        rows.append(
            Returned(
                number,
                str(get["household_key"]).strip(),
                title["emd_code"],
                night,
                get["visit_date"],
                str(get["outcome"] or "").strip(),
                services,
                formula_found(get, layout.at, number) or problem,
                str(get.get("visited_by") or "").strip(),
            )
        )
    return rows


def row_services(values: tuple, layout: Layout, row: int) -> tuple[str, str | None]:
    """A row's services as `;`-separated text (marked columns, typed codes), and any problem."""
    found = []
    for column, code in layout.services.items():
        value = values[column] if column < len(values) else None
        shown = getattr(value, "text", value)
        where = f"cell {get_column_letter(column + 1)}{row}"
        if isinstance(shown, str) and shown.startswith("="):
            return (
                "",
                f"a formula was found in {where} ({shown}): type the {TYPED['services']} itself",
            )
        mark = folded(str(shown)) if shown not in (None, "") else ""
        if not mark or mark in NOT_MARKED:
            continue
        if code is None:
            found.append(str(shown))  # a column of typed codes: check_row names unknown ones
        elif mark in MARKED:
            found.append(code)
        elif all(service_code(s) for s in split_services(str(shown))):
            found.append(str(shown))  # codes typed into a service cell, as on older sheets
        else:
            return "", (
                f"{where} ({SERVICES[code]}, {code}) holds {shown!r}: mark each service linked "
                "with O in its column, or leave it empty"
            )
    return ";".join(found), None


def split_services(typed: str) -> list[str]:
    """Service codes or names typed `;`- or `,`-separated."""
    return [s.strip() for s in re.split(r"[;,]", typed) if s.strip()]


def formula_found(values: dict, at: dict, row: int) -> str | None:
    """'a formula was found in cell E9 (=…)' for the first of a row's fields holding one."""
    for name, value in values.items():
        text = getattr(value, "text", value)  # an ArrayFormula keeps its formula in .text
        if isinstance(text, str) and text.startswith("="):
            cell = f"{get_column_letter(at[name] + 1)}{row}"
            return f"a formula was found in cell {cell} ({text}): type the {TYPED[name]} itself"
    return None


def read_csv(path: Path, household_key: Callable[[str], str]) -> list[Returned]:
    """The rows of a CSV in the visit-results layout (README); `household_no` or `household_key`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.DictReader(handle))
            columns = set(records[0]) if records else set()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FeedbackFileError(f"{path}: not a readable UTF-8 CSV: {exc}") from exc
    if not records:
        raise FeedbackFileError(
            f"{path}: no visit results in it (the file is empty or has only a header row)"
        )
    if not ({"household_no", "household_key"} & columns and {"emd_code", "outcome"} <= columns):
        raise FeedbackFileError(
            f"{path}: expected columns household_no (or household_key), emd_code, outcome, "
            f"assigned_date, visit_date, services; got {', '.join(sorted(columns))}"
        )
    return [
        Returned(
            line,
            r["household_key"]
            if r.get("household_key")
            else household_key(r.get("household_no") or ""),
            (r.get("emd_code") or "").strip(),
            (r.get("assigned_date") or "").strip() or None,
            (r.get("visit_date") or "").strip() or None,
            (r.get("outcome") or "").strip(),
            r.get("services") or "",
            visited_by=(r.get("visited_by") or "").strip(),
        )
        for line, r in enumerate(records, start=2)
    ]


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


def assignment_finder(con: duckdb.DuckDBPyConnection) -> Callable[[Returned, date | None], date]:
    """A function giving the assignment date a returned row answers, or ValueError."""
    scored = "select household_key from household_scores union " if has_scores(con) else ""
    known = {row[0] for row in con.sql(f"{scored}select household_key from assignments").fetchall()}
    made: dict[tuple[str, str], list[date]] = {}
    for key, emd, assigned in con.sql(
        "select household_key, emd_code, assigned from assignments"
    ).fetchall():
        made.setdefault((key, emd), []).append(assigned)

    def find(r: Returned, hint: date | None) -> date:
        if r.household_key not in known:
            raise ValueError(f"unknown household {r.household_key!r}")
        dates = made.get((r.household_key, r.emd_code), [])
        chosen = (
            dates
            if hint is None
            else [d for d in dates if d == hint] or [d for d in dates if d <= hint]
        )
        if not chosen:
            raise ValueError(
                f"household {r.household_key} was not assigned to team {r.emd_code}"
                + (f" on or before {hint}" if hint else "")
            )
        return max(chosen)

    return find


def has_scores(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has scored households yet (not before the first night)."""
    query = "select count(*) from duckdb_tables() where table_name = 'household_scores'"
    return con.sql(query).fetchall()[0][0] > 0


def store_results(
    con: duckdb.DuckDBPyConnection, good: pl.DataFrame, path: Path, sha: str, received: date
) -> tuple[int, int]:
    """Upsert the checked rows into `visit_results`; returns (stored, unchanged)."""
    con.register("returned_frame", good.to_arrow())
    unchanged = con.sql(
        """
        select count(*) from returned_frame n join visit_results o
          on n.household_key = o.household_key and n.emd_code = o.emd_code
         and n.assigned_date = o.assigned_date
        where n.visit_date is not distinct from o.visit_date and n.outcome = o.outcome
          and list_sort(n.services) = list_sort(o.services)
          and n.visited_by is not distinct from o.visited_by
        """
    ).fetchall()[0][0]
    con.execute(
        """
        delete from visit_results o using returned_frame n
        where n.household_key = o.household_key and n.emd_code = o.emd_code
          and n.assigned_date = o.assigned_date
          and (n.visit_date is distinct from o.visit_date or n.outcome <> o.outcome
               or list_sort(n.services) <> list_sort(o.services)
               or n.visited_by is distinct from o.visited_by)
        """
    )
    con.execute(
        """
        insert into visit_results (household_key, emd_code, assigned_date, visit_date, outcome,
            services, exploration, reported_on, source_file, source_sha256, stored_at, visited_by)
        select n.household_key, n.emd_code, n.assigned_date, n.visit_date, n.outcome, n.services,
               coalesce(a.exploration, false), $received, $file, $sha, now()::timestamp,
               n.visited_by
        from returned_frame n
        left join assignments a
          on a.household_key = n.household_key and a.emd_code = n.emd_code
         and a.assigned = n.assigned_date
        where not exists (
            select 1 from visit_results o
            where o.household_key = n.household_key and o.emd_code = n.emd_code
              and o.assigned_date = n.assigned_date
        )
        """,
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
