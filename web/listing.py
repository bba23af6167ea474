"""The ranked-list page's query string: checked filters, sort and page → SQL parameters."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException

from web.nights import Nights

PAGE_SIZE = 50
MAX_PAGE = 100_000
SORTS = ("rank", "rank_desc", "team")
STATUSES = ("all", "assigned", "excluded")
SIGUNGU = re.compile(r"^\d{5}$")
EMD = re.compile(r"^[0-9A-Za-z_-]{1,20}$")
WHOLE = re.compile(r"[0-9]{1,18}")  # ASCII digits only: '²'.isdigit() and int('٣') == 3


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

    def unfiltered(self) -> bool:
        """Whether every household of the night is listed (no filter set)."""
        return self == Listing(sort=self.sort, page=self.page)

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


def ranked_page(nights: Nights, ranked: str, asked: Listing) -> tuple[list[dict], int]:
    """One page of the ranked list and the number of households the filters keep.

    Two steps keep a deep page fast at 1M households: the ranks of the page are found reading
    only the sort and filter columns, then just those rows are read whole.
    """
    params = asked.params(ranked) | {"emd_from": None, "emd_to": None}
    total = nights.query("ranked_count", params)[0]["total"]
    if asked.sort == "team":
        params |= team_start(nights.query("ranked_team_counts", params), params["offset"])
    if asked.sort != "team" and asked.unfiltered():
        ranks = unfiltered_ranks(total, params["offset"], asked.sort == "rank_desc")
    else:
        ranks = [row["rank"] for row in nights.query("ranked_keys", params)]
    if not ranks:
        return [], total
    rows = {
        row["rank"]: row for row in nights.query("ranked_rows", {"ranked": ranked, "ranks": ranks})
    }
    return [rows[rank] for rank in ranks if rank in rows], total


def unfiltered_ranks(total: int, offset: int, descending: bool) -> list[int]:
    """The ranks of a page of the whole list: ranks are 1..total (publish's contract), so a
    deep page needs no sort at all."""
    ranks = range(offset + 1, min(offset + PAGE_SIZE, total) + 1)
    return [total + 1 - r for r in ranks] if descending else list(ranks)


def team_start(counts: list[dict], offset: int, limit: int = PAGE_SIZE) -> dict:
    """The teams a team-sorted page spans (from per-team counts) and the offset in the first."""
    before, first = 0, None
    for row in counts:
        if first is None and offset < before + row["households"]:
            first = {"emd_from": row["emd_code"], "offset": offset - before}
        before += row["households"]
        if first is not None and offset + limit <= before:
            return first | {"emd_to": row["emd_code"]}
    return first | {"emd_to": None} if first else {"emd_from": None, "offset": offset}


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
    if not WHOLE.fullmatch(text) or not low <= int(text) <= high:
        raise bad(name, f"a whole number {low}–{high}", text[:40])
    return int(text)
