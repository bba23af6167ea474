"""Odd input answers 400 naming what was expected, never 500; every answer, a 500 included,
carries the security headers."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.exceptions import HTTPException
from starlette.routing import Route
from typer.testing import CliRunner

from cli.main import app as cli
from sagak.settings import get_settings
from tests.web.conftest import PASSWORD, create_users, csrf_of, live_server, login
from web import store
from web.app import create_app
from web.listing import number

ODD_NUMBERS = ("²", "٣", "1²", "9" * 5000, "-1", " 2")


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    settings = get_settings(tmp_path_factory.mktemp("odd_input_home"))
    create_users(settings, "4817025000", "4817031000")
    return settings


@pytest.fixture(scope="module")
def url(accounts):
    with live_server(accounts) as address:
        yield address


def guarded(response: httpx.Response) -> bool:
    headers = response.headers
    return (
        "default-src 'self'" in headers.get("content-security-policy", "")
        and headers.get("x-frame-options") == "DENY"
        and headers.get("x-content-type-options") == "nosniff"
    )


@pytest.mark.parametrize("text", ODD_NUMBERS)
def test_a_number_takes_ascii_digits_only(text):
    with pytest.raises(HTTPException) as refused:
        number(text, "page", 1, 100_000)
    assert (
        refused.value.status_code == 400 and "page: expected a whole number" in refused.value.detail
    )
    assert number("42", "page", 1, 100_000) == 42 and number(None, "page", 1, 9) is None


@pytest.mark.parametrize("text", ODD_NUMBERS)
def test_odd_before_on_the_access_log_is_400(url, text):
    admin = login(url, "admin")
    response = admin.get("/admin/log", params={"before": text})
    assert response.status_code == 400 and guarded(response)
    assert "before" in response.text
    assert admin.get("/admin/log", params={"before": "5"}).status_code == 200


@pytest.mark.parametrize("text", ("²", "٣"))
def test_odd_page_on_the_list_is_400(world, server, text):
    analyst = login(server, "analyst")
    response = analyst.get("/list", params={"page": text})
    assert response.status_code == 400 and guarded(response) and "page" in response.text


@pytest.mark.parametrize("code", ("../x", "9999999999"))
def test_the_admin_form_takes_only_teams_of_teams_yml(accounts, url, code):
    admin = login(url, "admin")
    token = csrf_of(admin.get("/admin/users").text)
    form = {"action": "add", "role": "team", "password": PASSWORD, "csrf_token": token}
    refused = admin.post("/admin/users", data=form | {"username": "lee", "emd_code": code})
    assert refused.status_code == 400 and guarded(refused) and "emd_code" in refused.text
    with store.connect(store.store_path(accounts)) as con:
        assert store.get_user(con, "lee") is None
    good = admin.post(
        "/admin/users", data=form | {"username": f"lee{len(code)}", "emd_code": "4817032000"}
    )
    assert good.status_code == 303


@pytest.mark.parametrize("code", ("../x", "9999999999"))
def test_sagak_users_add_takes_only_teams_of_teams_yml(tmp_path, code):
    args = ["users", "add", "park", "--role", "team", "--team", code, "--password-stdin"]
    result = CliRunner().invoke(cli, [*args, "--home", str(tmp_path)], input=f"{PASSWORD}\n")
    assert result.exit_code == 2 and "--team" in result.output and "expected" in result.output
    with store.connect(store.store_path(get_settings(tmp_path))) as con:
        assert store.get_user(con, "park") is None


def test_a_500_carries_the_security_headers(accounts):
    def broken(request):
        raise RuntimeError("a bug")

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://sagak") as client:
            return await client.get(path)

    app = create_app(accounts)
    app.router.routes.append(Route("/broken", broken))
    response = asyncio.run(get("/broken"))
    assert response.status_code == 500 and guarded(response)
    assert "a bug" not in response.text
