"""Dated events of a chunk: job losses and unemployment benefits, referrals, benefit spells."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synth.crisis import Crisis
from synth.households import Chunk

INDUSTRIES = [
    "제조업",
    "도소매업",
    "숙박음식점업",
    "건설업",
    "운수창고업",
    "사업지원서비스업",
    "보건복지업",
    "교육서비스업",
]
SOURCES = ("honorary_officer", "neighbour", "police", "fire", "postal", "school", "self")
SOURCE_P = np.array([0.30, 0.25, 0.08, 0.04, 0.08, 0.05, 0.20])
CONCERNS = {
    1: ["실직 후 생활비 부족 호소", "일자리를 잃고 월세가 밀림", "가장 실직, 자녀 학비 걱정"],
    2: ["병원비 부담으로 치료 중단", "거동 불편, 식사 거르는 것으로 보임", "투병 중 생계 곤란"],
    3: ["빚 독촉 전화가 잦다고 함", "카드빚으로 생활고", "채무 문제로 우울감 호소"],
    4: ["배우자 사망 후 홀로 지냄", "사별 후 외출하지 않음", "상중 이후 연락 끊김"],
    5: ["우편물이 쌓여 있음", "며칠째 인기척이 없음", "난방 없이 지내는 것 같음"],
    0: ["이웃 주민 안부 확인 요청", "생활이 어려워 보인다는 제보", "집 앞 쓰레기 방치"],
}
BASE_REFERRAL_P = 0.0035


def _month_starts(months: list[date]) -> np.ndarray:
    """First days as datetime64[D]."""
    return np.array(months, dtype="datetime64[D]")


def _random_days(rng: np.random.Generator, firsts: np.ndarray, month_idx: np.ndarray) -> np.ndarray:
    """A uniformly random day within each given world month."""
    starts = firsts[month_idx]
    lengths = (starts.astype("datetime64[M]") + 1).astype("datetime64[D]") - starts
    offsets = (rng.random(len(month_idx)) * lengths.astype(np.int64)).astype(np.int64)
    return starts + offsets.astype("timedelta64[D]")


def employment_events(
    rng: np.random.Generator, c: Chunk, cr: Crisis, months: list[date]
) -> pl.DataFrame:
    """`hh, day, event, industry`: job losses, unemployment benefit start/end, 12 months uninsured."""
    firsts = _month_starts(months)
    visible = np.where(cr.trail > 0.1, 0.9, 0.3)
    crisis_loss = cr.onset & (cr.cause == 1) & (rng.random(cr.onset.shape) < visible)
    background = (
        cr.present & ~cr.in_crisis & c.employed[:, None] & (rng.random(cr.onset.shape) < 0.003)
    )
    hh, m = np.nonzero(crisis_loss | background)
    loss_day = _random_days(rng, firsts, m)
    insured = rng.random(len(hh)) < 0.6
    start = loss_day + rng.integers(14, 36, len(hh)).astype("timedelta64[D]")
    end = start + rng.integers(120, 241, len(hh)).astype("timedelta64[D]")
    uninsured = ~insured & (rng.random(len(hh)) < 0.5)
    industry = np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), len(hh))]
    parts = [
        (hh, loss_day, "job_loss", industry),
        (hh[insured], start[insured], "benefit_start", industry[insured]),
        (hh[insured], end[insured], "benefit_end", industry[insured]),
        (
            hh[uninsured],
            loss_day[uninsured] + np.timedelta64(365, "D"),
            "no_insurance_12m",
            industry[uninsured],
        ),
    ]
    schema = {"hh": pl.Int64, "day": pl.Date, "event": pl.String, "industry": pl.String}
    frames = [
        pl.DataFrame(
            {"hh": h, "day": d.astype("datetime64[D]"), "event": np.full(len(h), e), "industry": i},
            schema=schema,
        )
        for h, d, e, i in parts
    ]
    return pl.concat(frames).sort("day", "hh", "event")


def referral_events(
    rng: np.random.Generator, c: Chunk, cr: Crisis, st: np.ndarray, months: list[date]
) -> pl.DataFrame:
    """`hh, day, source, concern`: neighbours and officers notice crises, sometimes wrongly."""
    old_alone = (c.old & c.alone)[:, None]
    p = np.where(cr.in_crisis, 0.03 + 0.04 * old_alone + 0.02 * st, BASE_REFERRAL_P)
    hit = cr.present & (rng.random(p.shape) < p)
    hh, m = np.nonzero(hit)
    cause = cr.cause[hh, m].astype(np.int64)
    concern = np.empty(len(hh), dtype=object)
    for code, texts in CONCERNS.items():
        rows = np.flatnonzero(cause == code)
        concern[rows] = np.array(texts, dtype=object)[rng.integers(0, len(texts), len(rows))]
    return pl.DataFrame(
        {
            "hh": hh.astype(np.int64),
            "day": _random_days(rng, _month_starts(months), m),
            "source": np.array(SOURCES)[rng.choice(len(SOURCES), len(hh), p=SOURCE_P)],
            "concern": concern.astype(str),
        },
        schema={"hh": pl.Int64, "day": pl.Date, "source": pl.String, "concern": pl.String},
    ).sort("day", "hh")


def benefit_spells(
    rng: np.random.Generator, c: Chunk, cr: Crisis, st: np.ndarray, months: list[date]
) -> pl.DataFrame:
    """`hh, program, start, end`: long-standing benefits and ones that begin in a crisis."""
    firsts = _month_starts(months)
    n, idx = c.n, np.arange(c.n)
    kids = c.htype == 4  # families with children; others rarely on education benefit
    livelihood = c.low_income & (rng.random(n) < 0.3)
    draws = {
        "livelihood": livelihood,
        "medical": livelihood & (rng.random(n) < 0.9),
        "housing": (livelihood & (rng.random(n) < 0.8))
        | (c.low_income & (rng.random(n) < 0.2))
        | (rng.random(n) < 0.01),
        "education": livelihood & kids & (rng.random(n) < 0.6),
        "near_poor": c.low_income & ~livelihood & (rng.random(n) < 0.35),
    }
    parts = []
    for program, mask in draws.items():
        h = idx[mask]
        start = firsts[0] - rng.integers(30, 3650, len(h)).astype("timedelta64[D]")
        parts.append(_spells(h, program, start, rng, firsts, hazard=0.006))
    for (
        program,
        p,
    ) in (("emergency", 0.015), ("livelihood", 0.006)):
        hh, m = np.nonzero(cr.in_crisis & (rng.random(st.shape) < p * (0.3 + st)))
        parts.append(
            _spells(
                hh,
                program,
                _random_days(rng, firsts, m),
                rng,
                firsts,
                hazard=0.15 if program == "emergency" else 0.01,
            )
        )
    return pl.concat(parts)


def _spells(
    hh: np.ndarray,
    program: str,
    start: np.ndarray,
    rng: np.random.Generator,
    firsts: np.ndarray,
    hazard: float,
) -> pl.DataFrame:
    """Spells starting at `start`, each ending with a monthly hazard (or still running)."""
    months_left = rng.geometric(hazard, len(hh))
    end = start + (months_left * 30 + rng.integers(0, 30, len(hh))).astype("timedelta64[D]")
    horizon = firsts[-1] + np.timedelta64(62, "D")
    end_date = pl.Series(np.where(end < horizon, end, np.datetime64("NaT", "D"))).cast(pl.Date)
    return pl.DataFrame(
        {
            "hh": hh.astype(np.int64),
            "program": program,
            "start": pl.Series(start).cast(pl.Date),
            "end": end_date,
        }
    )
