"""A team's contact details on its own pages: read from its visit sheet of the night, logged.

Privacy rule: names, phones and addresses appear only for the owning team. The web never opens
the contacts store; it shows exactly what the team's own sheet (outreach/sheets.py) holds, for
the households asked for, and every page that shows any is logged like a sheet download.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from starlette.requests import Request

from outreach.sheets import SHEET_COLUMNS, sheet_name
from web import store
from web.context import log
from web.nights import Night

CONTACT_COLUMNS = ("name", "phone", "address")
HEADER_ROWS = 10  # the header row is looked for among the first rows: layouts have moved it


def sheet_contacts(path: Path) -> dict[str, dict]:
    """household_key → {name, phone, address} of every household on the sheet ({} without one)."""
    if not path.is_file():
        return {}
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        at = None
        for _, values in zip(range(HEADER_ROWS), rows, strict=False):
            at = column_positions(values)
            if at:
                break
        if not at:
            return {}
        found = {}
        for values in rows:
            key = cell(values, at["household_key"])
            if key:
                found[key] = {c: cell(values, at[c]) if c in at else "" for c in CONTACT_COLUMNS}
        return found
    finally:
        workbook.close()


def column_positions(values: tuple) -> dict[str, int] | None:
    """source column → position, if `values` is the sheet's header row (it names the key)."""
    wanted = ("household_key", *CONTACT_COLUMNS)
    header_of = {source: header for header, _, source in SHEET_COLUMNS if source in wanted}
    headers = [str(value or "").strip() for value in values]
    at = {source: headers.index(h) for source, h in header_of.items() if h in headers}
    return at if "household_key" in at else None


def cell(values: tuple, index: int) -> str:
    """The cell's text ('' when empty or missing)."""
    value = values[index] if index < len(values) else None
    return "" if value is None else str(value).strip()


def team_contacts(
    request: Request, user: store.User, night: Night, keys: list[str]
) -> dict[str, dict]:
    """The contacts the team's own sheet shows for `keys` (households not on it: none), logged
    as `contact_view` of the sheet when any are shown."""
    if user.role != "team" or not user.emd_code:
        return {}
    name = sheet_name(user.emd_code)
    on_sheet = sheet_contacts(night.file(f"sheets/{name}"))
    shown = {key: on_sheet[key] for key in keys if key in on_sheet}
    if shown:
        detail = f"{request.url.path} {len(shown)}"
        log(request, user, "contact_view", f"sheets/{name}", night.night, detail)
    return shown
