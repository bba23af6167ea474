"""Server-side sessions: the cookie holds a random id, the store decides whether it is alive.

A session ends on logout, when its account is disabled or its password reset, after
`idle` without a request and after `lifetime` whatever happens; a copied cookie dies with it.
The store keeps the SHA-256 of the id only, so a copy of the store opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from web.store_sql import store_sql

TOUCH_EVERY = timedelta(seconds=60)  # seen_at is written at most once a minute per session


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives: `idle` without a request, `lifetime` at most."""

    idle: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=12)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(con: sqlite3.Connection, username: str, now: datetime) -> str:
    """A new session of `username`; the token for the cookie."""
    token = secrets.token_urlsafe(32)
    params = {"id": _digest(token), "username": username, "at": _text(now)}
    con.execute(store_sql("session_insert"), params)
    return token


def session_user(
    con: sqlite3.Connection, token: str, now: datetime, policy: SessionPolicy
) -> str | None:
    """The user name of a live session (its seen_at renewed), else None (an expired one ended)."""
    row = con.execute(store_sql("session"), {"id": _digest(token)}).fetchone()
    if row is None or row[3] is not None:
        return None
    created, seen = datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2])
    ending = session_end(created, seen, policy)
    if now >= ending:
        end_session(
            con, token, ending, "idle" if ending < created + policy.lifetime else "lifetime"
        )
        return None
    if now - seen >= TOUCH_EVERY:
        con.execute(store_sql("session_seen"), {"id": _digest(token), "at": _text(now)})
    return row[0]


def session_end(created: datetime, seen: datetime, policy: SessionPolicy) -> datetime:
    """When a session created at `created` and last seen at `seen` stops being valid."""
    return min(seen + policy.idle, created + policy.lifetime)


def end_session(con: sqlite3.Connection, token: str, now: datetime, why: str) -> None:
    """End one session."""
    con.execute(store_sql("session_end"), {"id": _digest(token), "at": _text(now), "why": why})


def end_sessions(con: sqlite3.Connection, username: str, now: datetime, why: str) -> int:
    """End every session of `username` (logout, disable, reset); how many were open."""
    params = {"username": username, "at": _text(now), "why": why}
    cursor = con.execute(store_sql("user_sessions_end"), params)
    return cursor.rowcount


def forget_old_sessions(con: sqlite3.Connection, now: datetime, policy: SessionPolicy) -> None:
    """Drop rows of sessions that cannot be alive any more (kept a day for the curious)."""
    oldest = now - policy.lifetime - timedelta(days=1)
    con.execute(store_sql("sessions_forget"), {"oldest": _text(oldest)})
