"""A team's printable visit sheet (xlsx, Korean): who to visit, why, and columns to fill in.

Printed on A4 landscape at about 85%: narrow columns with wrapped text, the household key last.
Results are picked from labels (위기 확인 …; English labels in an English sheet) and services
marked with O, one narrow column per service; feedback.py turns both back into codes. Every cell
but the ones to fill in is protected (no password: 검토 › 시트 보호 해제 lifts it), so the title
and the household keys the round trip depends on stay as written. A second sheet, 안내, explains
the marks.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from outreach.outcomes import LANGS, OUTCOMES, outcome_label  # noqa: F401 (LANGS: re-exported)
from outreach.services import SERVICES, service_label, suggested_services
from outreach.sheet_guide import legend, write_guide
from outreach.teams import Team

SERVICE_WIDTH = 2
# (header, width in characters, source column or None for a column the team fills in); a
# service's column is headed by its code here and by its label on the sheet
SHEET_COLUMNS: tuple[tuple[str, float, str | None], ...] = (
    ("순위", 4, "priority"),
    ("탐색", 3, "exploration"),
    ("성명", 8, "name"),
    ("연락처", 13, "phone"),
    ("주소", 14, "address"),
    ("가구", 8, "household"),
    ("선정 사유", 20, "reasons_ko"),
    ("권장 서비스", 9, "suggested"),
    ("최근 제보 내용", 10, "concern"),
    ("방문일", 10, None),
    ("방문자", 7, None),
    ("결과", 10, None),
    *((code, SERVICE_WIDTH, None) for code in SERVICES),
    ("메모", 10, None),
    ("가구키 (household_key)", 8, "household_key"),
)
HEADERS = tuple(header for header, _, _ in SHEET_COLUMNS)
FILL_IN = tuple(header for header, _, source in SHEET_COLUMNS if source is None)
SERVICE_GROUP = "연계서비스"  # the header over the service columns
NOTICE = "개인정보 포함 — 해당 팀 외 열람·복사·반출 금지. 업무 종료 후 파기."
TITLE_ROW, NOTICE_ROW, LEGEND_ROW = 1, 2, 3  # the legend takes two rows
HEADER_ROW = 5  # the service labels are on the row below it
FIRST_ROW = HEADER_ROW + 2
SAFE_CODE = re.compile(r"^[0-9A-Za-z_-]+$")
MARK = "O"
# inches; narrow sides give the columns room, the top holds the printed notice
MARGINS = {"left": 0.25, "right": 0.25, "top": 0.55, "bottom": 0.45}


def safe_code(code: str) -> str:
    """A code used as a file name; refuses codes that could escape their folder."""
    if not SAFE_CODE.fullmatch(code):
        raise ValueError(f"code {code!r} is not a safe file name (letters, digits, _ -)")
    return code


def sheet_name(emd_code: str) -> str:
    """File name of a team's sheet."""
    return f"{safe_code(emd_code)}.xlsx"


def household_text(record: dict, lang: str) -> str | None:
    """Members, head's age, living alone in one short cell: '1명 · 78세 · 1인'."""
    members, age, alone = (record.get(c) for c in ("members", "head_age", "living_alone"))
    if lang == "en":
        parts = [f"{members}" if members is not None else None, f"{age} y" if age else None]
        parts.append("alone" if alone else None)
    else:
        parts = [f"{members}명" if members is not None else None, f"{age}세" if age else None]
        parts.append("1인" if alone else None)
    return " · ".join(p for p in parts if p) or None


def cell_value(record: dict, source: str | None, lang: str) -> object:
    """The value of one sheet cell from a visit record (fill-in columns: None)."""
    if source is None:
        return None
    if source == "reasons_ko":
        return "\n".join(record.get(f"reasons_{lang}") or []) or None
    if source == "suggested":
        codes = suggested_services(record.get("reasons"))
        return "\n".join(service_label(c, lang) for c in codes) or None
    if source == "household":
        return household_text(record, lang)
    value = record.get(source)
    if source == "exploration":
        return "●" if value else None
    return value


