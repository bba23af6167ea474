from datetime import date

import openpyxl
import polars as pl
import pytest

from outreach.outcomes import outcome_label
from outreach.services import SERVICES, suggested_services
from outreach.sheets import FIRST_ROW, HEADER_ROW, HEADERS, OUTCOMES, sheet_name, write_sheet
from outreach.teams import Team

TEAM = Team("4817051000", "48170", "문산읍", "Munsan-eup", 25)


def visits(**overrides):
    base = {
        "emd_code": ["4817051000"],
        "team_rank": [1],
        "household_key": ["h1"],
        "name": ["홍길동"],
        "phone": ["010-1234-5678"],
        "address": ["진주시 문산읍 1"],
        "members": [1],
        "head_age": [78],
        "living_alone": [True],
        "reasons_ko": [["단전", "건강보험료 5개월 체납"]],
    }
    return pl.DataFrame({**base, **overrides})


def written(tmp_path, frame):
    path = tmp_path / "s.xlsx"
    write_sheet(TEAM, date(2024, 5, 31), frame, path)
    return openpyxl.load_workbook(path).active


def test_title_notice_and_korean_headers(tmp_path):
    ws = written(tmp_path, visits())
    assert "문산읍" in ws["A1"].value and "2024-05-31" in ws["A1"].value
    assert "해당 팀 외 열람" in ws["A2"].value
    shown = [c.value for c in ws[HEADER_ROW]]
    first = HEADERS.index(next(iter(SERVICES)))
    assert shown[:first] == list(HEADERS[:first])
    assert shown[first : first + len(SERVICES)] == ["연계서비스"] + [None] * (len(SERVICES) - 1)
    labels = [c.value for c in ws[HEADER_ROW + 1]][first : first + len(SERVICES)]
    assert labels == list(SERVICES.values())
    assert {"방문일", "방문자", "결과", "메모"} <= set(HEADERS)
    assert HEADERS[-1] == shown[-1] == "가구키 (household_key)"  # the key last


def test_reasons_one_per_line_in_one_cell(tmp_path):
    ws = written(tmp_path, visits())
    reasons = ws.cell(row=FIRST_ROW, column=HEADERS.index("선정 사유") + 1)
    assert reasons.value == "단전\n건강보험료 5개월 체납"
    empty = written(tmp_path, visits(reasons_ko=[[]]))
    assert empty.cell(row=FIRST_ROW, column=HEADERS.index("선정 사유") + 1).value is None


def test_print_ready(tmp_path):
    ws = written(tmp_path, visits())
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth or 1) == 1  # absent means 1 in OOXML
    assert ws.page_setup.fitToHeight == 0
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"
    assert ws.freeze_panes == f"A{FIRST_ROW}"


def test_same_inputs_give_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_sheet(TEAM, date(2024, 5, 31), visits(), first)
    write_sheet(TEAM, date(2024, 5, 31), visits(), second)
    assert first.read_bytes() == second.read_bytes()
    write_sheet(TEAM, date(2024, 6, 1), visits(), second)
    assert first.read_bytes() != second.read_bytes()


def test_header_bold_and_rows_wrapped(tmp_path):
    ws = written(tmp_path, visits())
    assert ws.cell(row=HEADER_ROW, column=1).font.bold
    assert ws.cell(row=FIRST_ROW, column=HEADERS.index("선정 사유") + 1).alignment.wrap_text
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width


def test_outcome_and_service_drop_downs(tmp_path):
    ws = written(tmp_path, visits())
    outcomes, services = ws.data_validations.dataValidation
    assert outcomes.formula1 == '"위기 확인,지원 불필요,연락 안 됨,거부,전출,사망"'
    assert outcomes.showErrorMessage
    letter = openpyxl.utils.get_column_letter(HEADERS.index("결과") + 1)
    assert str(outcomes.sqref) == f"{letter}{FIRST_ROW}"
    assert services.formula1 == '"O"'
    first, last = (
        openpyxl.utils.get_column_letter(HEADERS.index(code) + 1)
        for code in ("livelihood", "health")
    )
    assert str(services.sqref) == f"{first}{FIRST_ROW}:{last}{FIRST_ROW}"
    assert not services.showErrorMessage  # ✓ or typed codes stay possible
    assert written(tmp_path, visits().clear()).data_validations.dataValidation == []


def test_an_english_sheet_offers_english_result_labels(tmp_path):
    path = tmp_path / "en.xlsx"
    write_sheet(TEAM, date(2024, 5, 31), visits(), path, lang="en")
    ws = openpyxl.load_workbook(path).active
    outcomes = ws.data_validations.dataValidation[0]
    labels = "confirmed crisis,not in need,unreachable,refused,moved,deceased"
    assert outcomes.formula1 == f'"{labels}"'
    first = HEADERS.index("livelihood") + 1
    assert ws.cell(HEADER_ROW + 1, first).value == "livelihood"
    assert [outcome_label(code, "en") for code in OUTCOMES] == labels.split(",")


def test_suggested_services_follow_the_reasons_and_english_on_request(tmp_path):
    frame = visits(reasons=[["power_cutoff_12m", "referrals_90d"]], reasons_en=[["cut off"]])
    ws = written(tmp_path, frame)
    cell = ws.cell(row=FIRST_ROW, column=HEADERS.index("권장 서비스") + 1).value
    assert cell.splitlines() == ["긴급복지", "생계급여", "통합사례관리"]
    shaded = [
        code
        for code in SERVICES
        if ws.cell(FIRST_ROW, HEADERS.index(code) + 1).fill.fgColor.rgb == "FFE7E6E6"
    ]
    assert shaded == ["livelihood", "emergency", "case_management"]  # in column order
    path = tmp_path / "en.xlsx"
    write_sheet(TEAM, date(2024, 5, 31), frame, path, lang="en")
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(row=FIRST_ROW, column=HEADERS.index("선정 사유") + 1).value == "cut off"
    services = ws.cell(row=FIRST_ROW, column=HEADERS.index("권장 서비스") + 1).value
    assert services.splitlines() == ["emergency", "livelihood", "case_management"]


def test_suggested_services_without_reasons_is_empty():
    assert suggested_services([]) == [] and suggested_services(None) == []
    assert suggested_services(["unknown_signal"]) == []


def test_formula_looking_text_stays_text(tmp_path):
    ws = written(tmp_path, visits(name=["=1+2"]))
    assert ws.cell(row=FIRST_ROW, column=HEADERS.index("성명") + 1).value == "=1+2"
    assert ws.cell(row=FIRST_ROW, column=HEADERS.index("성명") + 1).data_type == "s"


def test_control_characters_are_dropped_not_fatal(tmp_path):
    ws = written(tmp_path, visits(address=["진주시\x00 문산읍\x07 1"]))
    assert ws.cell(row=FIRST_ROW, column=HEADERS.index("주소") + 1).value == "진주시 문산읍 1"


def test_sheet_name_refuses_codes_that_escape_the_folder():
    assert sheet_name("4817051000") == "4817051000.xlsx"
    with pytest.raises(ValueError, match="safe file name"):
        sheet_name("../4817051000")
