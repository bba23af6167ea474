"""After login and the language switch, only paths on this server are followed, whole."""

import html
import re

import httpx

from sagak.settings import get_settings
from tests.web.conftest import PASSWORD, create_users, csrf_of, live_server
from web.routes_auth import safe_next


def test_only_local_paths_are_followed_after_login():
    assert safe_next("/list?page=2") == "/list?page=2"
    assert safe_next("/list?city=41150&tier=2") == "/list?city=41150&tier=2"
    outside = ("https://evil.example/", "//evil.example", "/\\evil.example", "list", None)
    for target in (*outside, "/\t/evil.example", "/\n/evil.example"):
        assert safe_next(target) == "/"


def test_the_return_address_keeps_all_its_query_parameters(tmp_path):
    settings = get_settings(tmp_path)
    create_users(settings, "4817025000", "4817031000")
    with live_server(settings) as url:
        client = httpx.Client(base_url=url)
        asked = client.get("/list?city=41150&tier=2")
        assert asked.status_code == 303
        page = client.get(asked.headers["location"])
        form = {"username": "analyst", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
        form["next"] = html.unescape(re.search(r'name="next" value="([^"]*)"', page.text)[1])
        signed_in = client.post("/login", data=form)
        assert signed_in.headers["location"] == "/list?city=41150&tier=2"
        evil = client.get("/login", params={"next": "//evil.example/x?a=1&b=2"})
        assert 'name="next" value="/"' in evil.text