def sheet_rows(visits: pl.DataFrame, lang: str = "ko") -> list[list[object]]:
    """One list of cell values per household, in HEADERS order; fill-in columns empty."""
    return [
        [cell_value(record, source, lang) for _, _, source in SHEET_COLUMNS]
        for record in visits.iter_rows(named=True)
    ]


# XML 1.0 forbids these control characters; a sheet drops them rather than fail
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "yyyy-mm-dd"


class SheetWriter:
    """One worksheet of a new workbook, written cell by cell with XlsxWriter."""

    def __init__(self, path: Path, title: str, as_of: date, keywords: str = "") -> None:
        self.workbook = xlsxwriter.Workbook(
            str(path), {"strings_to_formulas": False, "in_memory": True}
        )
        # a fixed creation time (the night) makes the same inputs give the same bytes
        created = datetime.combine(as_of, time())
        self.workbook.set_properties({"author": "sagak", "keywords": keywords, "created": created})
        self.sheet = self.workbook.add_worksheet(title)
        self.formats: dict[tuple, Format] = {}

    def format(self, **properties: object) -> Format | None:
        """A cell format, shared between cells with the same properties."""
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format(properties)
        return self.formats[key]

    def put(self, row: int, column: int, value: object, **properties: object) -> None:
        """Write one cell (1-based, as in Excel); strings always stay text, even '=1+2'."""
        fmt = self.format(**properties)
        r, c = row - 1, column - 1
        if value is None:
            if fmt is not None:
                self.sheet.write_blank(r, c, None, fmt)
        elif isinstance(value, str):
            self.sheet.write_string(r, c, ILLEGAL_CHARACTERS_RE.sub("", value), fmt)
        elif isinstance(value, date):
            at = value if isinstance(value, datetime) else datetime.combine(value, time())
            self.sheet.write_datetime(r, c, at, self.format(num_format=DATE_FORMAT, **properties))
        elif isinstance(value, bool):
            self.sheet.write_boolean(r, c, value, fmt)
        else:
            self.sheet.write_number(r, c, value, fmt)

    def widths(self, widths: list[float]) -> None:
        """Column widths, in characters, from column A."""
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def print_setup(
        self, header_row: int, notice: str = "", header_rows: int = 1, margins: dict | None = None
    ) -> None:
        """Landscape A4, fit to one page wide, the header rows on every page and frozen."""
        self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(header_row - 1, header_row + header_rows - 2)
        self.sheet.freeze_panes(header_row + header_rows - 1, 0)
        if margins:
            self.sheet.set_margins(**margins)
            self.sheet.center_horizontally()
        self.sheet.set_footer("&C&P / &N")
        if notice:
            self.sheet.set_header("&R" + notice.replace("&", "&&"))

    def close(self) -> None:
        """Write the workbook to its path."""
        self.workbook.close()


def write_sheet(team: Team, as_of: date, visits: pl.DataFrame, path: Path, lang: str = "ko") -> int:
    """Write the team's visit sheet to `path`; returns the number of households on it.

    The title carries the team's code and the night (`(<emd_code>) ... 기준일 <as_of>`): a
    returned sheet is recognised by it. `lang` picks the language of reasons, results and services.
    """
    keywords = f"sagak emd_code={team.emd_code} as_of={as_of.isoformat()}"
    out = SheetWriter(path, "방문대상", as_of, keywords)
    title = f"{team.name_ko} ({team.emd_code}) 위기가구 방문 대상 — 기준일 {as_of.isoformat()}"
    out.put(TITLE_ROW, 1, title, bold=True, font_size=14)
    out.put(NOTICE_ROW, 1, NOTICE, bold=True, font_color="#C00000")
    for offset, line in enumerate(legend(lang)):
        out.put(LEGEND_ROW + offset, 1, line, font_size=10)
    write_headers(out, lang)
    rows = sheet_rows(visits, lang)
    for offset, values in enumerate(rows):
        write_household(out, FIRST_ROW + offset, values, visits.row(offset, named=True), lang)
    out.widths([width for _, width, _ in SHEET_COLUMNS])
    add_outcome_list(out.sheet, len(rows), lang)
    add_service_marks(out.sheet, len(rows))
    out.print_setup(HEADER_ROW, NOTICE, header_rows=2, margins=MARGINS)
    # no password: protection keeps the title and keys from being typed over by mistake
    out.sheet.protect("", {"format_rows": True, "format_columns": True})
    write_guide(out.workbook, lang)
    out.close()
    return len(rows)


