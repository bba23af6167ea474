"""The ranked-list page's query string: checked filters, sort and page → SQL parameters."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException

PAGE_SIZE = 50
MAX_PAGE = 100_000
SORTS = ("rank", "rank_desc", "team")
STATUSES = ("all", "assigned", "excluded")
SIGUNGU = re.compile(r"^\d{5}$")
EMD = re.compile(r"^[0-9A-Za-z_-]{1,20}$")


@dataclass(frozen=True)
class Listing:
    """What the analyst asked the ranked list for (None: no filter)."""

    sigungu: str | None = None
    emd: str | None = None
    tier: int | None = None
    reason: str | None = None
    new_only: bool = False
    exploration_only: bool = False
    status: str = "all"
    sort: str = "rank"
    page: int = 1

    def params(self, ranked: str) -> dict:
        """Parameters of sql/web/ranked_page.sql."""
        values = asdict(self)
        page = values.pop("page")
        return values | {"ranked": ranked, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}

    def query(self, **changes) -> str:
        """The query string of this listing with `changes` (defaults left out)."""
        values = asdict(self) | changes
        shown = {
            "city": values["sigungu"],
            "team": values["emd"],
            "tier": values["tier"],
            "reason": values["reason"],
            "new": "1" if values["new_only"] else None,
            "exploration": "1" if values["exploration_only"] else None,
            "status": None if values["status"] == "all" else values["status"],
            "sort": None if values["sort"] == "rank" else values["sort"],
            "page": None if values["page"] == 1 else values["page"],
        }
        return urlencode({k: v for k, v in shown.items() if v not in (None, "")})


def bad(name: str, expected: str, got: str) -> HTTPException:
    return HTTPException(status_code=400, detail=f"{name}: expected {expected}, got {got!r}")


def listing(query: QueryParams, reasons: set[str]) -> Listing:
    """The Listing of a query string; 400 naming the parameter and what was expected."""
    city, team = query.get("city") or None, query.get("team") or None
    if city and not SIGUNGU.match(city):
        raise bad("city", "a 5-digit sigungu_code", city)
    if team and not EMD.match(team):
        raise bad("team", "an emd_code", team)
    reason = query.get("reason") or None
    if reason and reason not in reasons:
        raise bad("reason", "a reason code of the feature catalog", reason)
    status, sort = query.get("status") or "all", query.get("sort") or "rank"
    if status not in STATUSES:
        raise bad("status", " or ".join(STATUSES), status)
    if sort not in SORTS:
        raise bad("sort", " or ".join(SORTS), sort)
    return Listing(
        city,
        team,
        number(query.get("tier"), "tier", 1, 20),
        reason,
        query.get("new") == "1",
        query.get("exploration") == "1",
        status,
        sort,
        number(query.get("page"), "page", 1, MAX_PAGE) or 1,
    )


def number(text: str | None, name: str, low: int, high: int) -> int | None:
    """An integer in [low, high] from the query string, None if absent; else 400."""
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise bad(name, f"a whole number {low}–{high}", text)
    return int(text)
