"""The login limit counts per (name, address), trusts X-Forwarded-For only from the configured
proxies, and a flood of refused logins cannot fill the append-only access log."""

from __future__ import annotations

import httpx
import pytest

from sagak.settings import get_settings
from tests.web.conftest import PASSWORD, create_users, csrf_of, live_server
from web import store
from web.app import WebConfig
from web.guard import LoginLimiter, Refusals


@pytest.fixture
def accounts(tmp_path):
    """A home without a published night: analyst, team_a, team_b and admin."""
    settings = get_settings(tmp_path)
    create_users(settings, "4817025000", "4817031000")
    return settings


def attempt(client: httpx.Client, username: str, password: str, address: str | None = None):
    headers = {"x-forwarded-for": address} if address else {}
    token = csrf_of(client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=form, headers=headers)


def log_rows(settings, action: str) -> list[dict]:
    with store.connect(store.store_path(settings)) as con:
        return store.read_log(con, limit=1000, action=action)


def test_a_stranger_cannot_lock_a_user_out_from_elsewhere(accounts):
    with live_server(accounts, WebConfig(forwarded_allow_ips="127.0.0.1")) as url:
        stranger, team = httpx.Client(base_url=url), httpx.Client(base_url=url)
        codes = [attempt(stranger, "team_a", "guess", "203.0.113.5").status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        assert attempt(team, "team_a", PASSWORD, "198.51.100.7").status_code == 303
    assert {r["client"] for r in log_rows(accounts, "login_failed")} == {"203.0.113.5"}


def test_x_forwarded_for_from_an_untrusted_client_is_ignored(accounts):
    with live_server(accounts, WebConfig(forwarded_allow_ips="10.0.0.1")) as url:
        client = httpx.Client(base_url=url)
        codes = [
            attempt(client, "analyst", "guess", f"203.0.113.{i}").status_code for i in range(6)
        ]
        assert codes == [401] * 5 + [429]
    assert {r["client"] for r in log_rows(accounts, "login_failed")} == {"127.0.0.1"}


def test_one_address_trying_many_names_is_limited_too(accounts):
    with live_server(accounts, WebConfig(address_attempts=4)) as url:
        client = httpx.Client(base_url=url)
        codes = [attempt(client, f"name{i}", "guess").status_code for i in range(5)]
        assert codes == [401] * 4 + [429]


def test_a_huge_user_name_is_stored_cut_to_256_characters(accounts):
    with live_server(accounts, WebConfig(login_attempts=2)) as url:
        client = httpx.Client(base_url=url, timeout=60)
        codes = {attempt(client, "x" * 200_000, "guess").status_code for _ in range(12)}
        assert codes == {401, 429}
    rows = log_rows(accounts, "login_failed") + log_rows(accounts, "login_limited")
    assert rows and max(len(r["target"]) for r in rows) == 256


def test_twenty_refusals_in_a_minute_store_at_most_two_rows(accounts):
    with live_server(accounts, WebConfig(login_attempts=1)) as url:
        client = httpx.Client(base_url=url)
        assert attempt(client, "admin", "guess").status_code == 401
        codes = [attempt(client, "admin", "guess").status_code for _ in range(20)]
        assert codes == [429] * 20
    assert 1 <= len(log_rows(accounts, "login_limited")) <= 2


def test_refusals_are_logged_once_a_minute_with_the_count_of_the_rest():
    refusals = Refusals()
    logged = [refusals.to_log("203.0.113.5", 600.0 + i) for i in range(20)]
    assert logged == [0] + [None] * 19
    assert refusals.to_log("198.51.100.7", 619.0) == 0  # another address has its own minute
    assert refusals.to_log("203.0.113.5", 660.0) == 19


def test_the_limiter_counts_per_name_and_address():
    limiter = LoginLimiter(attempts=2, window=60, address_attempts=3)
    for _ in range(2):
        limiter.failed("203.0.113.5", "Team_A", now=0.0)
    assert limiter.retry_after("203.0.113.5", "team_a", now=1.0) == 60
    assert limiter.retry_after("198.51.100.7", "team_a", now=1.0) == 0
    limiter.failed("203.0.113.5", "team_b", now=2.0)
    assert limiter.retry_after("203.0.113.5", "someone", now=3.0) > 0  # 3 from this address
    assert limiter.retry_after("203.0.113.5", "someone", now=61.0) == 0