HEADER = {"bold": True, "bg_color": "#D9E1F2", "pattern": 1, "border": 1, "text_wrap": True}


def write_headers(out: SheetWriter, lang: str) -> None:
    """Two header rows: each column's header over both, 연계서비스 over the service labels."""
    fmt = out.format(align="center", valign="vcenter", **HEADER)
    label = out.format(align="center", valign="bottom", rotation=90, **HEADER)
    services = [i for i, header in enumerate(HEADERS) if header in SERVICES]
    r = HEADER_ROW - 1
    for column, header in enumerate(HEADERS):
        if header in SERVICES:
            out.sheet.write_string(r + 1, column, service_label(header, lang), label)
        else:
            out.sheet.merge_range(r, column, r + 1, column, header, fmt)
    out.sheet.merge_range(r, services[0], r, services[-1], SERVICE_GROUP, fmt)
    longest = max(len(service_label(code, lang)) for code in SERVICES)
    out.sheet.set_row(r + 1, longest * (12 if lang == "ko" else 6.5) + 8)


def write_household(
    out: SheetWriter, row: int, values: list[object], record: dict, lang: str
) -> None:
    """One household's row: bordered, wrapped; fill-in cells unlocked, suggested services shaded."""
    suggested = set(suggested_services(record.get("reasons")))
    cell = {"text_wrap": True, "valign": "top", "border": 1}
    for column, (header, value) in enumerate(zip(HEADERS, values, strict=True), start=1):
        if header in SERVICES:
            shade = {"bg_color": "#E7E6E6", "pattern": 1} if header in suggested else {}
            out.put(row, column, value, align="center", locked=False, **cell, **shade)
        elif header in FILL_IN:
            out.put(row, column, value, locked=False, **cell)
        elif header == "가구키 (household_key)":
            out.put(row, column, value, font_size=8, **cell)
        else:
            out.put(row, column, value, **cell)


def add_outcome_list(ws: Worksheet, n_rows: int, lang: str = "ko") -> None:
    """A drop-down of the outcome labels (in `lang`) on the 결과 column of every household row."""
    labels = [outcome_label(code, lang) for code in OUTCOMES]
    error = ("Pick one of: " if lang == "en" else "목록에서 선택하세요: ") + ", ".join(labels)
    drop_down(ws, "결과", "결과", n_rows, {"source": labels, "error_message": error})


def add_service_marks(ws: Worksheet, n_rows: int) -> None:
    """An O drop-down on every service cell; a service linked is marked O in its column."""
    first, last = (HEADERS.index(code) for code in (next(iter(SERVICES)), list(SERVICES)[-1]))
    # showing no error keeps ✓, V or typed codes ("food;repairs") possible: feedback reads them
    options = {"source": [MARK], "show_error": False}
    drop_down(ws, HEADERS[first], HEADERS[last], n_rows, options)


def drop_down(ws: Worksheet, first: str, last: str, n_rows: int, options: dict) -> None:
    """A list validation on the columns `first`…`last` of the household rows (none without rows)."""
    if n_rows == 0:
        return
    columns = HEADERS.index(first), HEADERS.index(last)
    top, bottom = FIRST_ROW - 1, FIRST_ROW + n_rows - 2  # 0-based rows
    ws.data_validation(top, columns[0], bottom, columns[1], {"validate": "list", **options})
