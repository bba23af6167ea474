"""Logging in and out, the language switch, and the start page of each role."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web import store
from web.context import client, current_user, log, render, web
from web.guard import NAME_CHARS, check_csrf
from web.i18n import LANGS
from web.passwords import verify
from web.sessions import end_sessions, forget_old_sessions, start_session, utc_now

HOME_OF = {"analyst": "/list", "team": "/team", "admin": "/admin/users"}


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything pointing elsewhere becomes `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return default
    if any(ch < " " or ch == "\x7f" for ch in target):  # browsers drop tabs and newlines
        return default
    return target


def home(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME_OF[user.role], status_code=303)


def login_page(request: Request) -> Response:
    return render(request, "login.html", None, next=safe_next(request.query_params.get("next")))


def authenticate(request: Request, username: str, password: str) -> store.User | None:
    """The enabled account if the password matches (Argon2 verify), else None."""
    with store.connect(web(request).store) as con:
        stored = store.password_hash(con, username)
        user = store.get_user(con, username)
    return user if verify(stored, password) and user is not None else None


def refused(request: Request, username: str) -> None:
    """Log a refused login, at most one row per address and minute (the rest are counted)."""
    unlogged = web(request).refusals.to_log(client(request))
    if unlogged is not None:
        detail = f"{unlogged} more refused from this address before" if unlogged else None
        log(request, None, "login_limited", username, detail=detail)


def start(request: Request, user: store.User) -> None:
    """A fresh cookie session (and CSRF token) holding a new server-side session's id."""
    policy, now = web(request).sessions, utc_now()
    with store.connect(web(request).store) as con:
        forget_old_sessions(con, now, policy)
        token = start_session(con, user.username, now)
    chosen = request.session.get("lang")
    request.session.clear()
    request.session["sid"] = token
    if chosen:
        request.session["lang"] = chosen


async def login(request: Request) -> Response:
    form = await check_csrf(request)
    username = str(form.get("username") or "").strip()[:NAME_CHARS]
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    limiter, who = web(request).limiter, client(request)
    wait = limiter.retry_after(who, username)
    if wait:
        await run_in_threadpool(refused, request, username)
        page = render(request, "login.html", None, 429, error="too_many", next=target)
        page.headers["retry-after"] = str(wait)
        return page
    user = await run_in_threadpool(authenticate, request, username, password)
    if user is None:
        limiter.failed(who, username)
        await run_in_threadpool(log, request, None, "login_failed", username)
        return render(request, "login.html", None, 401, error="login_failed", next=target)
    limiter.succeeded(who, username)
    await run_in_threadpool(start, request, user)
    await run_in_threadpool(log, request, user, "login")
    default = HOME_OF[user.role]
    return RedirectResponse(target if target != "/" else default, status_code=303)


def end_all(request: Request, user: store.User) -> None:
    """End every session of `user` (this browser's and any copy of any cookie of theirs)."""
    with store.connect(web(request).store) as con:
        ended = end_sessions(con, user.username, utc_now(), "logout")
    log(request, user, "logout", detail=f"{ended} session(s) ended")


async def logout(request: Request) -> Response:
    await check_csrf(request)
    user = await run_in_threadpool(current_user, request)
    if user is not None:
        await run_in_threadpool(end_all, request, user)
    chosen = request.session.get("lang")
    request.session.clear()
    if chosen:
        request.session["lang"] = chosen
    return RedirectResponse("/login", status_code=303)


def switch_lang(request: Request) -> Response:
    chosen = request.query_params.get("to")
    if chosen in LANGS:
        request.session["lang"] = chosen
    return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)


ROUTES = [
    Route("/", home),
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang", switch_lang, methods=["GET"]),
]
