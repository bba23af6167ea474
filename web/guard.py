"""Security plumbing: headers on every response, CSRF tokens, the login rate limit."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    """At most `attempts` failed logins per `window` seconds per client and per user name."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, client: str, username: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = time.monotonic()
        with self.lock:
            waits = [
                self.window - (now - times[0])
                for key in (f"c:{client}", f"u:{username.lower()}")
                if len(times := self._recent(key, now)) >= self.attempts
            ]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, client: str, username: str) -> None:
        """Count one failed attempt against the client and the name."""
        now = time.monotonic()
        with self.lock:
            for key in (f"c:{client}", f"u:{username.lower()}"):
                self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        """A good login clears the name's failures (not the client's)."""
        with self.lock:
            self.failures.pop(f"u:{username.lower()}", None)
