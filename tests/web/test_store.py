"""The web store's statements (sql/web/store/*.sql) on a fresh SQLite file."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sagak.settings import SQL_DIR, get_settings
from web import store
from web.sessions import (
    SessionPolicy,
    end_sessions,
    forget_old_sessions,
    session_user,
    start_session,
)

NOW = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)
WEB = Path(__file__).resolve().parents[2] / "web"


@pytest.fixture
def con(tmp_path):
    with store.connect(tmp_path / "web" / "web.sqlite3") as con:
        yield con


def test_the_store_lives_where_settings_say(tmp_path):
    settings = get_settings(tmp_path)
    assert store.store_path(settings) == tmp_path.resolve() / "web" / "web.sqlite3"
    assert settings.web_key == tmp_path.resolve() / "secrets" / "web_key"


def test_accounts_added_listed_disabled_and_reset(con):
    store.add_user(con, "ana", "analyst", None, "h1")
    store.add_user(con, "teamA", "team", "4817051000", "h2")
    store.set_disabled(con, "ana")
    assert store.password_hash(con, "ana") is None
    store.set_password(con, "ana", "h3")
    assert store.password_hash(con, "ana") == "h3"
    listed = [
        (u["username"], u["role"], u["emd_code"], u["disabled"]) for u in store.list_users(con)
    ]
    assert listed == [("ana", "analyst", None, False), ("teamA", "team", "4817051000", False)]
    assert store.get_user(con, "teamA") == store.User("teamA", "team", "4817051000", False)


def test_changing_an_unknown_account_names_it(con):
    with pytest.raises(LookupError, match="no user 'nobody'"):
        store.set_disabled(con, "nobody")


def test_the_access_log_pages_newest_first_and_refuses_changes(con):
    for target in ("/households/k1", "/households/k2", "/list"):
        store.log_access(con, None, "view", target, os_user="admin")
    store.log_access(con, None, "login", "x" * 2000)
    newest = store.read_log(con, limit=2)
    assert [r["target"][:5] for r in newest] == ["xxxxx", "/list"]
    assert len(newest[0]["target"]) == store.LOGGED_CHARS
    older = store.read_log(con, before=newest[-1]["id"], action="view", target_prefix="/house")
    assert [r["target"] for r in older] == ["/households/k2", "/households/k1"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("delete from access_log")


def test_sessions_live_until_ended_or_idle(con):
    policy = SessionPolicy()
    token = start_session(con, "ana", NOW)
    assert session_user(con, token, NOW + timedelta(minutes=5), policy) == "ana"
    assert session_user(con, token, NOW + timedelta(hours=1), policy) is None  # idle
    other = start_session(con, "ana", NOW)
    assert end_sessions(con, "ana", NOW, "logout") == 1
    assert session_user(con, other, NOW, policy) is None
    forget_old_sessions(con, NOW + timedelta(days=2), policy)
    assert con.execute("select count(*) from sessions").fetchone() == (0,)


def test_every_store_statement_is_used_and_no_sql_is_left_in_python():
    code = "\n".join(p.read_text(encoding="utf-8") for p in WEB.glob("*.py"))
    used = set(re.findall(r'store_sql\("([a-z_]+)"\)', code)) | {"user_password", "user_disabled"}
    files = {p.stem for p in (SQL_DIR / "web" / "store").glob("*.sql")}
    assert files == used
    assert not re.search(r'"(select|insert|update|delete|create) ', code)
