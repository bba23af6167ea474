"""A team's printable visit sheet (xlsx, Korean): who to visit, why, and columns to fill in."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from outreach.services import SERVICES, suggested_services
from outreach.teams import Team

# (header, width, source column or None for a column the team fills in)
SHEET_COLUMNS: tuple[tuple[str, int, str | None], ...] = (
    ("순위", 6, "priority"),
    ("가구키 (household_key)", 20, "household_key"),
    ("성명", 10, "name"),
    ("연락처", 15, "phone"),
    ("주소", 36, "address"),
    ("가구원 수", 8, "members"),
    ("세대주 나이", 9, "head_age"),
    ("1인 가구", 8, "living_alone"),
    ("선정 사유", 44, "reasons_ko"),
    ("권장 서비스", 18, "suggested"),
    ("최근 제보 내용", 30, "concern"),
    ("탐색", 6, "exploration"),
    ("방문일", 12, None),
    ("결과", 16, None),
    ("연계서비스", 20, None),
    ("메모", 30, None),
)
HEADERS = tuple(header for header, _, _ in SHEET_COLUMNS)
OUTCOMES = ("confirmed_crisis", "not_in_need", "unreachable", "refused", "moved", "deceased")
NOTICE = "개인정보 포함 — 해당 팀 외 열람·복사·반출 금지. 업무 종료 후 파기."
TITLE_ROW, NOTICE_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
SAFE_CODE = re.compile(r"^[0-9A-Za-z_-]+$")
LANGS = ("ko", "en")


def safe_code(code: str) -> str:
    """A code used as a file name; refuses codes that could escape their folder."""
    if not SAFE_CODE.fullmatch(code):
        raise ValueError(f"code {code!r} is not a safe file name (letters, digits, _ -)")
    return code


def sheet_name(emd_code: str) -> str:
    """File name of a team's sheet."""
    return f"{safe_code(emd_code)}.xlsx"


def cell_value(record: dict, source: str | None, lang: str) -> object:
    """The value of one sheet cell from a visit record (fill-in columns: None)."""
    if source is None:
        return None
    if source == "reasons_ko":
        return "\n".join(record.get(f"reasons_{lang}") or []) or None
    if source == "suggested":
        codes = suggested_services(record.get("reasons"))
        shown = codes if lang == "en" else [f"{SERVICES[c]} ({c})" for c in codes]
        return "\n".join(shown) or None
    value = record.get(source)
    if source == "living_alone" and value is not None:
        return ("yes" if value else "no") if lang == "en" else ("예" if value else "아니오")
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

    def widths(self, widths: list[int]) -> None:
        """Column widths, in characters, from column A."""
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def print_setup(self, header_row: int, notice: str = "") -> None:
        """Landscape A4, fit to one page wide, the header row on every page and frozen."""
        self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(header_row - 1)
        self.sheet.freeze_panes(header_row, 0)
        self.sheet.set_footer("&C&P / &N")
        if notice:
            self.sheet.set_header("&R" + notice.replace("&", "&&"))

    def close(self) -> None:
        """Write the workbook to its path."""
        self.workbook.close()


def write_sheet(team: Team, as_of: date, visits: pl.DataFrame, path: Path, lang: str = "ko") -> int:
    """Write the team's visit sheet to `path`; returns the number of households on it.

    The title carries the team's code and the night (`(<emd_code>) ... 기준일 <as_of>`): a
    returned sheet is recognised by it. `lang` picks the language of reasons and services.
    """
    keywords = f"sagak emd_code={team.emd_code} as_of={as_of.isoformat()}"
    out = SheetWriter(path, "방문대상", as_of, keywords)
    title = f"{team.name_ko} ({team.emd_code}) 위기가구 방문 대상 — 기준일 {as_of.isoformat()}"
    out.put(TITLE_ROW, 1, title, bold=True, font_size=14)
    notice = f"{NOTICE} 결과 입력값: {', '.join(OUTCOMES)}"
    out.put(NOTICE_ROW, 1, notice, bold=True, font_color="#C00000")
    header = {"bold": True, "bg_color": "#D9E1F2", "pattern": 1, "align": "center"}
    for column, name in enumerate(HEADERS, start=1):
        out.put(HEADER_ROW, column, name, valign="vcenter", text_wrap=True, **header)
    rows = sheet_rows(visits, lang)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            out.put(FIRST_ROW + offset, column, value, text_wrap=True, valign="top")
    out.widths([width for _, width, _ in SHEET_COLUMNS])
    add_outcome_list(out.sheet, len(rows))
    add_service_list(out.sheet, len(rows))
    out.print_setup(HEADER_ROW, NOTICE)
    out.close()
    return len(rows)


def add_outcome_list(ws: Worksheet, n_rows: int) -> None:
    """A drop-down of the outcome codes on the 결과 column of every household row."""
    error = "목록에서 선택하세요: " + ", ".join(OUTCOMES)
    drop_down(ws, "결과", n_rows, {"source": list(OUTCOMES), "error_message": error})


def add_service_list(ws: Worksheet, n_rows: int) -> None:
    """A drop-down of the service codes on 연계서비스; several may be typed, `;`-separated."""
    hint = "여러 개는 ; 로 구분 (예: food;repairs)"
    # showing no error keeps "food;repairs" possible
    drop_down(
        ws,
        "연계서비스",
        n_rows,
        {"source": list(SERVICES), "show_error": False, "input_message": hint},
    )


def drop_down(ws: Worksheet, header: str, n_rows: int, options: dict) -> None:
    """A list validation on the `header` column of the household rows (none without rows)."""
    if n_rows == 0:
        return
    column = HEADERS.index(header)
    first, last = FIRST_ROW - 1, FIRST_ROW + n_rows - 2  # 0-based rows
    ws.data_validation(first, column, last, column, {"validate": "list", **options})
