"""Bad input to outreach says what is wrong and where, and changes nothing (issue 18): a
teams.yml that is not YAML, a mistyped team code, a formula in a returned sheet, an empty
results CSV."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from outreach.feedback import FeedbackFileError, store_feedback
from outreach.publish import publish
from outreach.sheets import FIRST_ROW, HEADERS
from outreach.teams import TeamsFileError, load_teams, teams_for
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN, TEAMS_YML
from tests.outreach.test_feedback import CSV_HEADER, RECEIVED, VISIT, by_no, fill, sheet, stored
from tests.outreach.test_publish import DELIVERIES

assert sheet  # the fixture, imported for these tests
TYPO = "4817015000"  # 문산읍's 4817051000 with two digits swapped


def test_a_teams_file_that_is_not_yaml_says_on_which_line(tmp_path):
    path = tmp_path / "teams.yml"
    path.write_text("default_capacity: 2\nteams:\n  - {emd_code: '1'\n", encoding="utf-8")
    with pytest.raises(TeamsFileError) as error:
        load_teams(path)
    message = str(error.value)
    assert message.startswith(f"{path}: cannot read teams file: line 4, column 1: expected ")
    assert "\n" not in message


def test_a_mistyped_team_code_names_the_file_the_team_and_the_code_expected(tmp_path):
    path = tmp_path / "teams.yml"
    path.write_text(TEAMS_YML.replace(MUNSAN, TYPO), encoding="utf-8")
    seen = {MUNSAN: "48170", JIPHYEON: "48170"}
    with pytest.raises(TeamsFileError) as error:
        teams_for(load_teams(path), seen)
    assert str(error.value) == (
        f"{path}: 'teams[0].emd_code' of 문산읍 is {TYPO}, which no household has; expected "
        f"{MUNSAN} (its households have no team in the file) — a mistyped code?"
    )


def test_a_night_with_a_mistyped_team_code_publishes_nothing(con, settings):
    settings.teams_file.write_text(TEAMS_YML.replace(MUNSAN, TYPO), encoding="utf-8")
    with pytest.raises(TeamsFileError, match=f"expected {MUNSAN}"):
        publish(con, settings, AS_OF, "baseline-v1", DELIVERIES)
    assert con.sql("select count(*) from assignments").fetchall() == [(0,)]
    assert not settings.outreach_dir(AS_OF.isoformat()).exists()


def test_a_formula_in_a_result_cell_is_named_by_its_cell(con, sheet, tmp_path):
    formula = '=IF(TRUE,"confirmed_crisis","")'
    path = fill(sheet, tmp_path / "back.xlsx", [(formula, VISIT, None)])
    result = store_feedback(con, path, by_no, RECEIVED)
    cell = f"{get_column_letter(HEADERS.index('결과') + 1)}{FIRST_ROW}"
    assert result.errors == [
        f"back.xlsx row {FIRST_ROW}: a formula was found in cell {cell} ({formula}): "
        "type the result code itself"
    ]
    assert stored(con) == []


@pytest.mark.parametrize("text", ["", CSV_HEADER])
def test_an_empty_or_header_only_results_csv_is_an_error(con, sheet, tmp_path, text):
    path = tmp_path / "visits.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedbackFileError, match="no visit results in it") as error:
        store_feedback(con, path, by_no, RECEIVED)
    assert str(path) in str(error.value)
    assert stored(con) == []


@pytest.mark.parametrize(
    ("mark", "problem"),
    [
        ("=TRUE()", "a formula was found in cell {cell} (=TRUE()): type the service mark itself"),
        (
            "0",
            "cell {cell} (식품지원, food) holds '0': mark each service linked with O in its column",
        ),
    ],
)
def test_a_service_cell_that_is_no_mark_is_named_by_its_cell(con, sheet, tmp_path, mark, problem):
    path = fill(sheet, tmp_path / "back.xlsx", [("위기 확인", VISIT, None)], [{"food": mark}])
    cell = f"{get_column_letter(HEADERS.index('food') + 1)}{FIRST_ROW}"
    errors = store_feedback(con, path, by_no, RECEIVED).errors
    assert len(errors) == 1
    assert errors[0].startswith(f"back.xlsx row {FIRST_ROW}: " + problem.format(cell=cell))
    assert stored(con) == []
