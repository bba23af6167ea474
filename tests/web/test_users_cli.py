"""`sagak users add|list|disable|reset` and `sagak web`'s options: wrong input exits 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from cli.main import app
from sagak.settings import get_settings
from tests.web.conftest import free_port
from web import store
from web.passwords import verify

runner = CliRunner()
PASSWORD = "a long enough password"


def users(home, *args, password=PASSWORD):
    return runner.invoke(
        app, ["users", *args, "--home", str(home)], input=f"{password}\n" if password else None
    )


def stored_hash(home, name):
    with store.connect(store.store_path(get_settings(home))) as con:
        return store.password_hash(con, name)


def test_add_list_disable_reset(tmp_path):
    added = users(
        tmp_path, "add", "kim", "--role", "team", "--team", "4817051000", "--password-stdin"
    )
    assert added.exit_code == 0, added.output
    hashed = stored_hash(tmp_path, "kim")
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert verify(hashed, PASSWORD) and not verify(hashed, "another password")
    assert os.stat(store.store_path(get_settings(tmp_path))).st_mode & 0o077 == 0
    listed = json.loads(users(tmp_path, "list", "--json", password=None).output)
    assert listed[0] | {"created_at": None, "updated_at": None} == {
        "username": "kim",
        "role": "team",
        "emd_code": "4817051000",
        "disabled": False,
        "created_at": None,
        "updated_at": None,
    }
    assert users(tmp_path, "disable", "kim", password=None).exit_code == 0
    assert stored_hash(tmp_path, "kim") is None  # a disabled account cannot log in
    reset = users(tmp_path, "reset", "kim", "--password-stdin", password="a brand new password")
    assert reset.exit_code == 0 and verify(stored_hash(tmp_path, "kim"), "a brand new password")


def test_wrong_input_names_the_option_and_exits_2(tmp_path):
    no_team = users(tmp_path, "add", "lee", "--role", "team", "--password-stdin")
    assert no_team.exit_code == 2 and "--team" in no_team.output
    bad_role = users(tmp_path, "add", "lee", "--role", "boss", "--password-stdin")
    assert bad_role.exit_code == 2 and "--role" in bad_role.output
    short = users(tmp_path, "add", "lee", "--role", "analyst", "--password-stdin", password="short")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    assert users(tmp_path, "add", "lee", "--role", "analyst", "--password-stdin").exit_code == 0
    again = users(tmp_path, "add", "lee", "--role", "analyst", "--password-stdin")
    assert again.exit_code == 2 and "already exists" in again.output
    unknown = users(tmp_path, "disable", "nobody", password=None)
    assert unknown.exit_code == 2 and "no user 'nobody'" in unknown.output
    port = runner.invoke(app, ["web", "--port", "70000", "--home", str(tmp_path)])
    assert port.exit_code == 2 and "--port" in port.output


def test_the_cookie_secret_is_made_once_0600(tmp_path, monkeypatch):
    from web.app import web_secret

    monkeypatch.delenv("SAGAK_WEB_SECRET", raising=False)
    settings = get_settings(tmp_path)
    first = web_secret(settings)
    assert len(first) == 64 and web_secret(settings) == first
    assert os.stat(settings.secrets / "web_key").st_mode & 0o777 == 0o600
    monkeypatch.setenv("SAGAK_WEB_SECRET", "from-the-environment")
    assert web_secret(settings) == "from-the-environment"


def test_sagak_web_serves_the_login_page(tmp_path):
    port = free_port()
    sagak = str(Path(sys.executable).with_name("sagak"))
    process = subprocess.Popen(
        [sagak, "web", "--port", str(port), "--home", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("sagak web did not answer")
        assert page.status_code == 200 and "로그인" in page.text
        assert (tmp_path / "web" / "web.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_account_changes_are_logged_with_the_os_user(tmp_path):
    import getpass

    assert users(tmp_path, "add", "yun", "--role", "analyst", "--password-stdin").exit_code == 0
    assert users(tmp_path, "disable", "yun", password=None).exit_code == 0
    assert users(tmp_path, "reset", "yun", "--password-stdin").exit_code == 0
    assert users(tmp_path, "disable", "nobody", password=None).exit_code == 2  # not logged
    with store.connect(store.store_path(get_settings(tmp_path))) as con:
        rows = store.read_log(con)
    assert [(r["action"], r["target"]) for r in rows] == [
        ("user_reset", "yun"),
        ("user_disable", "yun"),
        ("user_add", "yun"),
    ]
    assert {(r["username"], r["role"], r["client"]) for r in rows} == {
        (getpass.getuser(), "os", "cli")
    }
    assert rows[-1]["detail"] == "role analyst"
