"""Visit results entered on the web: checked by feedback's own rules, then written durably
into inbox/feedback/ as a CSV in the visit-results layout, which the next nightly run stores
exactly as a returned sheet (flows/nightly.py `load_visit_results` → `store_folder`)."""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from outreach.feedback import Returned, answered_assignment, check_row
from web.nights import Night, Nights

COLUMNS = (
    "household_key",
    "emd_code",
    "assigned_date",
    "visit_date",
    "outcome",
    "services",
    "visited_by",
)
VISITED_BY_CHARS = 100  # a name or two, as on the sheet


def published_finder(nights: Nights, night: Night) -> Callable[[Returned, date | None], date]:
    """Like feedback's assignment_finder, over the night's published open assignments."""
    path = str(night.file("web/assignments.parquet"))

    def find(r: Returned, hint: date | None) -> date:
        rows = nights.query(
            "assignment_dates", {"assignments": path, "key": r.household_key, "emd": r.emd_code}
        )
        missing = f"household {r.household_key} is not an open assignment of team {r.emd_code}"
        return answered_assignment([row["assigned_on"] for row in rows], hint, missing)

    return find


def checked_result(nights: Nights, night: Night, emd_code: str, form: dict, received: date) -> dict:
    """The form's result as a visit_results record, or ValueError saying what is wrong; the
    result may be given by its code or its name (거부 or refused: check_row stores refused)."""
    services = form.get("services") or []
    if isinstance(services, str):
        services = [services]
    returned = Returned(
        row=1,
        household_key=str(form.get("household_key") or "").strip(),
        emd_code=emd_code,
        assigned_date=None,
        visit_date=str(form.get("visit_date") or "").strip() or None,
        outcome=str(form.get("outcome") or "").strip(),
        services=";".join(str(s) for s in services),
        visited_by=str(form.get("visited_by") or "").strip()[:VISITED_BY_CHARS],
    )
    return check_row(returned, published_finder(nights, night), received)


def csv_text(record: dict) -> str:
    """The record as a visit-results CSV (header + one row), as `sagak feedback` reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            record["household_key"],
            record["emd_code"],
            record["assigned_date"].isoformat(),
            record["visit_date"].isoformat() if record["visit_date"] else "",
            record["outcome"],
            ";".join(record["services"]),
            record.get("visited_by") or "",
        ]
    )
    return out.getvalue()


def write_durably(folder: Path, name: str, text: str) -> Path:
    """Write `text` to folder/name atomically: a dot-file (ignored by the nightly), fsync,
    rename, fsync of the folder. A crash leaves either no file or the whole file."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    with temp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return final


def result_file_name(emd_code: str, now: datetime | None = None) -> str:
    """web_<UTC time>_<emd_code>_<random>.csv: names sort in the order results were entered."""
    at = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")
    return f"web_{at}_{emd_code}_{secrets.token_hex(3)}.csv"


def store_result(inbox_feedback: Path, record: dict) -> Path:
    """Write one checked result into inbox/feedback/; returns the file."""
    return write_durably(inbox_feedback, result_file_name(record["emd_code"]), csv_text(record))
