from datetime import date, timedelta

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from outreach.feedback import FeedbackFileError, store_feedback
from outreach.publish import publish
from outreach.services import SERVICES
from outreach.sheets import FIRST_ROW, HEADERS
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN
from tests.outreach.test_publish import DELIVERIES

RECEIVED = AS_OF + timedelta(days=5)
VISIT = AS_OF + timedelta(days=2)
CSV_HEADER = "household_no,emd_code,round_start,assigned_date,visit_date,outcome,services,selected_by,exploration\n"


def by_no(no):
    """The test's household numbers are their keys' digits: '00000000001' → h1."""
    return f"h{int(no)}" if no.isdigit() else f"unknown-{no}"


@pytest.fixture
def sheet(con, settings):
    publish(con, settings, AS_OF, "baseline-v1", DELIVERIES)
    return settings.outreach_dir(AS_OF.isoformat()) / "sheets" / f"{MUNSAN}.xlsx"


def fill(sheet, path, rows, marks=None, visited_by=None):
    """Write (result, visit date, typed services) into the sheet's household rows, in order;
    typed services go under 연계서비스 (its first column); `marks`: per row, cells to mark
    {service code: mark}."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    typed = HEADERS.index(next(iter(SERVICES))) + 1
    for offset, (outcome, visited, services) in enumerate(rows):
        row = FIRST_ROW + offset
        ws.cell(row, HEADERS.index("결과") + 1).value = outcome
        ws.cell(row, HEADERS.index("방문일") + 1).value = visited
        ws.cell(row, typed).value = services
        for code, mark in (marks[offset] if marks else {}).items():
            ws.cell(row, HEADERS.index(code) + 1).value = mark
        if visited_by:
            ws.cell(row, HEADERS.index("방문자") + 1).value = visited_by[offset]
    wb.save(path)
    return path


def stored(con):
    query = "select household_key, emd_code, assigned_date, visit_date, outcome, services, reported_on from visit_results order by all"
    return con.sql(query).fetchall()


def test_a_returned_sheet_is_stored_once_and_a_correction_replaces(con, sheet, tmp_path):
    path = fill(
        sheet,
        tmp_path / "back.xlsx",
        [("confirmed_crisis", VISIT, "food;repairs"), ("unreachable", None, None)],
    )
    result = store_feedback(con, path, by_no, RECEIVED)
    assert (result.rows, result.stored, result.unchanged, result.errors) == (2, 2, 0, [])
    assert stored(con) == [
        ("h1", MUNSAN, AS_OF, VISIT, "confirmed_crisis", ["food", "repairs"], RECEIVED),
        ("h3", MUNSAN, AS_OF, None, "unreachable", [], RECEIVED),
    ]
    again = store_feedback(con, path, by_no, RECEIVED + timedelta(days=1))
    assert (again.stored, again.unchanged) == (0, 2)
    assert stored(con)[0][-1] == RECEIVED  # unchanged rows keep the day they were first known
    fixed = fill(
        sheet, tmp_path / "fixed.xlsx", [("not_in_need", VISIT, None), ("unreachable", None, None)]
    )
    store_feedback(con, fixed, by_no, RECEIVED)
    assert [row[4] for row in stored(con)] == ["not_in_need", "unreachable"]


def test_bad_rows_are_named_and_the_good_ones_stored(con, sheet, tmp_path):
    path = fill(
        sheet, tmp_path / "back.xlsx", [("found", VISIT, None), ("not_in_need", "31/05", None)]
    )
    result = store_feedback(con, path, by_no, RECEIVED)
    assert result.errors == [
        f"back.xlsx row {FIRST_ROW}: unknown result code 'found' (expected one of confirmed_crisis, not_in_need, unreachable, refused, moved, deceased, or a label: 위기 확인, 지원 불필요, 연락 안 됨, 거부, 전출, 사망)",
        f"back.xlsx row {FIRST_ROW + 1}: visit_date: expected a date YYYY-MM-DD, got '31/05'",
    ]
    early = fill(
        sheet, tmp_path / "early.xlsx", [("not_in_need", AS_OF - timedelta(days=1), "gold")]
    )
    cell = f"{get_column_letter(HEADERS.index('livelihood') + 1)}{FIRST_ROW}"
    assert store_feedback(con, early, by_no, RECEIVED).errors == [
        f"early.xlsx row {FIRST_ROW}: cell {cell} (생계급여, livelihood) holds 'gold': mark "
        "each service linked with O in its column, or leave it empty"
    ]
    early = fill(sheet, tmp_path / "early.xlsx", [("not_in_need", AS_OF - timedelta(days=1), None)])
    assert (
        "is outside 2024-05-31 (assigned)" in store_feedback(con, early, by_no, RECEIVED).errors[0]
    )
    assert stored(con) == []


def test_a_csv_checks_household_and_team(con, sheet, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text(
        CSV_HEADER
        + f"00000000001,{MUNSAN},{AS_OF},{AS_OF},{VISIT},refused,,sagak,N\n"
        + f"00000000002,{MUNSAN},{AS_OF},{AS_OF},{VISIT},not_in_need,,sagak,N\n"  # Jiphyeon's
        + f"x9,{MUNSAN},{AS_OF},{AS_OF},{VISIT},not_in_need,,sagak,N\n"
        + f"00000000002,{JIPHYEON},{AS_OF},{AS_OF},{VISIT},not_in_need,counselling,sagak,N\n",
        encoding="utf-8",
    )
    result = store_feedback(con, path, by_no, RECEIVED)
    assert result.errors == [
        f"visits.csv row 3: household h2 was not assigned to team {MUNSAN} on or before {AS_OF}",
        "visits.csv row 4: unknown household 'unknown-x9'",
    ]
    assert [(r[0], r[4], r[5]) for r in stored(con)] == [
        ("h1", "refused", []),
        ("h2", "not_in_need", ["counselling"]),
    ]


def test_a_file_that_is_not_a_returned_sheet_is_refused(con, sheet, tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(FeedbackFileError, match="other.xlsx: cell A1 is not a sagak sheet title"):
        store_feedback(con, other, by_no, RECEIVED)
    with pytest.raises(FeedbackFileError, match="expected a returned sheet"):
        store_feedback(con, tmp_path / "x.pdf", by_no, date(2024, 6, 1))


def stored_visitors(con):
    query = "select household_key, outcome, services, visited_by from visit_results order by all"
    return con.sql(query).fetchall()


def test_result_labels_in_either_language_are_stored_as_codes(con, sheet, tmp_path):
    rows = [("위기 확인", VISIT, None), ("연락안됨", None, None), ("Not in need", VISIT, None)]
    path = fill(sheet, tmp_path / "back.xlsx", rows[:2])
    result = store_feedback(con, path, by_no, RECEIVED)
    assert (result.stored, result.errors) == (2, [])
    assert [(r[0], r[4]) for r in stored(con)] == [
        ("h1", "confirmed_crisis"),
        ("h3", "unreachable"),
    ]
    path = fill(sheet, tmp_path / "fixed.xlsx", rows[2:])
    assert store_feedback(con, path, by_no, RECEIVED).errors == []
    assert stored(con)[0][4] == "not_in_need"


def test_services_marked_in_their_columns_are_stored_with_who_visited(con, sheet, tmp_path):
    marks = [{"food": "O", "repairs": "✓", "health": "x"}, {"counselling": "o"}]
    rows = [("confirmed_crisis", VISIT, None), ("not_in_need", VISIT, None)]
    visitors = ["김복지", None]
    path = fill(sheet, tmp_path / "back.xlsx", rows, marks, visitors)
    result = store_feedback(con, path, by_no, RECEIVED)
    assert (result.stored, result.errors) == (2, [])
    assert stored_visitors(con) == [
        ("h1", "confirmed_crisis", ["food", "repairs"], "김복지"),
        ("h3", "not_in_need", ["counselling"], None),
    ]
    fixed = fill(sheet, tmp_path / "fixed.xlsx", rows[:1], marks[:1], ["박방문"])
    assert (store_feedback(con, fixed, by_no, RECEIVED).stored, stored_visitors(con)[0][3]) == (
        1,
        "박방문",
    )


def test_a_sheet_saved_on_its_guide_page_still_loads(con, sheet, tmp_path):
    path = fill(sheet, tmp_path / "back.xlsx", [("거부", VISIT, None)])
    wb = openpyxl.load_workbook(path)
    wb.active = wb.sheetnames.index("안내")
    wb.save(path)
    assert store_feedback(con, path, by_no, RECEIVED).errors == []
    assert [r[4] for r in stored(con)] == ["refused"]


# a sheet as written before issue 19: header row 3, result codes, services typed in one column
OLD_HEADERS = (
    "순위",
    "가구키 (household_key)",
    "성명",
    "연락처",
    "주소",
    "가구원 수",
    "세대주 나이",
    "1인 가구",
    "선정 사유",
    "권장 서비스",
    "최근 제보 내용",
    "탐색",
    "방문일",
    "결과",
    "연계서비스",
    "메모",
)


def old_sheet(path, rows):
    """An old-layout returned sheet: (household key, result, visit date, typed services) rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = f"문산읍 ({MUNSAN}) 위기가구 방문 대상 — 기준일 {AS_OF.isoformat()}"
    ws["A2"] = "개인정보 포함 — 결과 입력값: confirmed_crisis, not_in_need, ..."
    ws.append(OLD_HEADERS)
    for key, outcome, visited, services in rows:
        values = dict.fromkeys(OLD_HEADERS)
        values |= {"가구키 (household_key)": key, "결과": outcome, "방문일": visited}
        ws.append(list((values | {"연계서비스": services}).values()))
    wb.save(path)
    return path


