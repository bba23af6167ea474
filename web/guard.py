"""Security plumbing: headers on every response, CSRF tokens, the login rate limit, the
refused-login counter."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NAME_CHARS = 256  # of a submitted login name, at most this many are kept (log, limiter)

# no inline script anywhere; the model card and night report carry inline styles and data: PNGs
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS = {
    "content-security-policy": PAGE_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (HSTS when cookies are secure)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.extra = dict(HEADERS)
        if hsts:
            self.extra["strict-transport-security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [
                    (name.encode(), value.encode())
                    for name, value in self.extra.items()
                    if name.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> dict:
    """The submitted form, or 403 unless its csrf_token matches the session's."""
    form = await request.form()
    sent = str(form.get("csrf_token") or "")
    expected = request.session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")
    return {key: form.getlist(key) if len(form.getlist(key)) > 1 else form[key] for key in form}


class LoginLimiter:
    """Failed logins within `window` seconds: at most `attempts` per (user name, address) and
    `address_attempts` per address whatever the name, so a stranger who knows a name can lock
    out only themselves."""

    def __init__(
        self, attempts: int = 5, window: float = 300.0, address_attempts: int = 30
    ) -> None:
        self.attempts, self.window, self.address_attempts = attempts, window, address_attempts
        self.failures: dict[tuple, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _keys(self, client: str, username: str) -> list[tuple[tuple, int]]:
        return [
            (("address", client), self.address_attempts),
            (("user", username.lower()[:NAME_CHARS], client), self.attempts),
        ]

    def _recent(self, key: tuple, now: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, client: str, username: str, now: float | None = None) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            waits = [
                self.window - (now - times[0])
                for key, limit in self._keys(client, username)
                if len(times := self._recent(key, now)) >= limit
            ]
            self._forget_quiet(now)
        return int(max(waits)) + 1 if waits else 0

    def failed(self, client: str, username: str, now: float | None = None) -> None:
        """Count one failed attempt against the address and the (name, address)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            for key, _ in self._keys(client, username):
                self._recent(key, now).append(now)

    def succeeded(self, client: str, username: str) -> None:
        """A good login clears the failures of its (name, address), not the address's."""
        with self.lock:
            self.failures.pop(self._keys(client, username)[1][0], None)

    def _forget_quiet(self, now: float) -> None:
        """Drop keys without a failure in the window (memory stays bounded by recent failures)."""
        if len(self.failures) > 1000:
            for key in [k for k in self.failures if not self._recent(k, now)]:
                del self.failures[key]


class Refusals:
    """Refused logins per address: the first of each minute is logged, the rest only counted
    (the count goes into that address's next logged row), so a flood writes a row a minute."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[int, int]] = {}  # address → (minute, refusals not logged)
        self.lock = threading.Lock()

    def to_log(self, client: str, now: float | None = None) -> int | None:
        """None: this refusal is only counted; else log it, with this many unlogged before it."""
        minute = int((time.time() if now is None else now) // 60)
        with self.lock:
            last, unlogged = self.seen.get(client, (None, 0))
            if last == minute:
                self.seen[client] = (minute, unlogged + 1)
                return None
            if len(self.seen) > 1000:
                self.seen = {k: v for k, v in self.seen.items() if v[0] >= minute - 60}
            self.seen[client] = (minute, 0)
            return unlogged
