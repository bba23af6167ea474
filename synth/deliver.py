"""Write one chunk of the world into every delivery, the feedback files and the truth tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from synth import events, feeds, snapshots
from synth.crisis import CAUSES, Crisis
from synth.households import TYPE_NAMES, Chunk
from synth.mess import MessLog, inject_rows
from synth.outreach_history import VISIT_COLUMNS, rounds
from synth.regions import teams
from synth.schedule import MONTHLY, Delivery, Schedule
from synth.writers import Sink

CORRECTED_EXTRA_MESS = 0.02  # a delivery that gets a _v2 had more wrong in its first version


@dataclass
class Outputs:
    """Where a world goes: inbox, feedback and truth sinks, the schedule and the mess log."""

    plan: Schedule
    inbox: Sink
    feedback: Sink
    truth: Sink
    log: MessLog

    @property
    def yms(self) -> list[str]:
        return [f"{m:%Y%m}" for m in self.plan.months]


def deliver(rng: np.random.Generator, out: Outputs, d: Delivery, frame: pl.DataFrame) -> None:
    """Write a delivery's rows with row mess; a corrected delivery also gets a clean `_v2`."""
    rel = d.name()
    rate = out.log.rate + (CORRECTED_EXTRA_MESS if d.corrected else 0.0)
    messy = inject_rows(rng, d.feed, frame, rate, out.log, rel)
    _write(out, d, rel, messy)
    if d.corrected:
        _write(out, d, d.name(2), frame)


def _write(out: Outputs, d: Delivery, rel: str, frame: pl.DataFrame) -> None:
    """Append to the file in its format and encoding."""
    if d.feed == "nhis":
        out.inbox.table(rel, frame, feeds.NHIS_SCHEMA)
    elif d.feed == "nps":
        out.inbox.table(rel, frame, feeds.NPS_SCHEMA)
    elif d.feed in ("housing", "employment"):
        out.inbox.jsonl(rel, feeds.jsonl_lines(frame), d.encoding or "utf-8")
    else:
        out.inbox.csv(rel, frame, d.encoding or "utf-8")


def write_monthly(
    rng: np.random.Generator, out: Outputs, c: Chunk, cr: Crisis, sig: dict, head_rrn: np.ndarray
) -> None:
    """Every monthly feed's delivered months."""
    for feed in MONTHLY:
        for m, d in enumerate(out.plan.monthly[feed]):
            if d is None:
                continue
            rows = feeds.monthly_rows(feed, c, sig, cr.present[:, m], m)
            frame = feeds.monthly_frame(feed, c, sig, head_rrn, out.yms[m], m, rows)
            deliver(rng, out, d, feeds.missing_values(rng, feed, frame))


def write_snapshots(rng: np.random.Generator, out: Outputs, c: Chunk, spells: pl.DataFrame) -> None:
    """Registry and benefits snapshots of every world month."""
    base = snapshots.registry_base(rng, c, out.plan.start, out.plan.months)
    for i, (reg, ben) in enumerate(
        zip(out.plan.snapshots["registry"], out.plan.snapshots["benefits"], strict=True)
    ):
        deliver(rng, out, reg, snapshots.registry_snapshot(base, i - 1))
        deliver(rng, out, ben, snapshots.benefits_snapshot(spells, c, out.plan.months[i], i - 1))


def write_daily(rng: np.random.Generator, out: Outputs, feed: str, frame: pl.DataFrame) -> None:
    """One file per weekday with events reported, within the world."""
    days = out.plan.daily[feed]
    frame = frame.filter(pl.col("delivery").is_in(sorted(days)))
    for (day,), part in sorted(
        frame.partition_by("delivery", as_dict=True, maintain_order=True).items()
    ):
        deliver(rng, out, days[day], part.drop("delivery"))


def write_visits(out: Outputs, visits: pl.DataFrame) -> None:
    """Append the chunk's visits to each round's feedback file (every round file gets a header)."""
    codes = np.array([t.emd_code for t in teams()])
    for r in rounds(out.plan):
        part = visits.filter(pl.col("round_end") == r.end) if visits.height else visits
        if part.height:
            part = part.with_columns(
                emd_code=pl.Series(codes[part["team"].to_numpy()]),
                visit_date=pl.col("visit_day").dt.to_string("%Y-%m-%d").fill_null(""),
            ).select(VISIT_COLUMNS)
        else:
            part = pl.DataFrame(schema=dict.fromkeys(VISIT_COLUMNS, pl.String))
        out.feedback.csv(r.file, part, "utf-8")


def write_truth(out: Outputs, c: Chunk, cr: Crisis) -> None:
    """The latent state: households, persons, household-months."""
    codes = np.array([t.emd_code for t in teams()])
    ym = np.array([*out.yms, None], dtype=object)
    months = len(out.yms)
    out.truth.table("households.parquet", pl.DataFrame({
        "household_no": c.household_no, "sigungu_code": codes[c.team].astype("U5"),
        "emd_code": codes[c.team], "emd_code_final": codes[c.team_after],
        "type": np.array(TYPE_NAMES)[c.htype], "members": c.members.astype(np.int16),
        "head_age": c.head_age.astype(np.int16), "living_alone": c.alone, "older": c.old,
        "any_disabled": c.disabled, "low_income": c.low_income, "late_payer": c.late_payer,
        "has_gas": c.has_gas, "apartment": c.apartment, "public_rent": c.public_rent,
        "employed_head": c.employed, "moved_ym": _text(ym[np.minimum(c.move_month, months)]),
        "moved_out_ym": _text(ym[c.out_month]), "head_died_ym": _text(ym[c.head_death]), "spouse_died_ym": _text(ym[c.spouse_death]),
    }))  # fmt: skip
    p = c.persons
    out.truth.table("persons.parquet", p.select(
        "rrn", pl.Series(c.household_no[p["hh"].to_numpy()]).alias("household_no"), "relation",
        pl.col("birth").alias("birth_date"), pl.when("male").then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        "disabled", _text(ym[p["death_month"].to_numpy()]).alias("died_ym"),
    ))  # fmt: skip
    hh, m = np.divmod(np.arange(c.n * months), months)
    cause = np.array([None, *CAUSES[1:]], dtype=object)[cr.cause.ravel()]
    out.truth.table("household_months.parquet", pl.DataFrame({
        "household_no": c.household_no[hh], "ym": np.array(out.yms)[m],
        "present": cr.present.ravel(), "in_crisis": cr.in_crisis.ravel(),
        "cause": _text(cause), "onset": cr.onset.ravel(),
        "months_in_crisis": cr.since.ravel(), "trail": cr.trail.ravel().astype(np.float32),
    }))  # fmt: skip


def daily_frames(
    rng: np.random.Generator, c: Chunk, cr: Crisis, sig: dict, plan: Schedule, head_rrn: np.ndarray
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Employment and referral events with their delivery days, as rows of their files."""
    jobs = events.employment_events(rng, c, cr, plan.months)
    jobs = jobs.with_columns(snapshots.delivery_days(rng, jobs["day"], 4))
    refs = events.referral_events(rng, c, cr, sig["stress"], plan.months)
    refs = refs.with_columns(snapshots.delivery_days(rng, refs["day"], 2))
    return jobs, refs


def _text(values: np.ndarray) -> pl.Series:
    """An object array of strings and Nones as a String series."""
    return pl.Series(values.tolist(), dtype=pl.String)
