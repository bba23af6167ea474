"""When each agency delivers what: the world's calendar and every scheduled delivery.

Conventions (FEEDS.md; agencies deliver on weekdays only):
- registry and benefits: a full snapshot early in every world month (the first weekday on or
  after the 2nd, resp. the 3rd, plus 0–2 days); it describes the state at the end of the
  previous month (the first one: the world's initial state).
- monthly feeds: data month m arrives on a weekday between the 5th and the 20th of month m+1;
  with mess, sometimes later (up to ~6 weeks) or not at all. Nothing is dated after the last
  day of `end`, so the world's last data month is never delivered.
- employment and referrals: one file per weekday that has events to report; an event is
  reported 0–4 (employment) or 0–2 (referrals) days after it happened, rolled forward to a
  weekday. With `--end 2026-10` the last night is Friday 2026-10-30 (the 31st is a Saturday).
- a delivery picked for correction (rate `mess`) is written twice under the same delivery
  date: the plain name carries extra row errors, `_v2` the clean rows.
- with mess, a file may come in the other encoding (CP949 for UTF-8 or the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

MONTHLY = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
SNAPSHOT = ("registry", "benefits")
DAILY = ("employment", "referrals")
EXT = {"nhis": "parquet", "nps": "parquet", "housing": "jsonl", "employment": "jsonl"}
ENCODING = {"kepco": "cp949", "water": "utf-8-sig"}
TEXT_FEEDS = tuple(f for f in MONTHLY + SNAPSHOT + DAILY if EXT.get(f) != "parquet")


@dataclass(frozen=True)
class Delivery:
    """One scheduled file: feed, delivery date, encoding, whether a corrected v2 follows."""

    feed: str
    day: date
    encoding: str | None = None  # None for Parquet
    corrected: bool = False

    def name(self, version: int = 1) -> str:
        """Path relative to the inbox: `<feed>/<feed>_<YYYYMMDD>[_v<N>].<ext>`."""
        suffix = f"_v{version}" if version > 1 else ""
        return f"{self.feed}/{self.feed}_{self.day:%Y%m%d}{suffix}.{EXT.get(self.feed, 'csv')}"


@dataclass
class Schedule:
    """The world's months and every delivery, decided before any household exists."""

    months: list[date]  # first day of each world month
    end: date  # last day of the world
    monthly: dict[str, list[Delivery | None]] = field(default_factory=dict)
    snapshots: dict[str, list[Delivery]] = field(default_factory=dict)
    daily: dict[str, dict[date, Delivery]] = field(default_factory=dict)
    file_events: list[dict] = field(default_factory=list)

    @property
    def start(self) -> date:
        return self.months[0]

    def deliveries(self) -> list[Delivery]:
        """Every scheduled monthly and snapshot delivery (daily files appear only with rows)."""
        found = [d for ds in self.monthly.values() for d in ds if d is not None]
        return found + [d for ds in self.snapshots.values() for d in ds]


def world_months(end: str, months: int) -> list[date]:
    """First days of the `months` calendar months ending with `end` (YYYY-MM)."""
    year, month = int(end[:4]), int(end[5:7])
    index = year * 12 + month - 1 - np.arange(months - 1, -1, -1)
    return [date(int(i // 12), int(i % 12) + 1, 1) for i in index]


def add_months(first: date, n: int) -> date:
    """First day of the month `n` months after `first`'s month."""
    i = first.year * 12 + first.month - 1 + n
    return date(i // 12, i % 12 + 1, 1)


def next_weekday(day: date) -> date:
    """`day` itself if Monday–Friday, else the following Monday."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def weekdays(start: date, end: date) -> list[date]:
    """Every Monday–Friday from start to end inclusive."""
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5]


def _encoding(feed: str, rng: np.random.Generator, mess: float) -> str:
    """The file's encoding: the promised one, or with probability `mess` the other one."""
    promised = ENCODING.get(feed, "utf-8")
    if rng.random() >= mess:
        return promised
    return "utf-8" if promised == "cp949" else "cp949"


def _delivery(feed: str, day: date, rng: np.random.Generator, mess: float) -> Delivery:
    """A delivery with its encoding and correction decided."""
    encoding = None if EXT.get(feed) == "parquet" else _encoding(feed, rng, mess)
    return Delivery(feed, day, encoding, corrected=bool(rng.random() < mess))


def _monthly_day(first_of_next: date, rng: np.random.Generator, mess: float) -> tuple[date, str]:
    """Delivery day of a data month (and 'on_time' / 'late'), from the 1st of the month after."""
    if rng.random() < 3 * mess:
        return next_weekday(first_of_next + timedelta(days=int(rng.integers(20, 45)))), "late"
    return next_weekday(first_of_next + timedelta(days=int(rng.integers(4, 20)))), "on_time"


def build_schedule(end: str, months: int, rng: np.random.Generator, mess: float) -> Schedule:
    """Every delivery of the world, its encoding, lateness, skips and corrections."""
    firsts = world_months(end, months)
    last = add_months(firsts[-1], 1) - timedelta(days=1)
    plan = Schedule(firsts, last)
    for feed in SNAPSHOT:
        offset = 1 if feed == "registry" else 2
        days = [next_weekday(m + timedelta(days=offset + int(rng.integers(0, 3)))) for m in firsts]
        plan.snapshots[feed] = [_delivery(feed, d, rng, mess) for d in days]
    for feed in MONTHLY:
        used: set[date] = set()
        plan.monthly[feed] = [
            _monthly_delivery(plan, feed, i, rng, mess, used) for i in range(months)
        ]
    for feed in DAILY:
        plan.daily[feed] = {d: _delivery(feed, d, rng, mess) for d in weekdays(firsts[0], last)}
    return plan


def _monthly_delivery(
    plan: Schedule, feed: str, month: int, rng: np.random.Generator, mess: float, used: set[date]
) -> Delivery | None:
    """The delivery of one data month of a monthly feed, or None (skipped, or after the end)."""
    day, timing = _monthly_day(add_months(plan.months[month], 1), rng, mess)
    while day in used:  # a late month must not land on the next month's delivery day
        day = next_weekday(day + timedelta(days=1))
    ym = f"{plan.months[month]:%Y%m}"
    if day > plan.end:
        return None
    if rng.random() < mess:
        plan.file_events.append({"kind": "skipped_month", "feed": feed, "ym": ym})
        return None
    used.add(day)
    if timing == "late":
        plan.file_events.append({"kind": "late_delivery", "feed": feed, "ym": ym, "day": str(day)})
    return _delivery(feed, day, rng, mess)
