"""The ranked-list query: filters, the three sorts and paging give the list a reader expects."""

from __future__ import annotations

import polars as pl
import pytest
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException

from web.listing import PAGE_SIZE, Listing, listing, ranked_page, team_start
from web.nights import Nights

TEAMS = ("4817051000", "4817052000", "4119051000")


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """130 households in three teams, written as publish writes ranked.parquet."""
    n = 130
    frame = pl.DataFrame(
        {
            "household_key": [f"{i:032x}" for i in range(n)],
            "emd_code": [TEAMS[(i * 7) % 3] for i in range(n)],
            "sigungu_code": [TEAMS[(i * 7) % 3][:5] for i in range(n)],
            "score": [1 - i / n for i in range(n)],
            "tier": [20 - i * 20 // n for i in range(n)],
            "rank": list(range(1, n + 1)),
            "reasons": [["power_cutoff_12m"] if i % 4 == 0 else [] for i in range(n)],
            "reasons_ko": [[] for _ in range(n)],
            "reasons_en": [[] for _ in range(n)],
            "excluded_reason": ["benefit_active" if i % 10 == 3 else None for i in range(n)],
            "assigned": [i % 3 == 0 for i in range(n)],
            "exploration": [i % 9 == 0 for i in range(n)],
            "new_since_last_run": [i % 6 == 0 for i in range(n)],
        }
    ).with_columns(pl.col("rank").rank("ordinal").over("emd_code").alias("team_rank"))
    path = tmp_path_factory.mktemp("listing") / "ranked.parquet"
    frame.write_parquet(path)
    return frame, str(path), Nights(path.parent)


def every_page(nights, path, asked: Listing) -> tuple[list[int], int]:
    ranks, page = [], 1
    while True:
        rows, total = ranked_page(nights, path, Listing(**{**asked.__dict__, "page": page}))
        ranks += [row["rank"] for row in rows]
        if len(rows) < PAGE_SIZE:
            return ranks, total
        page += 1


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("rank", [("rank", False)]),
        ("rank_desc", [("rank", True)]),
        ("team", [("emd_code", False), ("team_rank", False)]),
    ],
)
def test_pages_join_up_to_the_sorted_list(ranked, sort, order):
    frame, path, nights = ranked
    expected = frame.sort([c for c, _ in order], descending=[d for _, d in order])["rank"]
    ranks, total = every_page(nights, path, Listing(sort=sort))
    assert ranks == expected.to_list() and total == frame.height == 130


def test_filters_keep_exactly_the_matching_households(ranked):
    frame, path, nights = ranked
    asked = Listing(sigungu="48170", tier=5, reason="power_cutoff_12m", status="all", sort="team")
    expected = frame.filter(
        (pl.col("sigungu_code") == "48170")
        & (pl.col("tier") >= 5)
        & pl.col("reasons").list.contains("power_cutoff_12m")
    ).sort(["emd_code", "team_rank"])
    ranks, total = every_page(nights, path, asked)
    assert ranks == expected["rank"].to_list() and total == expected.height > 0
    assigned, _ = every_page(nights, path, Listing(status="assigned", new_only=True))
    assert (
        assigned
        == frame.filter(pl.col("assigned") & pl.col("new_since_last_run"))["rank"].to_list()
    )
    excluded, _ = every_page(nights, path, Listing(status="excluded", exploration_only=True))
    assert (
        excluded
        == frame.filter(pl.col("excluded_reason").is_not_null() & pl.col("exploration"))[
            "rank"
        ].to_list()
        == [64]
    )


def test_a_page_past_the_end_is_empty(ranked):
    _, path, nights = ranked
    assert ranked_page(nights, path, Listing(page=99)) == ([], 130)


def test_team_start_finds_the_teams_a_page_spans():
    counts = [
        {"emd_code": "a", "households": 30},
        {"emd_code": "b", "households": 40},
        {"emd_code": "c", "households": 100},
    ]
    assert team_start(counts, 0, 50) == {"emd_from": "a", "offset": 0, "emd_to": "b"}
    assert team_start(counts, 50, 50) == {"emd_from": "b", "offset": 20, "emd_to": "c"}
    assert team_start(counts, 150, 50) == {"emd_from": "c", "offset": 80, "emd_to": None}
    assert team_start(counts, 500, 50) == {"emd_from": None, "offset": 500}


def test_query_strings_are_checked_and_round_trip():
    asked = listing(QueryParams("city=48170&tier=15&new=1&sort=team&page=3"), {"x"})
    assert asked == Listing(sigungu="48170", tier=15, new_only=True, sort="team", page=3)
    assert listing(QueryParams(asked.query()), {"x"}) == asked
    assert asked.query(page=1) == "city=48170&tier=15&new=1&sort=team"
    for bad in (
        "tier=0",
        "tier=abc",
        "page=-1",
        "city=4817",
        "sort=household_key",
        "status=open",
        "reason=y",
        "team=a'b",
    ):
        with pytest.raises(HTTPException) as caught:
            listing(QueryParams(bad), {"x"})
        assert caught.value.status_code == 400 and bad.split("=")[0] in caught.value.detail


def test_a_query_that_finds_no_file_is_tried_once_more(ranked, monkeypatch):
    import duckdb

    frame, path, nights = ranked
    calls = []
    real = nights._rows

    def flaky(text, values):
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.IOException("No files found that match the pattern")
        return real(text, values)

    monkeypatch.setattr(nights, "_rows", flaky)
    assert nights.query("ranked_count", Listing().params(path))[0]["total"] == frame.height
    assert len(calls) == 2
