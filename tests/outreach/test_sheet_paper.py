"""The visit sheet on paper (issue 19): it prints legibly on A4 landscape, only the cells to fill
in can be changed, and its marks are explained."""

from __future__ import annotations

import math
from datetime import date

import openpyxl
import polars as pl
from openpyxl.worksheet.cell_range import CellRange

from outreach.services import SERVICES
from outreach.sheets import FILL_IN, FIRST_ROW, HEADER_ROW, HEADERS, write_sheet
from tests.outreach.test_sheets import TEAM

A4_LONG_SIDE_PT = 297 / 25.4 * 72
MAX_DIGIT_WIDTH = {("Calibri", 11.0): 7}  # pixels of a digit in the workbook's default font


def three_households() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "emd_code": ["4817051000"] * 3,
            "priority": [1, 2, 3],
            "household_key": ["0123456789abcdef0123456789abcdef", "h2", "h3"],
            "name": ["홍길동", "김영희", "이철수"],
            "phone": ["010-1234-5678"] * 3,
            "address": ["경상남도 진주시 문산읍 삼곡리 123-4 행복아파트 101동 1203호", "a", "b"],
            "members": [1, 3, 2],
            "head_age": [78, 41, 55],
            "living_alone": [True, False, False],
            "reasons": [["power_cutoff_12m"], ["job_loss_6m"], []],
            "reasons_ko": [
                ["최근 12개월 내 단전", "건강보험료 5개월 체납", "혼자 사는 78세"],
                [],
                [],
            ],
            "concern": [None, "이웃 제보: 며칠째 인기척 없음", None],
            "exploration": [False, False, True],
        }
    )


def sheet(tmp_path, lang="ko"):
    path = tmp_path / f"{lang}.xlsx"
    write_sheet(TEAM, date(2024, 5, 31), three_households(), path, lang)
    return openpyxl.load_workbook(path)


def column_points(workbook, ws) -> float:
    """The printed width of the used columns, in points (ECMA-376 §18.3.1.13: width in
    characters of the default font's widest digit → pixels; 96 pixels an inch)."""
    font = workbook._fonts[0]
    digit = MAX_DIGIT_WIDTH[(font.name, float(font.sz))]
    widths = {}
    for dimension in ws.column_dimensions.values():
        for column in range(dimension.min, dimension.max + 1):
            widths[column] = dimension.width
    pixels = 0
    for column in range(1, ws.max_column + 1):
        width = widths.get(column) or 8.43  # Excel's default column
        pixels += math.floor((256 * width + math.floor(128 / digit)) / 256 * digit)
    return pixels * 72 / 96


def print_scale(workbook, ws) -> float:
    """The scale at which the sheet prints one page wide on A4 landscape, as Excel picks it."""
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    margins = (ws.page_margins.left + ws.page_margins.right) * 72
    fitted = (A4_LONG_SIDE_PT - margins) / column_points(workbook, ws)
    if not ws.sheet_properties.pageSetUpPr.fitToPage:
        return (ws.page_setup.scale or 100) / 100
    return min(1.0, math.floor(fitted * 100) / 100)


def test_the_sheet_prints_one_page_wide_at_80_percent_or_more(tmp_path):
    for lang in ("ko", "en"):
        workbook = sheet(tmp_path, lang)
        ws = workbook.worksheets[0]
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
        assert print_scale(workbook, ws) >= 0.80
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"


def test_long_text_wraps_inside_its_column(tmp_path):
    ws = sheet(tmp_path).worksheets[0]
    for header in ("주소", "선정 사유", "최근 제보 내용", "가구키 (household_key)"):
        assert ws.cell(FIRST_ROW, HEADERS.index(header) + 1).alignment.wrap_text
    assert ws.cell(FIRST_ROW, 1).border.left.style == "thin"  # a grid on paper


def test_only_the_cells_to_fill_in_are_unlocked(tmp_path):
    ws = sheet(tmp_path).worksheets[0]
    assert ws.protection.sheet and not ws.protection.password
    fill_in = {HEADERS.index(header) + 1 for header in FILL_IN}
    households = range(FIRST_ROW, FIRST_ROW + 3)
    unlocked = set()
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row + 3, max_col=ws.max_column + 3):
        for cell in row:
            if not cell.protection.locked:
                unlocked.add((cell.row, cell.column))
    assert unlocked == {(r, c) for r in households for c in fill_in}
    assert {HEADERS[c - 1] for c in fill_in} == {"방문일", "방문자", "결과", "메모", *SERVICES}
    for validation in ws.data_validations.dataValidation:  # drop-downs only where one may type
        for cells in validation.sqref.ranges:
            assert set(CellRange(cells.coord).cells) <= unlocked


def test_the_exploration_mark_is_explained_on_the_sheet_and_in_a_guide(tmp_path):
    workbook = sheet(tmp_path)
    ws = workbook.worksheets[0]
    explored = ws.cell(FIRST_ROW + 2, HEADERS.index("탐색") + 1).value
    assert explored == "●"
    legend = [ws.cell(row, 1).value or "" for row in range(2, HEADER_ROW)]
    assert any(line.startswith("● 탐색 가구: 점수와 관계없이 무작위로") for line in legend)
    guide = workbook["안내"]
    terms = {row[0]: row[1] for row in guide.iter_rows(values_only=True) if row[0]}
    assert "무작위" in terms["●"] and "O" in terms["연계서비스 O"]
    assert terms["위기 확인"] == "confirmed_crisis" and terms["식품지원"] == "food"
    english = sheet(tmp_path, "en")
    assert "picked at random" in english.worksheets[0].cell(3, 1).value
    assert workbook.active.title == "방문대상"  # opens on the visit sheet
