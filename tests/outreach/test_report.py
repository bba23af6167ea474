import json
import re
import warnings

import polars as pl
import pytest

from outreach import report as report_module
from outreach.publish import publish
from outreach.report import reasons_chart, top_reasons
from outreach.report_teams import Places, city_summary, team_numbers, team_rows
from report import charts as report_charts
from tests.outreach.conftest import AS_OF
from tests.outreach.test_publish import DELIVERIES


def report(con, settings):
    publish(
        con,
        settings,
        AS_OF,
        "baseline-v1",
        DELIVERIES,
        feeds=[
            {
                "feed": "kepco",
                "status": "late",
                "files": 1,
                "rows_loaded": 9,
                "rows_quarantined": 2,
                "rejected": 0,
            }
        ],
    )
    return (settings.outreach_dir(AS_OF.isoformat()) / "report.html").read_text(encoding="utf-8")


def test_report_is_self_contained_and_holds_no_contact_details(con, settings):
    html = report(con, settings)
    assert html.startswith("<!doctype html>") and "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    contacts = con.sql("select name, phone, address from sagak_contacts.contacts").fetchall()
    assert not any(value in html for row in contacts for value in row)
    assert "baseline scorer — no trained model yet" in html
    assert "<td>kepco</td><td>late</td>" in html
    assert "<td>최근 90일 내 위기 제보 N건</td>" in html  # top reasons, h2's referrals_90d
    assert "<td>문산읍 (Munsan-eup)</td>" in html  # list size per team


def test_report_shows_the_champion_and_its_fairness_table(con, settings):
    folder = settings.artifacts / "models" / "gbm-2024"
    folder.mkdir(parents=True)
    (folder.parent / "champion.json").write_text(json.dumps({"model_id": "gbm-2024"}))
    metrics = {
        "champion_calibrated": {"roc_auc": 0.71, "ece": 0.02, "at_capacity": {"precision": 0.4}}
    }
    (folder / "metadata.json").write_text(json.dumps({"model_id": "gbm-2024", "metrics": metrics}))
    pl.DataFrame({"group": ["sex=F"], "precision": [0.41]}).write_parquet(
        folder / "fairness.parquet"
    )
    html = report(con, settings)
    assert "champion gbm-2024" in html and "no trained model" not in html
    assert "<th>at_capacity.precision</th>" in html and "0.710" in html
    assert "<td>sex=F</td><td>0.410</td>" in html


def test_the_report_names_cities_and_teams_and_sums_each_city_before_its_teams(con, settings):
    html = report(con, settings)
    summary = html.index("<h2>시군구별 요약 (summary per city)</h2>")
    detail = html.index("<h2>팀별 목록 (list size and tier mix per team)</h2>")
    jinju = html.index("<h3>진주시 (Jinju)</h3>")
    assert summary < detail < jinju
    # 3 teams (문산읍, 집현면 and one not in teams.yml), 5 households, 4 open, capacity 2 each
    assert "<tr><td>진주시 (Jinju)</td><td>3</td><td>5</td><td>4</td><td>6</td>" in html
    teams = html[jinju : html.index("<h2>", jinju)]
    assert "<tr><td>문산읍 (Munsan-eup)</td><td>3</td><td>2</td><td>2</td>" in teams
    assert "<tr><td>집현면 (Jiphyeon-myeon)</td><td>1</td><td>1</td><td>2</td>" in teams
    assert "<td>4817099000 (teams.yml에 없음 / not in teams.yml)</td>" in teams
    assert not re.search(r"<td>\d{10}</td>", teams)  # no bare codes


def test_the_reasons_are_the_catalogs_korean_texts_not_feature_names(con, settings):
    html = report(con, settings)
    reasons = html[html.index("<h2>주요 사유") : html.index("<h2>변동")]
    assert (
        "<tr><td>최근 90일 내 위기 제보 N건</td><td>N referrals in the last 90 days</td>" in reasons
    )
    assert "referrals_90d" not in reasons


