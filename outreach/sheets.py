"""A team's printable visit sheet (xlsx, Korean): who to visit, why, and columns to fill in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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


def put_text_safe(ws: Worksheet, row: int, column: int, value: object) -> None:
    """Write one cell; strings always stay text, even when they look like a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl turns a leading '=' into a formula otherwise
    else:
        cell.value = value


def write_sheet(team: Team, as_of: date, visits: pl.DataFrame, path: Path, lang: str = "ko") -> int:
    """Write the team's visit sheet to `path`; returns the number of households on it.

    The title carries the team's code and the night (`(<emd_code>) ... 기준일 <as_of>`): a
    returned sheet is recognised by it. `lang` picks the language of reasons and services.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "방문대상"
    title = f"{team.name_ko} ({team.emd_code}) 위기가구 방문 대상 — 기준일 {as_of.isoformat()}"
    put_text_safe(ws, TITLE_ROW, 1, title)
    put_text_safe(ws, NOTICE_ROW, 1, f"{NOTICE} 결과 입력값: {', '.join(OUTCOMES)}")
    wb.properties.keywords = f"sagak emd_code={team.emd_code} as_of={as_of.isoformat()}"
    for column, header in enumerate(HEADERS, start=1):
        put_text_safe(ws, HEADER_ROW, column, header)
    rows = sheet_rows(visits, lang)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            put_text_safe(ws, FIRST_ROW + offset, column, value)
    style(ws, len(rows))
    add_outcome_list(ws, len(rows))
    add_service_list(ws, len(rows))
    print_setup(ws)
    wb.properties.creator = "sagak"
    wb.save(path)
    return len(rows)


def style(ws: Worksheet, n_rows: int) -> None:
    """Bold title and header, wrapped text, column widths."""
    ws.cell(row=TITLE_ROW, column=1).font = Font(bold=True, size=14)
    ws.cell(row=NOTICE_ROW, column=1).font = Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (_, width, _) in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
        header = ws.cell(row=HEADER_ROW, column=column)
        header.font, header.fill = Font(bold=True), fill
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in range(FIRST_ROW, FIRST_ROW + n_rows):
            ws.cell(row=row, column=column).alignment = wrap


def add_outcome_list(ws: Worksheet, n_rows: int) -> None:
    """A drop-down of the outcome codes on the 결과 column of every household row."""
    if n_rows == 0:
        return
    letter = get_column_letter(HEADERS.index("결과") + 1)
    outcomes = DataValidation(type="list", formula1=f'"{",".join(OUTCOMES)}"', allow_blank=True)
    outcomes.error = "목록에서 선택하세요: " + ", ".join(OUTCOMES)
    outcomes.showErrorMessage = True
    ws.add_data_validation(outcomes)
    outcomes.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + n_rows - 1}")


def add_service_list(ws: Worksheet, n_rows: int) -> None:
    """A drop-down of the service codes on 연계서비스; several may be typed, `;`-separated."""
    if n_rows == 0:
        return
    letter = get_column_letter(HEADERS.index("연계서비스") + 1)
    services = DataValidation(type="list", formula1=f'"{",".join(SERVICES)}"', allow_blank=True)
    services.showErrorMessage = False  # "food;repairs" must stay possible
    services.prompt = "여러 개는 ; 로 구분 (예: food;repairs)"
    services.showInputMessage = True
    ws.add_data_validation(services)
    services.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + n_rows - 1}")


def print_setup(ws: Worksheet) -> None:
    """Landscape A4, fit to one page wide, header row on every page, frozen header."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate
    ws.oddFooter.center.text = "&P / &N"
    ws.oddHeader.right.text = NOTICE
