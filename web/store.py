"""Accounts, sessions and the access log: one SQLite file, SAGAK_HOME/web/web.sqlite3 (WAL, 0600).

The access log is append-only: triggers refuse every UPDATE and DELETE, and the application
has no route that would try.
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

ROLES = ("analyst", "team", "admin")
EMD_CODE = re.compile(r"[0-9A-Za-z_-]{1,20}")
LOGGED_CHARS = 1000  # no access-log field keeps more (a login name: 256, see routes_auth)

SCHEMA = """
create table if not exists users (
    username text primary key,
    role text not null check (role in ('analyst', 'team', 'admin')),
    emd_code text,
    password_hash text not null,
    disabled integer not null default 0,
    session_version integer not null default 1,  -- unused since the sessions table
    created_at text not null,
    updated_at text not null,
    check ((role = 'team') = (emd_code is not null))
);
create table if not exists sessions (
    id text primary key,  -- SHA-256 of the cookie's token
    username text not null,
    created_at text not null,
    seen_at text not null,
    ended_at text,
    ended_why text
);
create index if not exists sessions_by_user on sessions (username, ended_at);
create table if not exists access_log (
    id integer primary key autoincrement,
    at text not null,
    username text,
    role text,
    action text not null,
    target text,
    night text,
    detail text,
    client text
);
create trigger if not exists access_log_no_update before update on access_log
begin select raise(abort, 'access_log is append-only'); end;
create trigger if not exists access_log_no_delete before delete on access_log
begin select raise(abort, 'access_log is append-only'); end;
"""


@dataclass(frozen=True)
class User:
    """One account as the application sees it (no password hash)."""

    username: str
    role: str
    emd_code: str | None
    disabled: bool


def store_path(settings: Settings) -> Path:
    """SAGAK_HOME/web/web.sqlite3."""
    return settings.home / "web" / "web.sqlite3"


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
        con.execute("pragma journal_mode = wal")
        con.execute("pragma synchronous = full")
        con.execute("pragma busy_timeout = 10000")
        con.executescript(SCHEMA)
        yield con
    finally:
        con.close()


def _user(row: tuple) -> User:
    return User(row[0], row[1], row[2], bool(row[3]))


USER_COLUMNS = "username, role, emd_code, disabled"


def get_user(con: sqlite3.Connection, username: str) -> User | None:
    """The account named `username`, if any."""
    row = con.execute(
        f"select {USER_COLUMNS} from users where username = ?", (username,)
    ).fetchone()
    return _user(row) if row else None


def password_hash(con: sqlite3.Connection, username: str) -> str | None:
    """The stored hash of an enabled account, else None."""
    row = con.execute(
        "select password_hash from users where username = ? and disabled = 0", (username,)
    ).fetchone()
    return row[0] if row else None


def list_users(con: sqlite3.Connection) -> list[dict]:
    """Every account, by name: username, role, emd_code, disabled, created_at, updated_at."""
    rows = con.execute(
        "select username, role, emd_code, disabled, created_at, updated_at from users "
        "order by username"
    ).fetchall()
    keys = ("username", "role", "emd_code", "disabled", "created_at", "updated_at")
    return [dict(zip(keys, row, strict=True)) | {"disabled": bool(row[3])} for row in rows]


def add_user(
    con: sqlite3.Connection, username: str, role: str, emd_code: str | None, hashed: str
) -> User:
    """Create an account; ValueError if the name is taken or role and team do not fit."""
    check_account(username, role, emd_code)
    if get_user(con, username) is not None:
        raise ValueError(f"user {username!r} already exists (use reset or disable)")
    at = now_text()
    con.execute(
        "insert into users (username, role, emd_code, password_hash, created_at, updated_at) "
        "values (?, ?, ?, ?, ?, ?)",
        (username, role, emd_code, hashed, at, at),
    )
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
    _update(con, username, "password_hash = ?, disabled = 0", (hashed,))
    end_sessions(con, username, utc_now(), "reset")


def set_disabled(con: sqlite3.Connection, username: str, disabled: bool = True) -> None:
    """Disable (or enable) an account; disabling ends its sessions."""
    _update(con, username, "disabled = ?", (int(disabled),))
    if disabled:
        end_sessions(con, username, utc_now(), "disabled")


def _update(con: sqlite3.Connection, username: str, assignments: str, values: tuple) -> None:
    cursor = con.execute(
        f"update users set {assignments}, updated_at = ? where username = ?",
        (*values, now_text(), username),
    )
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
    values = (username, role, action, target, night, detail, client)
    con.execute(
        "insert into access_log (at, username, role, action, target, night, detail, client) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        (now_text(), *(v[:LOGGED_CHARS] if v else v for v in values)),
    )


LOG_COLUMNS = ("id", "at", "username", "role", "action", "target", "night", "detail", "client")


def read_log(
    con: sqlite3.Connection,
    before: int | None = None,
    limit: int = 100,
    action: str | None = None,
    target_prefix: str | None = None,
) -> list[dict]:
    """Access log rows, newest first, `limit` of them with id below `before` (keyset paging)."""
    rows = con.execute(
        f"select {', '.join(LOG_COLUMNS)} from access_log "
        "where (? is null or id < ?) and (? is null or action = ?) "
        "and (? is null or substr(target, 1, length(?)) = ?) order by id desc limit ?",
        (before, before, action, action, target_prefix, target_prefix, target_prefix, limit),
    ).fetchall()
    return [dict(zip(LOG_COLUMNS, row, strict=True)) for row in rows]
