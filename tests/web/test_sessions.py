"""Sessions live on the server: logout, disable and reset end them, and so do idleness and age,
whatever copy of the cookie a browser kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sagak.settings import get_settings
from tests.web.conftest import PASSWORD, create_users, csrf_of, live_server, login
from web import store
from web.app import WebConfig
from web.passwords import hash_password
from web.sessions import SessionPolicy, session_end


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    """A home without a published night: analyst, team_a, team_b and admin."""
    settings = get_settings(tmp_path_factory.mktemp("sessions_home"))
    create_users(settings, "4817025000", "4817031000")
    return settings


@pytest.fixture(scope="module")
def url(accounts):
    with live_server(accounts) as address:
        yield address


def copied(client: httpx.Client) -> httpx.Client:
    """A second client holding a copy of `client`'s cookies (what a saved cookie gives)."""
    return httpx.Client(base_url=client.base_url, cookies=dict(client.cookies), timeout=30)


def signed_out(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def move_sessions(settings, username: str, **back: timedelta) -> None:
    """Pretend the user's sessions were created / last seen this much earlier."""
    with store.connect(store.store_path(settings)) as con:
        for column, delta in back.items():
            for sid, moment in con.execute(
                f"select id, {column} from sessions where username = ?", (username,)
            ).fetchall():
                earlier = datetime.fromisoformat(moment) - delta
                con.execute(
                    f"update sessions set {column} = ? where id = ?", (earlier.isoformat(), sid)
                )


def test_a_cookie_saved_before_logout_opens_nothing(accounts, url):
    client = login(url, "admin")
    saved = copied(client)
    assert saved.get("/admin/users").status_code == 200
    other_browser = login(url, "admin")
    token = csrf_of(client.get("/admin/users").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert signed_out(saved.get("/admin/users"))
    assert signed_out(other_browser.get("/admin/log"))  # logout ends every session of the user
    assert login(url, "admin").get("/admin/users").status_code == 200


@pytest.mark.parametrize("change", ["disable", "reset"])
def test_disable_and_reset_end_saved_cookies(accounts, url, change):
    name = f"kim_{change}"
    with store.connect(store.store_path(accounts)) as con:
        store.add_user(con, name, "admin", None, hash_password(PASSWORD))
    saved = copied(login(url, name))
    assert saved.get("/admin/users").status_code == 200
    with store.connect(store.store_path(accounts)) as con:
        if change == "disable":
            store.set_disabled(con, name)
        else:
            store.set_password(con, name, hash_password("another long password"))
    assert signed_out(saved.get("/admin/users"))


def test_a_session_ends_after_30_idle_minutes(accounts, url):
    client = login(url, "analyst")
    move_sessions(accounts, "analyst", seen_at=timedelta(minutes=29), created_at=timedelta(hours=1))
    assert client.get("/admin/users").status_code == 403  # still signed in (analyst, not admin)
    move_sessions(accounts, "analyst", seen_at=timedelta(minutes=31))
    assert signed_out(client.get("/admin/users"))


def test_a_used_session_still_ends_12_hours_after_login(accounts, url):
    client = login(url, "team_a")
    move_sessions(accounts, "team_a", created_at=timedelta(hours=11, minutes=58))
    assert client.get("/admin/users").status_code == 403  # used a minute ago, 11 h 58 old
    move_sessions(accounts, "team_a", created_at=timedelta(minutes=3))
    assert signed_out(client.get("/admin/users"))


def test_idle_and_lifetime_are_settings(accounts):
    config = WebConfig(idle_minutes=5, session_hours=1)
    with live_server(accounts, config) as address:
        client = login(address, "team_b")
        move_sessions(accounts, "team_b", seen_at=timedelta(minutes=6))
        assert signed_out(client.get("/admin/users"))
        client = login(address, "team_b")
        move_sessions(accounts, "team_b", created_at=timedelta(minutes=61))
        assert signed_out(client.get("/admin/users"))


def test_session_end_is_the_earlier_of_idle_and_lifetime():
    policy = SessionPolicy(idle=timedelta(minutes=30), lifetime=timedelta(hours=12))
    created = datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert session_end(created, created, policy) == created + timedelta(minutes=30)
    late = created + timedelta(hours=11, minutes=50)
    assert session_end(created, late, policy) == created + timedelta(hours=12)


def test_a_team_cookie_saved_before_logout_gets_no_team_page_or_sheet(world, server):
    client = login(server, "team_a")
    saved = copied(client)
    sheet = f"/sheets/{world.team_a}.xlsx"
    assert saved.get("/team").status_code == 200 and saved.get(sheet).status_code == 200
    token = csrf_of(client.get("/team").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert signed_out(saved.get("/team"))
    assert signed_out(saved.get(sheet))
