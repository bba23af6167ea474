"""What a welfare team sees: its own visits by name, address and phone (logged), results by
their Korean names, times in Seoul time, and the log in words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import polars as pl

from outreach.feedback import feedback_files
from tests.web.conftest import csrf_of, login
from web import store
from web.sheet_contacts import sheet_contacts


def night_dir(world):
    return world.settings.outreach_dir(world.night.isoformat())


def ranked(world) -> pl.DataFrame:
    return pl.read_parquet(night_dir(world) / "ranked.parquet")


def assigned_to(world, team: str) -> list[str]:
    rows = ranked(world).filter(pl.col("assigned") & (pl.col("emd_code") == team))
    return rows.sort("team_rank")["household_key"].to_list()


def contacts_of(world, team: str) -> dict[str, dict]:
    return sheet_contacts(night_dir(world) / "sheets" / f"{team}.xlsx")


def log_rows(world, action: str) -> list[dict]:
    with store.connect(store.store_path(world.settings)) as con:
        return store.read_log(con, limit=1000, action=action)


def details(contacts: dict[str, dict]) -> set[str]:
    """Phones and addresses (names may repeat between households)."""
    return {c[f] for c in contacts.values() for f in ("phone", "address") if len(c[f]) > 3}


def test_the_team_page_shows_its_own_sheets_names_addresses_and_phones(world, server):
    own, other = contacts_of(world, world.team_a), contacts_of(world, world.team_b)
    assert own and all(c["name"] and c["address"] for c in own.values())
    before = len(log_rows(world, "contact_view"))
    page = login(server, "team_a").get("/team").text
    for key, c in own.items():
        assert key in page and c["name"] in page and c["address"] in page and c["phone"] in page
    foreign = details(other) - details(own)
    assert foreign and not [value for value in foreign if value in page]
    (viewed, *_) = log_rows(world, "contact_view")
    assert len(log_rows(world, "contact_view")) == before + 1
    assert (viewed["username"], viewed["target"]) == ("team_a", f"sheets/{world.team_a}.xlsx")
    assert viewed["detail"] == f"/team {len(own)}"


def test_the_household_page_shows_contacts_to_the_owning_team_only(world, server):
    key = next(iter(contacts_of(world, world.team_a)))
    contact = contacts_of(world, world.team_a)[key]
    team = login(server, "team_a").get(f"/households/{key}").text
    assert contact["address"] in team and contact["phone"] in team and 'id="contact"' in team
    (viewed, *_) = log_rows(world, "contact_view")
    assert viewed["detail"] == f"/households/{key} 1" and viewed["username"] == "team_a"
    analyst = login(server, "analyst").get(f"/households/{key}").text
    assert contact["address"] not in analyst and 'id="contact"' not in analyst
    listed = ranked(world).filter((pl.col("emd_code") == world.team_a) & ~pl.col("assigned"))[
        "household_key"
    ]
    unassigned = login(server, "team_a").get(f"/households/{listed[0]}")
    assert unassigned.status_code == 200 and 'id="contact"' not in unassigned.text


def test_results_are_chosen_and_read_by_their_korean_names(world, server):
    client = login(server, "team_a")
    form = client.get("/team/results").text
    assert '<option value="refused" >거부</option>' in form
    assert '<option value="unreachable" >연락 안 됨</option>' in form
    assert ">refused<" not in form and "(refused)" not in form
    key = assigned_to(world, world.team_a)[2]
    name = contacts_of(world, world.team_a)[key]["name"]
    assert f"{name} — " in form  # the household is chosen by name and address, not by key
    before = set(feedback_files(world.settings.inbox / "feedback"))
    sent = {"household_key": key, "outcome": "연락 안 됨", "csrf_token": csrf_of(form)}
    assert client.post("/team/results", data=sent).status_code == 303
    (written,) = set(feedback_files(world.settings.inbox / "feedback")) - before
    assert ",unreachable," in written.read_text(encoding="utf-8")  # the code is stored
    entered = client.get("/team/results").text.split('id="entered"')[1]
    assert "연락 안 됨" in entered and written.name not in entered and "web_" not in entered


def test_the_household_page_names_its_results(world, server):
    outcomes = pl.read_parquet(night_dir(world) / "web" / "outcomes.parquet")
    row = outcomes.filter(pl.col("outcome") == "not_in_need").row(0, named=True)
    page = login(server, "analyst").get(f"/households/{row['household_key']}").text
    assert "<td>지원 불필요</td>" in page and ">not_in_need<" not in page


def test_the_household_page_shows_the_reasons_of_the_ranked_list(world, server):
    """web/households.parquet leaves the reason lists out; the page reads them by key."""
    top = ranked(world).filter(pl.col("reasons_ko").list.len() > 0).sort("rank").row(0, named=True)
    assert "reasons_ko" not in pl.read_parquet_schema(
        night_dir(world) / "web" / "households.parquet"
    )
    client = login(server, "analyst")
    korean = client.get(f"/households/{top['household_key']}").text
    client.get("/lang?to=en&next=/list")
    english = client.get(f"/households/{top['household_key']}").text
    assert all(f"<li>{text}</li>" in korean for text in top["reasons_ko"])
    assert all(f"<li>{text}</li>" in english for text in top["reasons_en"])


def test_times_are_in_seoul_time_and_the_log_says_what_was_done(world, server):
    client = login(server, "team_a")
    key = assigned_to(world, world.team_a)[3]
    visit = world.night.isoformat()
    sent = {"household_key": key, "outcome": "refused", "visit_date": visit}
    client.post("/team/results", data=sent | {"csrf_token": csrf_of(client.get("/team").text)})
    (entry, *_) = log_rows(world, "result_entry")
    assert entry["target"].endswith(key) and "web_" in entry["detail"]  # the log keeps the file
    seoul = datetime.fromisoformat(entry["at"]) + timedelta(hours=9)
    shown = seoul.strftime("%Y-%m-%d %H:%M:%S") + " KST"
    assert shown in client.get("/team/results").text
    log_page = login(server, "admin").get("/admin/log?action=result_entry").text
    assert shown in log_page and entry["at"] not in log_page
    assert f"가구 {key}: 거부 (방문일 {visit})" in log_page
    assert "방문 결과 입력" in log_page and not re.search(r"web_\d{8}T", log_page)
    downloads = login(server, "admin").get("/admin/log?action=sheet_download").text
    assert ">sheet_download<" not in downloads and "방문 시트 내려받기" in downloads


def test_a_result_for_another_teams_household_is_logged_as_denied(world, server):
    client = login(server, "team_a")
    token = csrf_of(client.get("/team/results").text)
    other = assigned_to(world, world.team_b)[0]
    sent = {"household_key": other, "outcome": "unreachable", "csrf_token": token}
    assert client.post("/team/results", data=sent).status_code == 400
    denied = [r for r in log_rows(world, "denied") if r["username"] == "team_a"]
    assert denied[0]["target"] == f"result {other}"
    unassigned = ranked(world).filter((pl.col("emd_code") == world.team_a) & ~pl.col("assigned"))[
        "household_key"
    ][0]
    own = {"household_key": unassigned, "outcome": "unreachable", "csrf_token": token}
    refused = client.post("/team/results", data=own)
    assert refused.status_code == 400 and "not an open assignment" in refused.text
    assert not [r for r in log_rows(world, "denied") if unassigned in (r["target"] or "")]
