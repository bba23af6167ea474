"""The analysts' pages: the ranked list and the household page (pseudonymous, no contacts).

A team user may open the household page of its own team's households only; any other key
answers 404, exactly as a key that does not exist. On its own sheet's households the team also
sees the name, phone and address the sheet shows (web/sheet_contacts.py, logged).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from features.catalog import features as catalog_features
from features.catalog import reasons as catalog_reasons
from outreach.teams import TeamsFileError, load_teams
from web.capacity import spare_by_city
from web.context import lang, log, night_or_404, render, require, web
from web.listing import PAGE_SIZE, listing, ranked_page
from web.sheet_contacts import team_contacts

KEY_CHARS = set("0123456789abcdefABCDEF")


def ranked_list(request: Request) -> Response:
    user = require(request, "analyst")
    night = night_or_404(request)
    asked = listing(request.query_params, set(catalog_reasons()))
    rows, total = ranked_page(web(request).nights, str(night.file("ranked.parquet")), asked)
    pages = max(1, -(-total // PAGE_SIZE))
    teams = night.manifest.get("teams", {}).get("teams", [])
    cities = sorted({t["sigungu_code"] for t in teams if t.get("sigungu_code")})
    return render(
        request,
        "ranked.html",
        user,
        night=night,
        rows=rows,
        total=total,
        pages=pages,
        asked=asked,
        teams=teams,
        cities=cities,
        reasons=catalog_reasons(),
        spare=night.manifest.get("spare_capacity"),
    )


def capacity_page(request: Request) -> Response:
    """Spare capacity per city and team, so an office can move visits where the risk is."""
    user = require(request, "analyst")
    night = night_or_404(request)
    return render(
        request,
        "capacity.html",
        user,
        night=night,
        summary=night.manifest.get("spare_capacity"),
        cities=spare_by_city(night.manifest, city_names(request)),
    )


def city_names(request: Request) -> dict[str, str]:
    """sigungu_code → the city's name in the page's language, from teams.yml (none if the
    file cannot be read: the codes are shown instead)."""
    try:
        config = load_teams(web(request).settings.teams_file)
    except TeamsFileError:
        return {}
    english = lang(request) == "en"
    return {c.sigungu_code: c.name_en if english else c.name_ko for c in config.cities}


def household_page(request: Request) -> Response:
    user = require(request, "analyst", "team")
    key = request.path_params["key"]
    if not key or set(key) - KEY_CHARS:
        raise HTTPException(status_code=404)
    night = night_or_404(request)
    nights = web(request).nights
    path = night.file("web/households.parquet")
    if not path.is_file():
        path = night.file("ranked.parquet")
    found = nights.query("household", {"path": str(path), "key": key})
    if not found:
        raise HTTPException(status_code=404)
    row = found[0]
    if user.role == "team" and row["emd_code"] != user.emd_code:
        log(request, user, "denied", f"household {key}", night.night)
        raise HTTPException(status_code=404)
    log(request, user, "household_view", key, night.night)
    if "reasons_ko" not in row:  # web/households.parquet leaves the reason lists out
        found = nights.query(
            "household_reasons", {"path": str(night.file("ranked.parquet")), "key": key}
        )
        row |= found[0] if found else {}  # none: the page says there are no reasons
    history = nights.history_files("web/households.parquet")
    return render(
        request,
        "household.html",
        user,
        night=night,
        row=row,
        contact=team_contacts(request, user, night, [key]).get(key),
        features=feature_rows(row),
        history=nights.query("household_history", {"files": history, "key": key})
        if history
        else [],
        outcomes=outcomes_of(request, night, key),
    )


def feature_rows(row: dict) -> list[dict]:
    """The household's features with their catalog name, description and unit, catalog order."""
    return [
        {"name": f.name, "ko": f.ko, "en": f.en, "unit": f.unit, "value": row[f.name]}
        for f in catalog_features().values()
        if f.name in row
    ]


def outcomes_of(request: Request, night, key: str) -> list[dict]:
    path = night.file("web/outcomes.parquet")
    if not path.is_file():
        return []
    return web(request).nights.query("household_outcomes", {"outcomes": str(path), "key": key})


ROUTES = [
    Route("/list", ranked_list),
    Route("/capacity", capacity_page),
    Route("/households/{key}", household_page),
]
