"""The legacy outreach history: two-monthly rounds picked by fixed rules, outcomes from the truth.

Each round starts on the first weekday of every second world month (from the third month on)
and its results are handed back on the last weekday of the following month
(`feedback/visits_<that day>.csv`). The legacy rules see only what had been delivered by the
round start: three or more months of health-insurance arrears at the latest delivered month,
any cut-off in the last three delivered months, arrears in three or more feeds at once,
a referral delivered in the last 61 days, plus a small random exploration share. Households
on the basic livelihood benefit, known dead or visited in the previous round are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from synth.crisis import Crisis
from synth.households import Chunk
from synth.schedule import Schedule, add_months, next_weekday

RANDOM_P = 0.004
VISIT_COLUMNS = ("household_no", "emd_code", "round_start", "assigned_date", "visit_date",
                 "outcome", "services", "selected_by", "exploration")  # fmt: skip
SERVICES = {
    1: ["emergency", "livelihood", "case_management", "counselling", "food"],
    2: ["medical", "health", "emergency", "case_management", "volunteer"],
    3: ["counselling", "case_management", "emergency", "food", "near_poor"],
    4: ["counselling", "volunteer", "food", "health"],
    5: ["food", "cleaning", "repairs", "volunteer", "health", "case_management"],
}
BENEFIT_PROGRAMS = {"livelihood", "medical", "housing", "emergency", "near_poor", "education"}


@dataclass(frozen=True)
class Round:
    """One outreach round: its first world month, start day and hand-back day."""

    month: int
    start: date
    end: date

    @property
    def file(self) -> str:
        return f"visits_{self.end:%Y%m%d}.csv"


def rounds(plan: Schedule) -> list[Round]:
    """Every round that ends within the world."""
    found = []
    for k in range(2, len(plan.months) - 1, 2):
        last = add_months(plan.months[k], 2) - timedelta(days=1)
        while last.weekday() >= 5:
            last -= timedelta(days=1)
        found.append(Round(k, next_weekday(plan.months[k]), last))
    return found


def _latest(plan: Schedule, feed: str, day: date) -> list[int]:
    """Data months of a feed delivered on or before `day`, newest first."""
    return [i for i, d in reversed(list(enumerate(plan.monthly[feed]))) if d and d.day <= day]


def rule_flags(plan: Schedule, sig: dict, r: Round) -> dict[str, np.ndarray]:
    """Each legacy rule's selection, from the data delivered by the round start."""
    n = sig["stress"].shape[0]
    nhis = _latest(plan, "nhis", r.start)
    cut = np.zeros(n, bool)
    for feed in ("kepco", "water", "gas"):
        known = _latest(plan, feed, r.start)
        for j in known[:3] if known else []:
            cut |= sig[f"{feed}_cutoff"][:, j]
    count = np.zeros(n, np.int64)
    for feed in ("kepco", "water", "gas", "telecom", "housing", "nhis", "nps", "credit"):
        known = _latest(plan, feed, r.start)
        if known:
            count += sig[f"{feed}_arrears"][:, known[0]] >= 2
    return {
        "rule:cutoff": cut,
        "rule:nhis_arrears_3m": sig["nhis_arrears"][:, nhis[0]] >= 3 if nhis else np.zeros(n, bool),
        "rule:multi_arrears": count >= 3,
    }


def legacy_visits(
    rng: np.random.Generator,
    c: Chunk,
    cr: Crisis,
    sig: dict,
    referrals: pl.DataFrame,
    spells: pl.DataFrame,
    plan: Schedule,
) -> pl.DataFrame:
    """Every legacy visit of the chunk with its outcome (`hh`, `round_end` and VISIT_COLUMNS)."""
    frames, visited_before = [], np.zeros(c.n, bool)
    for r in rounds(plan):
        known = r.month - 2
        flags = rule_flags(plan, sig, r)
        recent = referrals.filter(
            (pl.col("delivery") <= r.start) & (pl.col("day") >= r.start - timedelta(days=61))
        )
        referred = np.zeros(c.n, bool)
        referred[recent["hh"].to_numpy()] = True
        on_livelihood = np.zeros(c.n, bool)
        running = spells.filter(
            (pl.col("program") == "livelihood")
            & (pl.col("start") < r.start)
            & (pl.col("end").is_null() | (pl.col("end") > r.start))
        )
        on_livelihood[running["hh"].to_numpy()] = True
        eligible = (c.out_month > known) & (c.head_death > known) & ~on_livelihood & ~visited_before
        chosen = np.full(c.n, "", dtype=object)
        for name, mask in reversed([("referral", referred), *flags.items()]):
            chosen[eligible & mask] = name
        explore = eligible & (chosen == "") & (rng.random(c.n) < RANDOM_P)
        chosen[explore] = "random"
        hh = np.flatnonzero(chosen != "")
        frames.append(_outcomes(rng, c, cr, r, hh, chosen[hh].astype(str)))
        visited_before = np.zeros(c.n, bool)
        visited_before[hh] = True
    return pl.concat(frames) if frames else pl.DataFrame()


