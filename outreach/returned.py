"""What teams hand back, as they wrote it: the rows of a returned visit sheet (either layout)
or of a visit-results CSV, before feedback.py checks them.

A sheet's services are O marks under each service (sheets since issue 19) or codes typed in one
column, 연계서비스 (sheets before); a row's marks come back as `;`-separated codes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from outreach.outcomes import folded
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
    problem: str | None = None  # what makes the row unreadable as typed (a formula, no mark)
    visited_by: str = ""


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
