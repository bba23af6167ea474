"""Accounts, sessions and the access log: one SQLite file, SAGAK_HOME/web/web.sqlite3 (WAL, 0600).

The access log is append-only: triggers refuse every UPDATE and DELETE, and the application
has no route that would try. The statements are sql/web/store/*.sql, parameters bound by name.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sagak.settings import Settings
from web.sessions import end_sessions, utc_now
from web.store_sql import store_sql

ROLES = ("analyst", "team", "admin")
EMD_CODE = re.compile(r"[0-9A-Za-z_-]{1,20}")
LOGGED_CHARS = 1000  # no access-log field keeps more (a login name: 256, see routes_auth)


@dataclass(frozen=True)
class User:
    """One account as the application sees it (no password hash)."""

    username: str
    role: str
    emd_code: str | None
    disabled: bool


def store_path(settings: Settings) -> Path:
    """SAGAK_HOME/web/web.sqlite3."""
    return settings.web_store


def now_text() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the store (created 0600 with its schema), committed and closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        con.executescript(store_sql("pragmas"))
        con.executescript(store_sql("schema"))
        yield con
    finally:
        con.close()


def named_rows(cursor: sqlite3.Cursor) -> list[dict]:
    """The cursor's rows as dicts by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _user(row: tuple) -> User:
    return User(row[0], row[1], row[2], bool(row[3]))


def get_user(con: sqlite3.Connection, username: str) -> User | None:
    """The account named `username`, if any."""
    row = con.execute(store_sql("user"), {"username": username}).fetchone()
    return _user(row) if row else None


def password_hash(con: sqlite3.Connection, username: str) -> str | None:
    """The stored hash of an enabled account, else None."""
    row = con.execute(store_sql("password_hash"), {"username": username}).fetchone()
    return row[0] if row else None


def list_users(con: sqlite3.Connection) -> list[dict]:
    """Every account, by name: username, role, emd_code, disabled, created_at, updated_at."""
    rows = named_rows(con.execute(store_sql("users")))
    return [row | {"disabled": bool(row["disabled"])} for row in rows]


def add_user(
    con: sqlite3.Connection, username: str, role: str, emd_code: str | None, hashed: str
) -> User:
    """Create an account; ValueError if the name is taken or role and team do not fit."""
    check_account(username, role, emd_code)
    if get_user(con, username) is not None:
        raise ValueError(f"user {username!r} already exists (use reset or disable)")
    values = {"role": role, "emd_code": emd_code, "password_hash": hashed}
    con.execute(store_sql("user_insert"), {"username": username, "at": now_text(), **values})
    return get_user(con, username)  # type: ignore[return-value]


def check_account(username: str, role: str, emd_code: str | None) -> None:
    """A name of 2–64 letters, digits, . _ - @; a known role; a team exactly for role team."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
    if not 2 <= len(username) <= 64 or set(username) - allowed:
        raise ValueError(f"username {username!r}: expected 2-64 letters, digits, . _ - @")
    if role not in ROLES:
        raise ValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if role == "team" and not emd_code:
        raise ValueError("role team needs the team's emd_code (--team)")
    if role != "team" and emd_code:
        raise ValueError(f"only role team is bound to a team (got role {role})")
    if emd_code and not EMD_CODE.fullmatch(emd_code):
        raise ValueError(f"emd_code {emd_code[:40]!r}: expected 1-20 letters, digits, _ -")


def check_team(emd_code: str, teams_file: Path) -> None:
    """ValueError unless `emd_code` is a team of teams.yml (the message names the file)."""
    from outreach.teams import TeamsFileError, load_teams

    try:
        codes = [team.emd_code for team in load_teams(teams_file).teams]
    except TeamsFileError as err:
        raise ValueError(f"emd_code cannot be checked: {err}") from err
    if emd_code not in codes:
        shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
        raise ValueError(f"emd_code {emd_code[:40]!r}: expected a team of {teams_file} ({shown})")


def set_password(con: sqlite3.Connection, username: str, hashed: str) -> None:
    """Replace the password, enable the account and end its sessions."""
    _update(con, "user_password", username, {"password_hash": hashed})
    end_sessions(con, username, utc_now(), "reset")


def set_disabled(con: sqlite3.Connection, username: str, disabled: bool = True) -> None:
    """Disable (or enable) an account; disabling ends its sessions."""
    _update(con, "user_disabled", username, {"disabled": int(disabled)})
    if disabled:
        end_sessions(con, username, utc_now(), "disabled")


def _update(con: sqlite3.Connection, statement: str, username: str, values: dict) -> None:
    """Run sql/web/store/<statement>.sql on the account `username`; LookupError if none."""
    params = {"username": username, "at": now_text(), **values}
    cursor = con.execute(store_sql(statement), params)
    if cursor.rowcount == 0:
        raise LookupError(f"no user {username!r} (see `sagak users list`)")


def log_access(
    con: sqlite3.Connection,
    user: User | None,
    action: str,
    target: str | None = None,
    night: str | None = None,
    detail: str | None = None,
    client: str | None = None,
    os_user: str | None = None,
) -> None:
    """Append one row to the access log: who (a web user, or `os_user` with role os), what, when."""
    username, role = (user.username, user.role) if user else (os_user, "os" if os_user else None)
    values = {
        "username": username,
        "role": role,
        "action": action,
        "target": target,
        "night": night,
        "detail": detail,
        "client": client,
    }
    kept = {name: v[:LOGGED_CHARS] if v else v for name, v in values.items()}
    con.execute(store_sql("access_log_insert"), {"at": now_text(), **kept})


def read_log(
    con: sqlite3.Connection,
    before: int | None = None,
    limit: int = 100,
    action: str | None = None,
    target_prefix: str | None = None,
) -> list[dict]:
    """Access log rows, newest first, `limit` of them with id below `before` (keyset paging)."""
    params = {"before": before, "limit": limit, "action": action, "target_prefix": target_prefix}
    return named_rows(con.execute(store_sql("access_log_page"), params))