def _outcomes(
    rng: np.random.Generator, c: Chunk, cr: Crisis, r: Round, hh: np.ndarray, chosen: np.ndarray
) -> pl.DataFrame:
    """Visit dates and outcomes from the truth at the visit month."""
    n = len(hh)
    start = np.datetime64(r.start)
    assigned = np.busday_offset(
        start + rng.integers(2, 10, n).astype("timedelta64[D]"), 0, roll="forward"
    )
    latest = (np.datetime64(r.end) - assigned).astype(np.int64)
    visit = assigned + (rng.random(n) * latest).astype("timedelta64[D]")
    vm = r.month + (visit.astype("datetime64[M]") > start.astype("datetime64[M]")).astype(np.int64)
    old_alone = (c.old & c.alone)[hh]
    u = rng.random(n)
    unreachable = u < np.where(old_alone, 0.12, 0.07)
    refused = ~unreachable & (u < np.where(old_alone, 0.12, 0.07) + 0.04)
    outcome = np.select(
        [c.out_month[hh] <= vm, c.head_death[hh] <= vm, unreachable, refused, cr.in_crisis[hh, vm]],
        ["moved", "deceased", "unreachable", "refused", "confirmed_crisis"],
        "not_in_need",
    )
    emd = np.where(c.move_month[hh] < r.month, c.team_after[hh], c.team[hh])
    return pl.DataFrame({
        "hh": hh.astype(np.int64), "team": emd.astype(np.int64), "round_end": r.end,
        "household_no": c.household_no[hh], "round_start": r.start.isoformat(),
        "assigned_date": pl.Series(assigned).cast(pl.Date).dt.to_string("%Y-%m-%d"),
        "visit_day": pl.Series(np.where(outcome == "unreachable", np.datetime64("NaT"), visit)).cast(pl.Date),
        "outcome": outcome, "services": _services(rng, outcome, cr.cause[hh, vm]),
        "selected_by": chosen, "exploration": np.where(chosen == "random", "Y", "N"),
    })  # fmt: skip


def _services(rng: np.random.Generator, outcome: np.ndarray, cause: np.ndarray) -> list[str]:
    """';'-separated services linked for confirmed crises (1–3 from the cause's list)."""
    out = [""] * len(outcome)
    for i in np.flatnonzero(outcome == "confirmed_crisis"):
        options = SERVICES[int(cause[i])]
        k = int(rng.integers(1, 4))
        out[i] = ";".join(sorted(rng.choice(options, size=min(k, len(options)), replace=False)))
    return out


def service_spells(rng: np.random.Generator, visits: pl.DataFrame) -> pl.DataFrame:
    """Benefit spells started by confirmed visits: `hh, program, start, end`."""
    linked = (
        visits.filter(pl.col("services") != "")
        .select("hh", "visit_day", pl.col("services").str.split(";").alias("program"))
        .explode("program")
        .filter(pl.col("program").is_in(sorted(BENEFIT_PROGRAMS)))
    )
    n = linked.height
    start = linked["visit_day"].to_numpy().astype("datetime64[D]") + rng.integers(7, 31, n).astype(
        "timedelta64[D]"
    )
    months = np.where(
        linked["program"].to_numpy() == "emergency", rng.integers(3, 7, n), rng.integers(12, 60, n)
    )
    end = start + (months * 30).astype("timedelta64[D]")
    return pl.DataFrame({
        "hh": linked["hh"], "program": linked["program"],
        "start": pl.Series(start).cast(pl.Date), "end": pl.Series(end).cast(pl.Date),
    })  # fmt: skip
