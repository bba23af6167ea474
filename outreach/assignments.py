"""Assignments: each night fills each team's free capacity with its best eligible households.

An assignment stays `open` until a result comes back (`closed`), 14 days pass without one
(`expired`, the household returns to the pool) or the registry says the household died or moved
(`closed` with that outcome). Re-running the newest night D first removes the assignments made
on D and reopens what was closed after D, so the same night gives the same list. A night earlier
than the newest reads the assignments as they stood that night (`as_they_stood`) and writes none:
a later night's assignments are never deleted or changed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date

import duckdb
import polars as pl

from features.build import latest_registry_date
from outreach.teams import Team
from sagak.warehouse import sql_text

EXPIRY_DAYS = 14
REGISTRY_CLOSES = ("deceased", "moved_out")


def outreach_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create `assignments`, `visit_results`, `sheet_log` (and an empty `visits`) if missing;
    an `assignments` made before issue 21 has its `assigned` renamed `assigned_on`, once."""
    columns = con.execute(sql_text("outreach/table_columns.sql"), {"table": "assignments"})
    if ("assigned",) in columns.fetchall():
        con.execute(sql_text("outreach/assignments_assigned_on.sql"))
    con.execute(sql_text("outreach/outreach_tables.sql"))


def later_assignments(con: duckdb.DuckDBPyConnection, as_of: date) -> date | None:
    """The newest night after as_of that made assignments, if any."""
    found = con.execute(sql_text("outreach/later_assignments.sql"), {"as_of": as_of}).fetchall()
    return found[0][0]


@contextmanager
def as_they_stood(con: duckdb.DuckDBPyConnection, as_of: date) -> Iterator[None]:
    """For an earlier night: a temp table `assignments`, which DuckDB reads before the
    warehouse's own, holding the assignments as they stood that night; dropped on exit (in an
    aborted transaction, by its rollback)."""
    query = sql_text("outreach/assignments_at_night.sql")
    con.execute(f"create temp table assignments as {query}", {"as_of": as_of})
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            con.execute("drop table if exists temp.main.assignments")
        raise
    con.execute("drop table temp.main.assignments")


