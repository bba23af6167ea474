"""A small world published through one real nightly run, its accounts, and a live server."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from cli.main import latest_delivery_date
from sagak.settings import Settings, get_settings

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class World:
    """The published world: settings, the night served, the next night, two teams."""

    settings: Settings
    night: date
    next_night: date
    team_a: str
    team_b: str


def create_users(settings: Settings, team_a: str, team_b: str) -> None:
    """analyst, team_a, team_b and admin, all with PASSWORD."""
    from web import store
    from web.passwords import hash_password

    hashed = hash_password(PASSWORD)
    with store.connect(store.store_path(settings)) as con:
        store.add_user(con, "analyst", "analyst", None, hashed)
        store.add_user(con, "team_a", "team", team_a, hashed)
        store.add_user(con, "team_b", "team", team_b, hashed)
        store.add_user(con, "admin", "admin", None, hashed)


@pytest.fixture(scope="session")
def world(tmp_path_factory, prefect_server) -> World:
    """400 households × 6 months; the night a week before the last published by `nightly`."""
    from flows.nightly import nightly
    from synth.world import generate

    home = tmp_path_factory.mktemp("web_home")
    generate(home, households=400, months=6, end="2026-10", seed=3, mess=0.01)
    settings = get_settings(home)
    last = latest_delivery_date(settings.inbox)
    night = last - timedelta(days=7)
    manifest = nightly(as_of=night, home=str(home))
    listed = sorted(manifest["counts"]["listed_by_team"].items(), key=lambda kv: (-kv[1], kv[0]))
    team_a, team_b = listed[0][0], listed[1][0]
    create_users(settings, team_a, team_b)
    return World(settings, night, last, team_a, team_b)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(settings: Settings, config=None) -> Iterator[str]:
    """uvicorn serving the application on a free localhost port, in a thread; yields its URL."""
    import uvicorn

    from web.app import create_app

    port = free_port()
    app = create_app(settings, config)
    server = uvicorn.Server(
        # as `sagak web`: the application, not uvicorn, reads X-Forwarded-* (WebConfig)
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            proxy_headers=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(world) -> Iterator[str]:
    with live_server(world.settings) as url:
        yield url


def csrf_of(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(url: str, username: str, password: str = PASSWORD) -> httpx.Client:
    """A client signed in as `username` (asserts the login worked)."""
    client = httpx.Client(base_url=url, timeout=30)
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    return client


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
