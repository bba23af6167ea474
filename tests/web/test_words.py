"""The web's words: result names, Seoul time, the access log in words, the sheet's contacts."""

from __future__ import annotations

from datetime import date

import polars as pl

from outreach.sheets import write_sheet
from outreach.teams import Team
from web.i18n import entry_text, local_time, outcome_name, result_detail
from web.sheet_contacts import sheet_contacts

KEYS = ("a" * 32, "b" * 32, "c" * 32)


def test_result_codes_read_as_their_names():
    assert [outcome_name("ko", c) for c in ("confirmed_crisis", "unreachable", "refused")] == [
        "위기 확인",
        "연락 안 됨",
        "거부",
    ]
    assert outcome_name("en", "not_in_need") == "not in need"


def test_unknown_codes_are_shown_as_they_are():
    assert outcome_name("ko", "escalated") == "escalated" and outcome_name("ko", None) == ""


def test_stored_utc_times_are_shown_in_seoul_time():
    assert local_time("2026-12-02T07:19:58+00:00") == "2026-12-02 16:19:58 KST"
    assert local_time("2026-12-31T20:00:00+00:00") == "2027-01-01 05:00:00 KST"
    assert local_time(None) == "" and local_time("not a time") == "not a time"


def test_log_entries_say_what_was_done_without_file_names():
    entry = {
        "action": "result_entry",
        "target": f"4817051000/{KEYS[0]}",
        "detail": "refused 2026-12-01 web_20261202T071958123456_4817051000_e76d7f.csv",
    }
    assert entry_text("ko", entry) == f"가구 {KEYS[0]}: 거부 (방문일 2026-12-01)"
    assert entry_text("en", entry | {"detail": "unreachable web_x.csv"}) == (
        f"household {KEYS[0]}: unreachable"
    )
    assert result_detail("ko", "moved web_x.csv") == "전출"
    views = {"action": "contact_view", "target": "sheets/4817051000.xlsx", "detail": "/team 12"}
    assert entry_text("ko", views) == "4817051000 팀 방문 대상 연락처 — 방문 대상 목록, 12가구"
    denied = {"action": "denied", "target": f"result {KEYS[1]}"}
    assert entry_text("ko", denied) == f"다른 팀 가구 {KEYS[1]}의 결과 입력"
    assert entry_text("ko", {"action": "sheet_download", "target": "sheets/4817051000.xlsx"}) == (
        "4817051000 팀 방문 시트"
    )


def test_an_account_change_keeps_its_words():
    added = {"action": "user_add", "target": "kim", "detail": "role team, team 4817051000"}
    assert entry_text("ko", added) == "사용자 kim — role team, team 4817051000"


def test_an_unknown_log_action_shows_what_was_stored():
    assert entry_text("ko", {"action": "session_end", "target": "t", "detail": "d"}) == "t d"


def visits() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "priority": [1, 2, 3],
            "household_key": list(KEYS),
            "emd_code": ["4817051000"] * 3,
            "name": ["김민수", "이영희", None],
            "phone": ["010-1234-5678", "010-2222-3333", None],
            "address": ["진주시 가좌동 1", "진주시 가좌동 2", "진주시 가좌동 3"],
            "reasons_ko": [["전기요금 체납"], [], []],
            "reasons_en": [["electricity arrears"], [], []],
        }
    )


def test_the_sheets_contacts_are_read_back_by_household(tmp_path):
    team = Team("4817051000", "48170", "가좌동", "Gajwa-dong", 10)
    path = tmp_path / "4817051000.xlsx"
    write_sheet(team, date(2026, 10, 22), visits(), path)
    assert sheet_contacts(path) == {
        KEYS[0]: {"name": "김민수", "phone": "010-1234-5678", "address": "진주시 가좌동 1"},
        KEYS[1]: {"name": "이영희", "phone": "010-2222-3333", "address": "진주시 가좌동 2"},
        KEYS[2]: {"name": "", "phone": "", "address": "진주시 가좌동 3"},
    }


def test_no_sheet_no_contacts(tmp_path):
    assert sheet_contacts(tmp_path / "missing.xlsx") == {}


def test_every_exclusion_the_night_can_give_reads_in_words():
    import re
    from pathlib import Path

    from web.i18n import exclusion_name

    sql = Path("sql/outreach/exclusions.sql").read_text(encoding="utf-8")
    codes = set(re.findall(r"then '([a-z_]+)'", sql))
    assert {"benefit_active", "visited_recently", "escalated"} <= codes
    for code in codes:
        assert exclusion_name("ko", code) != code  # English may keep the word (deceased)
    assert exclusion_name("ko", "benefit_active") == "복지급여 수급 중"
    assert exclusion_name("ko", None) == "" and exclusion_name("ko", "other") == "other"