def rewind_assignments(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Forget what the newest night as_of did: its picks go, its closings reopen; refused when
    a later night made assignments (they are never deleted)."""
    later = later_assignments(con, as_of)
    if later is not None:
        raise ValueError(f"cannot rewind {as_of}: night {later} made assignments after it")
    con.execute(sql_text("outreach/assignments_rewind.sql"), {"as_of": as_of})
    con.execute(sql_text("outreach/assignments_reopen.sql"), {"as_of": as_of})


def close_assignments(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Close open assignments that have a result by as_of; expire those 14 days old."""
    con.execute(sql_text("outreach/assignments_close.sql"), {"as_of": as_of})
    con.execute(sql_text("outreach/assignments_expire.sql"), {"as_of": as_of, "days": EXPIRY_DAYS})


def exclusions(con: duckdb.DuckDBPyConnection, as_of: date) -> pl.DataFrame:
    """`household_key, excluded_reason` (NULL when eligible) for every scored household."""
    params = {"as_of": as_of, "registry_date": latest_registry_date(con, as_of)}
    return con.sql(sql_text("outreach/exclusions.sql"), params=params).pl()


def close_gone(con: duckdb.DuckDBPyConnection, as_of: date, excluded: pl.DataFrame) -> None:
    """Close open assignments of households that died, moved away or left the scores."""
    gone = excluded.filter(pl.col("excluded_reason").is_in(REGISTRY_CLOSES))
    con.register("gone_frame", gone.to_arrow())
    con.execute(sql_text("outreach/assignments_close_gone.sql"), {"as_of": as_of})
    con.unregister("gone_frame")


def open_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """emd_code → open assignments."""
    return dict(con.sql(sql_text("outreach/open_assignment_counts.sql")).fetchall())


def exploration_seed(as_of: date, emd_code: str) -> int:
    """A seed from the night and the team: the same night draws the same households."""
    return int(hashlib.sha256(f"{as_of.isoformat()}:{emd_code}".encode()).hexdigest()[:16], 16)


def team_picks(
    eligible: list[str],
    free: int,
    share: float,
    as_of: date,
    emd_code: str,
    above_floor: set[str] | None = None,
) -> list[tuple[str, bool]]:
    """(household_key, exploration) for one team: the top picks, then a random share drawn
    from the eligible households below them. `eligible` is in priority order; `above_floor`:
    the households at or above the team's risk floor, the only ones that may be top picks
    (None: all). The random share, round(free × share), is drawn from every eligible household
    outside the team's first `free` at or above the floor, whatever its tier."""
    if free <= 0 or not eligible:
        return []
    line = [key for key in eligible if above_floor is None or key in above_floor][:free]
    taken = set(line)
    pool = [key for key in eligible if key not in taken]
    explore = min(round(free * share), len(pool))
    top = line[: free - explore]
    drawn = random.Random(exploration_seed(as_of, emd_code)).sample(pool, explore)
    return [(key, False) for key in top] + [(key, True) for key in drawn]


def at_floor(team: Team) -> pl.Expr:
    """Whether a household may be one of the team's top picks: a tier at or above its risk
    floor, or no tier at all (the baseline scorer has none: the floor does not apply)."""
    return pl.col("tier").is_null() | (pl.col("tier") >= team.risk_floor)


def picks(
    ranked_list: pl.DataFrame, teams: list[Team], busy: dict[str, int], share: float, as_of: date
) -> pl.DataFrame:
    """Tonight's new assignments: `household_key, emd_code, team_rank, exploration`."""
    eligible = ranked_list.filter(pl.col("excluded_reason").is_null()).sort(
        ["team_rank", "household_key"]
    )
    by_team = {
        code: frame for (code,), frame in eligible.partition_by("emd_code", as_dict=True).items()
    }
    rows = []
    for team in teams:
        frame = by_team.get(team.emd_code)
        if frame is None:
            continue
        keys = frame["household_key"].to_list()
        above = set(frame.filter(at_floor(team))["household_key"])
        free = team.capacity - busy.get(team.emd_code, 0)
        chosen = team_picks(keys, free, share, as_of, team.emd_code, above)
        rows += [(key, team.emd_code, explored) for key, explored in chosen]
    chosen = pl.DataFrame(
        rows,
        schema={"household_key": pl.String, "emd_code": pl.String, "exploration": pl.Boolean},
        orient="row",
    )
    return chosen.join(ranked_list.select("household_key", "team_rank"), on="household_key")


def spare_capacity(
    teams: list[Team], ranked_list: pl.DataFrame, open_now: pl.DataFrame, as_of: date
) -> pl.DataFrame:
    """Per team: `emd_code, sigungu_code, capacity, risk_floor`, `free` (capacity minus the
    assignments open from before tonight), `picked` (tonight's), `spare` (free − picked: the
    visits the floor, or a want of eligible households, left unused), `below_floor` and
    `waiting` (eligible households not picked, below and at or above the team's floor)."""
    counts = ("busy", "picked", "below_floor", "waiting")
    rows = [(team.emd_code, team.sigungu_code, team.capacity, team.risk_floor) for team in teams]
    frame = pl.DataFrame(
        rows,
        schema={
            "emd_code": pl.String,
            "sigungu_code": pl.String,
            "capacity": pl.Int64,
            "risk_floor": pl.Int64,
        },
        orient="row",
    )
    made = open_now.group_by("emd_code").agg(
        (pl.col("assigned_on") < as_of).sum().alias("busy"),
        (pl.col("assigned_on") == as_of).sum().alias("picked"),
    )
    tier, floor = pl.col("tier"), pl.col("risk_floor")
    unpicked = (
        ranked_list.filter(pl.col("excluded_reason").is_null() & ~pl.col("assigned"))
        .join(frame.select("emd_code", "risk_floor"), on="emd_code")
        .group_by("emd_code")
        .agg(
            (tier < floor).fill_null(False).sum().alias("below_floor"),
            (tier >= floor).fill_null(True).sum().alias("waiting"),
        )
    )
    return (
        frame.join(made, on="emd_code", how="left")
        .join(unpicked, on="emd_code", how="left")
        .with_columns(pl.col(name).fill_null(0).cast(pl.Int64) for name in counts)
        .with_columns(free=(pl.col("capacity") - pl.col("busy")).clip(lower_bound=0))
        .with_columns(spare=pl.col("free") - pl.col("picked"))
        .select(
            "emd_code",
            "sigungu_code",
            "capacity",
            "risk_floor",
            "free",
            "picked",
            "spare",
            "below_floor",
            "waiting",
        )
    )


def store_picks(con: duckdb.DuckDBPyConnection, as_of: date, chosen: pl.DataFrame) -> None:
    """Insert tonight's picks as open assignments."""
    con.register("picks_frame", chosen.to_arrow())
    con.execute(sql_text("outreach/assignments_insert.sql"), {"as_of": as_of})
    con.unregister("picks_frame")


def open_assignments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """`household_key, emd_code, assigned_on, exploration` of every open assignment."""
    return con.sql(sql_text("outreach/open_assignments.sql")).pl()
