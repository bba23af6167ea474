"""What every page needs: the application's state, the signed-in user, rendering, the log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from sagak.settings import Settings
from web import store
from web.guard import LoginLimiter, Refusals, csrf_token
from web.i18n import LANGS, page_helpers
from web.nights import Night, Nights
from web.sessions import SessionPolicy, session_user, utc_now

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Web:
    """The application's state: settings, published nights, the account store, the limiter,
    the refused-login counter and how long sessions live."""

    settings: Settings
    nights: Nights
    store: Path
    limiter: LoginLimiter
    templates: Jinja2Templates
    refusals: Refusals
    sessions: SessionPolicy


class LoginRequired(Exception):
    """No valid session: the handler sends the browser to the login page."""


def web(request: Request) -> Web:
    return request.app.state.web


def lang(request: Request) -> str:
    """The interface language: the session's choice, else Korean."""
    chosen = request.session.get("lang")
    return chosen if chosen in LANGS else "ko"


def client(request: Request) -> str:
    """The client's address (the proxy's X-Forwarded-For when uvicorn trusts it)."""
    return request.client.host if request.client else "unknown"


def current_user(request: Request) -> store.User | None:
    """The enabled user of a live server-side session, else None (the cookie's id dropped)."""
    token = request.session.get("sid")
    if not token or not isinstance(token, str):
        return None
    with store.connect(web(request).store) as con:
        name = session_user(con, token, utc_now(), web(request).sessions)
        user = store.get_user(con, name) if name else None
    if user is None or user.disabled:
        request.session.pop("sid", None)
        return None
    return user


def require(request: Request, *roles: str) -> store.User:
    """The signed-in user if their role is one of `roles`; else login (no session) or 403."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if user.role not in roles:
        log(request, user, "denied", request.url.path)
        raise HTTPException(status_code=403)
    return user


def night_or_404(request: Request, name: str | None = None) -> Night:
    """The night asked for (default: the newest published), or 404."""
    nights = web(request).nights
    night = nights.get(name) if name else nights.current()
    if night is None:
        raise HTTPException(status_code=404, detail="no_night")
    return night


def log(
    request: Request,
    user: store.User | None,
    action: str,
    target: str | None = None,
    night: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one access-log row for this request."""
    with store.connect(web(request).store) as con:
        store.log_access(con, user, action, target, night, detail, client(request))


def render(
    request: Request, template: str, user: store.User | None, status_code: int = 200, **context
) -> Response:
    """A page of `template` with the language, the user, the CSRF token and the served night."""
    chosen = lang(request)
    base = {
        "lang": chosen,
        **page_helpers(chosen),
        "user": user,
        "csrf": csrf_token(request),
        "served": web(request).nights.current(),
    }
    return web(request).templates.TemplateResponse(
        request, template, base | context, status_code=status_code
    )
