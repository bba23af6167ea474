"""The teams' pages: their own open assignments and escalations, the sheet, the result form.

Every URL checks the team: another team's sheet answers 403 and another team's household is
refused by the result form (logged as denied), whatever the menu shows. The open assignments
show the names, phones and addresses of the team's own sheet, and each such view is logged.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from outreach.services import SERVICES
from outreach.sheets import OUTCOMES, sheet_name
from web import store
from web.capacity import team_capacity
from web.context import log, night_or_404, render, require, web
from web.guard import check_csrf
from web.results import checked_result, store_result
from web.sheet_contacts import team_contacts

SEOUL = ZoneInfo("Asia/Seoul")


def team_page(request: Request) -> Response:
    user = require(request, "team")
    night = night_or_404(request)
    params = {
        "ranked": str(night.file("ranked.parquet")),
        "assignments": str(night.file("web/assignments.parquet")),
        "emd": user.emd_code,
    }
    nights = web(request).nights
    assignments = nights.query("team_assignments", params)
    keys = [a["household_key"] for a in assignments]
    return render(
        request,
        "team.html",
        user,
        night=night,
        assignments=assignments,
        contacts=team_contacts(request, user, night, keys),
        escalations=nights.query("team_escalations", params),
        has_sheet=night.file(f"sheets/{sheet_name(user.emd_code)}").is_file(),
        capacity=team_capacity(night.manifest, user.emd_code),
    )


def own_sheet(request: Request) -> Response:
    user = require(request, "team")
    return RedirectResponse(f"/sheets/{sheet_name(user.emd_code)}", status_code=303)


def sheet_download(request: Request) -> Response:
    user = require(request, "team")
    name = request.path_params["name"]
    night = night_or_404(request)
    if name != sheet_name(user.emd_code):
        log(request, user, "denied", f"sheet {name}", night.night)
        raise HTTPException(status_code=403)
    path = night.file(f"sheets/{name}")
    if not path.is_file():
        raise HTTPException(status_code=404)
    log(request, user, "sheet_download", f"sheets/{name}", night.night)
    return FileResponse(
        path,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"{user.emd_code}_{night.night}.xlsx",
    )


def entered_results(request: Request, user: store.User) -> list[dict]:
    """The results this team entered on the web, newest first (from the access log)."""
    with store.connect(web(request).store) as con:
        return store.read_log(
            con, limit=100, action="result_entry", target_prefix=f"{user.emd_code}/"
        )


def results_page(request: Request, user=None, errors=(), saved=False, form=None) -> Response:
    user = user or require(request, "team")
    night = night_or_404(request)
    params = {
        "ranked": str(night.file("ranked.parquet")),
        "assignments": str(night.file("web/assignments.parquet")),
        "emd": user.emd_code,
    }
    assignments = web(request).nights.query("team_assignments", params)
    keys = [a["household_key"] for a in assignments]
    return render(
        request,
        "results.html",
        user,
        status_code=400 if errors else 200,
        night=night,
        assignments=assignments,
        contacts=team_contacts(request, user, night, keys),
        outcomes=OUTCOMES,
        services=SERVICES,
        errors=list(errors),
        saved=saved or request.query_params.get("saved") == "1",
        form=form or {"household_key": request.query_params.get("key", "")},
        entered=entered_results(request, user),
    )


def record_result(request: Request, user: store.User, form: dict) -> str | None:
    """Check and store one result; the error message, or None when stored."""
    app = web(request)
    night = night_or_404(request)
    today = datetime.now(SEOUL).date()
    try:
        record = checked_result(app.nights, night, user.emd_code, form, today)
    except ValueError as err:
        key = str(form.get("household_key") or "").strip()
        if not own_household(request, night, user, key):
            log(request, user, "denied", f"result {key}", night.night, str(err))
        return str(err)
    path = store_result(app.settings.feedback_inbox, record)
    target = f"{user.emd_code}/{record['household_key']}"
    detail = f"{record['outcome']} {record['visit_date'] or ''} {path.name}".strip()
    log(request, user, "result_entry", target, night.night, detail)
    return None


def own_household(request: Request, night, user: store.User, key: str) -> bool:
    """Whether `key` is one of the team's households on the night's list."""
    rows = web(request).nights.query(
        "household_team", {"ranked": str(night.file("ranked.parquet")), "key": key}
    )
    return any(row["emd_code"] == user.emd_code for row in rows)


async def submit_result(request: Request) -> Response:
    user = await run_in_threadpool(require, request, "team")
    form = await check_csrf(request)
    error = await run_in_threadpool(record_result, request, user, form)
    if error is not None:
        return await run_in_threadpool(results_page, request, user, [error], False, form)
    return RedirectResponse("/team/results?saved=1", status_code=303)


ROUTES = [
    Route("/team", team_page),
    Route("/team/sheet", own_sheet),
    Route("/sheets/{name}", sheet_download),
    Route("/team/results", results_page, methods=["GET"]),
    Route("/team/results", submit_result, methods=["POST"]),
]
