"""Login, roles and the cross-team checks, by direct URL against a real server on localhost."""

from __future__ import annotations

import sqlite3

import duckdb
import polars as pl
import pytest

from outreach.feedback import feedback_files
from tests.web.conftest import PASSWORD, csrf_of, live_server, login, sign_in
from web import store
from web.app import WebConfig


def ranked(world) -> pl.DataFrame:
    return pl.read_parquet(world.settings.outreach_dir(world.night.isoformat()) / "ranked.parquet")


def assigned_to(world, team: str) -> list[str]:
    rows = ranked(world).filter(pl.col("assigned") & (pl.col("emd_code") == team))
    return rows.sort("team_rank")["household_key"].to_list()


def log_rows(world, action: str) -> list[dict]:
    with store.connect(store.store_path(world.settings)) as con:
        return store.read_log(con, limit=1000, action=action)


def test_pages_need_a_login_and_carry_security_headers(world, server):
    import httpx

    response = httpx.get(f"{server}/list")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/list"
    page = httpx.get(f"{server}/login")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_wrong_password_is_refused_and_a_good_one_signs_in(world, server):
    import httpx

    client = httpx.Client(base_url=server)
    assert sign_in(client, "analyst", "wrong password!").status_code == 401
    assert sign_in(client, "nobody", PASSWORD).status_code == 401
    response = sign_in(client, "analyst", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/list"
    assert client.get("/list").status_code == 200
    assert {r["target"] for r in log_rows(world, "login_failed")} >= {"analyst", "nobody"}


def test_login_attempts_are_rate_limited(world):
    config = WebConfig(login_attempts=3, login_window_seconds=60)
    with live_server(world.settings, config) as url:
        import httpx

        client = httpx.Client(base_url=url)
        codes = [sign_in(client, "team_a", "not the password").status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        limited = sign_in(client, "team_a", PASSWORD)  # even the right password now waits
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_analyst_list_and_household_page_hold_no_contact_details(world, server):
    client = login(server, "analyst")
    first = client.get("/list")
    assert first.status_code == 200
    top = ranked(world).sort("rank")["household_key"][0]
    assert top in first.text
    pages = [first.text, client.get("/list?page=2&sort=team").text]
    pages.append(client.get(f"/households/{top}").text)
    with duckdb.connect(str(world.settings.contacts), read_only=True) as con:
        contacts = con.sql("select name, phone, address from contacts").fetchall()
    values = {value for row in contacts for value in row if value and len(value) > 3}
    assert values
    for page in pages:
        assert not [v for v in values if v in page]
    assert {r["target"] for r in log_rows(world, "household_view")} >= {top}


def test_list_filters_and_bad_parameters(world, server):
    client = login(server, "analyst")
    team = client.get(f"/list?team={world.team_a}&status=assigned")
    assert team.status_code == 200
    for key in assigned_to(world, world.team_a)[:3]:
        assert key in team.text
    assert assigned_to(world, world.team_b)[0] not in team.text
    bad = client.get("/list?tier=99")
    assert bad.status_code == 400 and "tier" in bad.text
    assert client.get("/list?sort=name;drop").status_code == 400


def test_a_team_reaches_only_its_own_households_and_sheet(world, server):
    client = login(server, "team_a")
    own, other = assigned_to(world, world.team_a), assigned_to(world, world.team_b)
    page = client.get("/team")
    assert page.status_code == 200 and own[0] in page.text and other[0] not in page.text
    assert client.get(f"/households/{own[0]}").status_code == 200
    assert client.get(f"/households/{other[0]}").status_code == 404
    assert client.get(f"/sheets/{world.team_b}.xlsx").status_code == 403
    assert client.get("/sheets/..%2Fmanifest.json").status_code in (403, 404)
    sheet = client.get(f"/sheets/{world.team_a}.xlsx")
    night_dir = world.settings.outreach_dir(world.night.isoformat())
    assert sheet.status_code == 200
    assert sheet.content == (night_dir / "sheets" / f"{world.team_a}.xlsx").read_bytes()
    for path in ("/list", "/compare", "/model", "/freshness", "/admin/users", "/admin/log"):
        assert client.get(path).status_code == 403, path
    downloads = log_rows(world, "sheet_download")
    assert any(r["username"] == "team_a" and world.team_a in r["target"] for r in downloads)
    denied = {r["target"] for r in log_rows(world, "denied") if r["username"] == "team_a"}
    assert f"sheet {world.team_b}.xlsx" in denied and f"household {other[0]}" in denied


def test_analysts_and_admins_get_no_sheet(world, server):
    for name in ("analyst", "admin"):
        client = login(server, name)
        assert client.get(f"/sheets/{world.team_a}.xlsx").status_code == 403
    assert login(server, "admin").get("/list").status_code == 403


def test_forms_without_the_csrf_token_are_refused(world, server):
    client = login(server, "team_a")
    key = assigned_to(world, world.team_a)[0]
    result = {"household_key": key, "outcome": "unreachable"}
    assert client.post("/team/results", data=result).status_code == 403
    wrong = result | {"csrf_token": "forged"}
    assert client.post("/team/results", data=wrong).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    admin = login(server, "admin")
    add = {"action": "add", "username": "eve", "role": "admin", "password": "x" * 12}
    assert admin.post("/admin/users", data=add).status_code == 403
    with store.connect(store.store_path(world.settings)) as con:
        assert store.get_user(con, "eve") is None


def test_the_result_form_checks_like_feedback_and_writes_a_returned_csv(world, server):
    client = login(server, "team_a")
    token = csrf_of(client.get("/team/results").text)
    other = assigned_to(world, world.team_b)[0]
    refused = client.post(
        "/team/results",
        data={"household_key": other, "outcome": "unreachable", "csrf_token": token},
    )
    assert refused.status_code == 400 and "not an open assignment" in refused.text
    no_date = {"household_key": assigned_to(world, world.team_a)[1], "csrf_token": token}
    needs = client.post("/team/results", data=no_date | {"outcome": "confirmed_crisis"})
    assert needs.status_code == 400 and "needs a visit date" in needs.text
    before = set(feedback_files(world.settings.inbox / "feedback"))
    key, visit = assigned_to(world, world.team_a)[0], world.night.isoformat()
    saved = client.post(
        "/team/results",
        data={
            "household_key": key,
            "outcome": "confirmed_crisis",
            "visit_date": visit,
            "services": ["food", "emergency"],
            "visited_by": "김복지",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303, saved.text
    (written,) = set(feedback_files(world.settings.inbox / "feedback")) - before
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "household_key,emd_code,assigned_date,visit_date,outcome,services,visited_by"
    assert lines[1].startswith(f"{key},{world.team_a},") and lines[1].endswith(
        "confirmed_crisis,food;emergency,김복지"
    )
    entries = log_rows(world, "result_entry")
    assert entries[0]["target"] == f"{world.team_a}/{key}" and written.name in entries[0]["detail"]
    assert key in client.get("/team/results").text


def test_the_access_log_cannot_be_edited(world, server):
    admin = login(server, "admin")
    page = admin.get("/admin/log")
    assert page.status_code == 200 and "login" in page.text
    assert admin.post("/admin/log", data={"csrf_token": csrf_of(page.text)}).status_code == 405
    con = sqlite3.connect(store.store_path(world.settings))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("update access_log set username = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("delete from access_log")
    con.close()


def test_an_admin_manages_users_and_a_disabled_user_is_signed_out(world, server):
    admin = login(server, "admin")
    token = csrf_of(admin.get("/admin/users").text)
    add = {"action": "add", "username": "carol", "role": "analyst", "password": PASSWORD}
    assert admin.post("/admin/users", data=add | {"csrf_token": token}).status_code == 303
    carol = login(server, "carol")
    assert carol.get("/list").status_code == 200
    disable = {"action": "disable", "username": "carol", "csrf_token": token}
    assert admin.post("/admin/users", data=disable).status_code == 303
    assert carol.get("/list").status_code == 303  # its session ended
    assert sign_in(carol, "carol", PASSWORD).status_code == 401
    bad = {"action": "add", "username": "dave", "role": "team", "password": PASSWORD}
    refused = admin.post("/admin/users", data=bad | {"csrf_token": token})
    assert refused.status_code == 400 and "emd_code" in refused.text
    assert "carol" in admin.get("/admin/teams").text or admin.get("/admin/teams").status_code == 200


def test_korean_by_default_english_on_request(world, server):
    client = login(server, "analyst")
    assert "위험 순위 목록" in client.get("/list").text
    client.get("/lang?to=en&next=/list")
    assert "Ranked list" in client.get("/list").text
    assert client.get("/lang?to=en&next=https://evil.example/").headers["location"] == "/"


def test_review_pages_answer(world, server):
    client = login(server, "analyst")
    for path in ("/compare", "/freshness", "/model", "/report"):
        assert client.get(path).status_code == 200, path
    freshness = client.get("/freshness").text
    assert "kepco" in freshness and "주요 격리 사유" in freshness
