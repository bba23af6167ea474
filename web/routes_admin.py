"""The administrators' pages: users, roles and teams; the access log (read only)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from outreach.teams import TeamsFileError, load_teams
from web import store
from web.context import log, render, require, web
from web.guard import check_csrf
from web.listing import number
from web.passwords import hash_password

LOG_PAGE = 100


def users_page(request: Request, user=None, error: str | None = None) -> Response:
    user = user or require(request, "admin")
    with store.connect(web(request).store) as con:
        users = store.list_users(con)
    return render(
        request, "users.html", user, status_code=400 if error else 200, users=users, error=error
    )


def change_user(request: Request, admin: store.User, form: dict) -> str | None:
    """Apply one form of the users page (add, disable, enable, reset); an error or None."""
    action, name = str(form.get("action") or ""), str(form.get("username") or "").strip()
    try:
        with store.connect(web(request).store) as con:
            if action == "add":
                team = str(form.get("emd_code") or "").strip() or None
                role = str(form.get("role") or "")
                store.check_account(name, role, team)
                if team:
                    store.check_team(team, web(request).settings.teams_file)
                password = hash_password(str(form.get("password") or ""))
                store.add_user(con, name, role, team, password)
            elif action in ("disable", "enable"):
                store.set_disabled(con, name, action == "disable")
            elif action == "reset":
                store.set_password(con, name, hash_password(str(form.get("password") or "")))
            else:
                raise HTTPException(status_code=400, detail=f"unknown action {action!r}")
    except (ValueError, LookupError) as err:
        return str(err)
    log(request, admin, f"user_{action}", name)
    return None


async def users_submit(request: Request) -> Response:
    admin = await run_in_threadpool(require, request, "admin")
    form = await check_csrf(request)
    error = await run_in_threadpool(change_user, request, admin, form)
    if error is not None:
        return await run_in_threadpool(users_page, request, admin, error)
    return RedirectResponse("/admin/users", status_code=303)


def teams_page(request: Request) -> Response:
    user = require(request, "admin")
    try:
        config = load_teams(web(request).settings.teams_file)
    except TeamsFileError as err:
        raise HTTPException(status_code=500, detail=str(err)) from err
    with store.connect(web(request).store) as con:
        users = store.list_users(con)
    members: dict[str, list[str]] = {}
    for account in users:
        if account["emd_code"]:
            members.setdefault(account["emd_code"], []).append(account["username"])
    return render(request, "teams.html", user, teams=config.teams, members=members)


def log_page(request: Request) -> Response:
    user = require(request, "admin")
    before = number(request.query_params.get("before"), "before", 1, 10**18 - 1)
    action = request.query_params.get("action") or None
    with store.connect(web(request).store) as con:
        rows = store.read_log(con, before, LOG_PAGE, action)
    older = rows[-1]["id"] if len(rows) == LOG_PAGE else None
    return render(request, "log.html", user, rows=rows, older=older, action=action)


ROUTES = [
    Route("/admin/users", users_page, methods=["GET"]),
    Route("/admin/users", users_submit, methods=["POST"]),
    Route("/admin/teams", teams_page),
    Route("/admin/log", log_page),
]