def test_an_old_sheet_with_codes_and_typed_services_still_loads(con, sheet, tmp_path):
    rows = [("h1", "confirmed_crisis", VISIT, "food;repairs"), ("h3", "moved", None, "gold")]
    result = store_feedback(con, old_sheet(tmp_path / "old.xlsx", rows), by_no, RECEIVED)
    assert result.errors == [
        f"old.xlsx row 5: unknown service code(s) gold (expected {', '.join(SERVICES)})"
    ]
    assert stored_visitors(con) == [("h1", "confirmed_crisis", ["food", "repairs"], None)]


def test_a_warehouse_from_before_visited_by_gets_the_column(con, settings, tmp_path):
    con.execute(
        """create table visit_results (household_key varchar, emd_code varchar,
        assigned_date date, visit_date date, outcome varchar, services varchar[],
        exploration boolean, reported_on date, source_file varchar, source_sha256 varchar,
        stored_at timestamp)"""
    )
    con.execute(
        "insert into visit_results values ('h4', ?, ?, null, 'moved', [], false, ?, 'a.csv', "
        "'x', now()::timestamp)",
        [MUNSAN, AS_OF, AS_OF],
    )
    publish(con, settings, AS_OF, "baseline-v1", DELIVERIES)  # creates the tables it needs
    path = settings.outreach_dir(AS_OF.isoformat()) / "sheets" / f"{MUNSAN}.xlsx"
    back = fill(path, tmp_path / "back.xlsx", [("refused", VISIT, None)], visited_by=["김복지"])
    assert store_feedback(con, back, by_no, RECEIVED).errors == []
    assert stored_visitors(con) == [("h1", "refused", [], "김복지"), ("h4", "moved", [], None)]
    columns = [c[0] for c in con.sql("describe visit_results").fetchall()]
    assert columns[-1] == "visited_by"


def test_a_csv_may_say_who_visited(con, sheet, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text(
        "household_key,emd_code,assigned_date,visit_date,outcome,services,visited_by\n"
        f"h1,{MUNSAN},{AS_OF},{VISIT},위기 확인,식품지원;repairs,김복지\n",
        encoding="utf-8",
    )
    assert store_feedback(con, path, by_no, RECEIVED).errors == []
    assert stored_visitors(con) == [("h1", "confirmed_crisis", ["food", "repairs"], "김복지")]