# three assigned households in two cities and one not assigned; teams.yml lists 진주시 first
# and, in the night's order (its own), 칠암동 before 정촌면: neither is the codes' order
PLACES = Places(
    {
        "4817051000": ("칠암동", "Chiram-dong"),
        "4817032000": ("정촌면", "Jeongchon-myeon"),
        "4115051000": ("의정부1동", "Uijeongbu 1-dong"),
    },
    {"48170": ("진주시", "Jinju"), "41150": ("의정부시", "Uijeongbu")},
)
RANKED = pl.DataFrame(
    {
        "household_key": ["h1", "h2", "h3", "h4"],
        "emd_code": ["4817051000", "4115051000", "4817032000", "4817032000"],
        "sigungu_code": ["48170", "41150", "48170", "48170"],
        "tier": [20, 12, 17, 3],
        "assigned": [True, True, True, False],
        "reasons": [
            ["elderly_alone", "power_arrears_months_max_3m", "power_arrears_months_max_6m"],
            ["elderly_alone"],
            ["power_arrears_months_max_12m", "made_up_signal"],
            ["referrals_90d"],
        ],
    }
)
NIGHT = {
    "teams": {
        "teams": [
            {"emd_code": "4817051000", "capacity": 1, "picked": 1, "spare": 0, "waiting": 4},
            {"emd_code": "4817032000", "capacity": 3, "picked": 1, "spare": 2, "waiting": 0},
            {"emd_code": "4115051000", "capacity": 2, "picked": 0, "spare": 1, "waiting": 0},
        ]
    }
}


def test_city_summary_sums_the_teams_of_each_city_in_teams_yml_order():
    teams = team_numbers(RANKED, NIGHT, PLACES)
    assert teams["emd_code"].to_list() == ["4817051000", "4817032000", "4115051000"]
    assert city_summary(teams, PLACES).rows() == [
        ("진주시 (Jinju)", 2, 3, 2, 4, 2, 2, 4, 2, 0, 0, 0),
        ("의정부시 (Uijeongbu)", 1, 1, 1, 2, 0, 1, 0, 0, 1, 0, 0),
    ]
    assert team_rows(teams, PLACES)["읍면동 (team)"].to_list() == [
        "칠암동 (Chiram-dong)",
        "정촌면 (Jeongchon-myeon)",
        "의정부1동 (Uijeongbu 1-dong)",
    ]


def test_a_code_without_a_name_in_teams_yml_says_so():
    teams = team_numbers(RANKED, NIGHT, Places({}, {}))  # cities by code, teams in night order
    assert team_rows(teams, Places({}, {}))["읍면동 (team)"].to_list() == [
        "4115051000 (teams.yml에 없음 / not in teams.yml)",
        "4817051000 (teams.yml에 없음 / not in teams.yml)",
        "4817032000 (teams.yml에 없음 / not in teams.yml)",
    ]
    assert city_summary(teams, Places({}, {}))["시군구 (city)"].to_list() == [
        "41150 (teams.yml에 없음 / not in teams.yml)",
        "48170 (teams.yml에 없음 / not in teams.yml)",
    ]


def test_top_reasons_count_assigned_households_once_per_catalog_text():
    assert top_reasons(RANKED).rows() == [
        ("65세 이상 홀로 사는 가구", "older person living alone", 2),
        ("전기요금 N개월 체납", "electricity bill unpaid N months", 2),  # h1's 3m and 6m once
        ("made_up_signal", "made_up_signal", 1),  # no catalog text: its code
    ]  # h4's referral is not counted: h4 is not assigned


LONG_REASONS = pl.DataFrame(
    {
        "ko": ["국민연금 보험료 N개월 연속 체납", "최근 12개월 내 단전 또는 전류제한", "1인 가구"],
        "en": [
            "pension contributions unpaid N months in a row",
            "electricity cut off or limited in the last 12 months",
            "lives alone",
        ],
        "households": [30, 20, 10],
    }
)


@pytest.mark.parametrize("korean", [True, False], ids=["hangul font", "no hangul font"])
def test_the_reason_charts_labels_fit_inside_the_picture(monkeypatch, korean):
    if korean and report_charts.hangul_font() is None:
        pytest.skip("no font with Hangul installed (make browser installs fonts-nanum)")
    if not korean:
        for module in (report_charts, report_module):
            monkeypatch.setattr(module, "hangul_font", lambda: None)
    with report_charts.chart_fonts(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = report_charts.figure(reasons_chart(LONG_REASONS))
        fig.draw_without_rendering()
        labels = fig.axes[0].get_yticklabels()
    width = fig.canvas.get_width_height()[0]
    expected = LONG_REASONS["ko" if korean else "en"].to_list()[::-1]
    assert [label.get_text() for label in labels] == expected
    assert all(
        0 <= label.get_window_extent().x0 < label.get_window_extent().x1 <= width
        for label in labels
    )
    assert not [w for w in caught if "missing from font" in str(w.message)]  # Hangul drawn


def test_a_chart_without_long_labels_keeps_its_margins():
    with report_charts.chart_fonts():
        fig = report_charts.figure(lambda ax: ax.bar([1, 2], [3, 4]))
    assert fig.subplotpars.left == pytest.approx(0.08) and fig.subplotpars.right == 0.98
