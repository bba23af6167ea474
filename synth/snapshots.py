"""Registry and benefits snapshots, and the daily employment and referral files, as frames.

A snapshot delivered early in world month i shows the state at the end of month i-1 (`state`
= i-1; -1 is the world's initial state). The deceased stay listed (deceased Y) for three
snapshots, then drop out; households that moved away drop out at once.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synth import names
from synth.households import Chunk
from synth.regions import city_of, teams

REGISTRY_COLUMNS = ("rrn", "household_no", "relation", "name", "birth_date", "sex", "disabled",
                    "phone", "address", "emd_code", "moved_in", "deceased")  # fmt: skip


def _team_text(team: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """emd_code, address prefix ('경상남도 진주시 칠암동') and rural flag per team index."""
    all_teams = teams()
    codes = np.array([t.emd_code for t in all_teams])
    prefix = np.array(
        [
            f"{city_of(t.sigungu_code).province_ko} {city_of(t.sigungu_code).name_ko} {t.name_ko}"
            for t in all_teams
        ]
    )
    rural = np.array([t.name_ko[-1] != "동" for t in all_teams])
    return codes[team], prefix[team], rural[team]


def registry_base(
    rng: np.random.Generator, c: Chunk, start: date, months: list[date]
) -> pl.DataFrame:
    """Every member with contact details before and after the household's move."""
    emd0, prefix0, rural0 = _team_text(c.team)
    emd1, prefix1, rural1 = _team_text(c.team_after)
    settled = np.datetime64(start) - rng.integers(30, 7300, c.n).astype("timedelta64[D]")
    move_first = np.array(months + [months[-1]], dtype="datetime64[D]")[
        np.minimum(c.move_month, len(months))
    ]
    moved_day = move_first + rng.integers(0, 28, c.n).astype("timedelta64[D]")
    homes = pl.DataFrame({
        "hh": np.arange(c.n), "household_no": c.household_no, "move_month": c.move_month,
        "out_month": c.out_month, "emd0": emd0, "emd1": emd1,
        "addr0": names.addresses(rng, prefix0, rural0, c.apartment),
        "addr1": names.addresses(rng, prefix1, rural1, c.apartment),
        "in0": pl.Series(settled).cast(pl.Date), "in1": pl.Series(moved_day).cast(pl.Date),
    })  # fmt: skip
    p = c.persons
    return p.select(
        "hh", "death_month",
        "rrn",
        "relation", "name",
        pl.col("birth").dt.to_string("%Y-%m-%d").alias("birth_date"),
        pl.when(pl.col("male")).then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        pl.when(pl.col("disabled")).then(pl.lit("Y")).otherwise(pl.lit("N")).alias("disabled"),
        "phone", "birth",
    ).join(homes, on="hh", how="left", maintain_order="left").with_columns(
        pl.max_horizontal("in0", "birth").dt.to_string("%Y-%m-%d").alias("in0"),
        pl.max_horizontal("in1", "birth").dt.to_string("%Y-%m-%d").alias("in1"),
    )  # fmt: skip


def registry_snapshot(base: pl.DataFrame, state: int) -> pl.DataFrame:
    """The registry rows at the end of month `state` (-1: the initial state)."""
    moved = pl.col("move_month") <= state
    return base.filter((pl.col("out_month") > state) & (pl.col("death_month") >= state - 2)).select(
        "rrn", "household_no", "relation", "name", "birth_date", "sex", "disabled", "phone",
        pl.when(moved).then("addr1").otherwise("addr0").alias("address"),
        pl.when(moved).then("emd1").otherwise("emd0").alias("emd_code"),
        pl.when(moved).then("in1").otherwise("in0").alias("moved_in"),
        pl.when(pl.col("death_month") <= state).then(pl.lit("Y")).otherwise(pl.lit("N")).alias("deceased"),
    )  # fmt: skip


def benefits_snapshot(spells: pl.DataFrame, c: Chunk, as_of: date, state: int) -> pl.DataFrame:
    """Benefit rows as of `as_of`: running spells, and ended ones for three months after the end."""
    present = pl.Series((c.out_month > state)[spells["hh"].to_numpy()])
    return (
        spells.filter(
            (pl.col("start") < as_of)
            & (pl.col("end").is_null() | (pl.col("end") >= pl.lit(as_of) - pl.duration(days=90)))
            & present
        )
        .sort("hh", "program", "start", maintain_order=True)
        .pipe(lambda f: f.with_columns(household_no=pl.Series(c.household_no[f["hh"].to_numpy()])))
        .select(
            "household_no",
            "program",
            pl.col("start").dt.to_string("%Y-%m-%d").alias("start_date"),
            pl.when(pl.col("end") < as_of)
            .then(pl.col("end").dt.to_string("%Y-%m-%d"))
            .otherwise(pl.lit(""))
            .alias("end_date"),
        )
    )


def delivery_days(rng: np.random.Generator, days: pl.Series, max_lag: int) -> pl.Series:
    """The weekday each event is reported: 0..max_lag days later, rolled forward to a weekday."""
    lag = rng.integers(0, max_lag + 1, len(days)).astype("timedelta64[D]")
    rolled = np.busday_offset(days.to_numpy().astype("datetime64[D]") + lag, 0, roll="forward")
    return pl.Series("delivery", rolled).cast(pl.Date)


def employment_frame(events: pl.DataFrame, rrn: np.ndarray) -> pl.DataFrame:
    """Employment rows as JSON tokens: rrn, event_date, event, industry (plus `delivery`)."""
    quote = lambda e: pl.concat_str(pl.lit('"'), e, pl.lit('"'))  # noqa: E731
    return events.with_columns(rrn=pl.Series(rrn[events["hh"].to_numpy()])).select(
        quote(pl.col("rrn")).alias("rrn"),
        quote(pl.col("day").dt.to_string("%Y-%m-%d")).alias("event_date"),
        quote(pl.col("event")).alias("event"),
        quote(pl.col("industry")).alias("industry"),
        "delivery",
    )


def referrals_frame(events: pl.DataFrame, household_no: np.ndarray) -> pl.DataFrame:
    """Referral rows: household_no, referral_date, source, concern (plus `delivery`)."""
    return events.with_columns(household_no=pl.Series(household_no[events["hh"].to_numpy()])).select(
        "household_no",
        pl.col("day").dt.to_string("%Y-%m-%d").alias("referral_date"),
        "source", "concern", "delivery",
    )  # fmt: skip
