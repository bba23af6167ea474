"""What each agency sees, households × months: arrears, cut-offs, usage, medical costs, debts.

Arrears follow a chain: each month a bill is missed with a probability that rises with the
crisis (by cause, ramping up after onset) and for habitual late payers; unpaid months add up
until the household pays everything back. Cut-offs follow long arrears, so they lag the onset.
"""

from __future__ import annotations

import numpy as np

from synth.crisis import Crisis, stress
from synth.households import Chunk

# miss probability added by a full-strength crisis, by cause (none, job_loss, illness, debt,
# bereavement, ageing_alone)
EFFECT = {
    "kepco": [0, 0.40, 0.30, 0.40, 0.20, 0.30],
    "water": [0, 0.30, 0.25, 0.30, 0.15, 0.25],
    "gas": [0, 0.40, 0.30, 0.40, 0.20, 0.30],
    "nhis": [0, 0.55, 0.45, 0.40, 0.20, 0.20],
    "nps": [0, 0.70, 0.40, 0.45, 0.10, 0.00],
    "telecom": [0, 0.45, 0.30, 0.55, 0.15, 0.10],
    "credit": [0, 0.30, 0.20, 0.65, 0.10, 0.05],
    "housing": [0, 0.45, 0.35, 0.45, 0.20, 0.20],
}
BASE_MISS = {"kepco": 0.010, "water": 0.010, "gas": 0.012, "nhis": 0.012, "nps": 0.012,
             "telecom": 0.015, "credit": 0.004, "housing": 0.008}  # fmt: skip
LATE_PAYER_MISS = 0.28
PAY_BACK_P = 0.55


def arrears_chain(rng: np.random.Generator, miss_p: np.ndarray) -> np.ndarray:
    """Unpaid months per household and month from monthly miss probabilities."""
    n, months = miss_p.shape
    out = np.zeros((n, months), np.int16)
    count = np.zeros(n, np.int16)
    for m in range(months):
        miss = rng.random(n) < miss_p[:, m]
        paid = (count > 0) & (rng.random(n) < PAY_BACK_P)
        count = np.where(miss, count + 1, np.where(paid, 0, count)).astype(np.int16)
        out[:, m] = count
    return out


def miss_probability(feed: str, c: Chunk, cr: Crisis, st: np.ndarray) -> np.ndarray:
    """Monthly probability of missing this feed's bill."""
    effect = np.asarray(EFFECT[feed])[cr.cause] * st
    late = np.where(c.late_payer, LATE_PAYER_MISS, 0.0)[:, None]
    return np.clip(BASE_MISS[feed] + late + effect, 0.0, 0.95)


def sticky(
    rng: np.random.Generator, arrears: np.ndarray, threshold: int, p: np.ndarray
) -> np.ndarray:
    """A cut-off that starts after `threshold` unpaid months and lasts until arrears are paid."""
    n, months = arrears.shape
    out = np.zeros((n, months), bool)
    on = np.zeros(n, bool)
    for m in range(months):
        start = (arrears[:, m] >= threshold) & (rng.random(n) < p[:, m])
        on = (on | start) & (arrears[:, m] > 0)
        out[:, m] = on
    return out


def amounts(rng: np.random.Generator, months_due: np.ndarray, bill: np.ndarray) -> np.ndarray:
    """Arrears amount in KRW (rounded to 10 won): unpaid months times a noisy monthly bill."""
    noise = rng.uniform(0.85, 1.15, months_due.shape)
    return (np.round(months_due * bill * noise / 10) * 10).astype(np.int64)


def signals(rng: np.random.Generator, c: Chunk, cr: Crisis, calendar: np.ndarray) -> dict:
    """Every agency's view of the chunk: name -> households × months array."""
    st = stress(cr)
    winter, summer = np.isin(calendar, [12, 1, 2]), np.isin(calendar, [7, 8])
    s: dict[str, np.ndarray] = {"stress": st}
    for feed in EFFECT:
        s[f"{feed}_arrears"] = arrears_chain(rng, miss_probability(feed, c, cr, st))
    s.update(_utilities(rng, c, cr, st, s, winter, summer))
    s.update(_health_and_debt(rng, c, cr, st, s))
    return s


def _season(winter: np.ndarray, summer: np.ndarray, w: float, s: float) -> np.ndarray:
    """Per-month seasonal factor."""
    return np.where(winter, w, np.where(summer, s, 1.0))[None, :]


def _utilities(rng, c: Chunk, cr: Crisis, st, s: dict, winter, summer) -> dict:
    """Electricity, water and gas: bills, amounts, limiters, cut-offs and usage."""
    n, months = st.shape
    members = c.members[:, None]
    kwh_base = (150 + 70 * members) * rng.lognormal(0, 0.3, (n, 1))
    drop = np.where((c.old & c.alone)[:, None], 1 - 0.55 * st, 1 - 0.1 * st)
    kwh = kwh_base * _season(winter, summer, 1.3, 1.5) * drop * rng.lognormal(0, 0.1, (n, months))
    p_cut = 0.08 + 0.25 * st
    limiter = sticky(rng, s["kepco_arrears"], 2, np.full((n, months), 0.4))
    cutoff = sticky(rng, s["kepco_arrears"], 3, np.where(winter[None, :], 0.0, p_cut))
    kwh = np.where(cutoff, rng.uniform(0, 5, (n, months)), np.where(limiter, kwh * 0.6, kwh))
    after_death = np.arange(months)[None, :] > c.head_death[:, None]
    kwh = np.where(after_death, rng.uniform(0, 15, (n, months)), kwh)
    m3 = (25 + 8 * members) * _season(winter, summer, 3.0, 0.4) * drop
    m3 = m3 * rng.lognormal(0, 0.15, (n, months))
    return {
        "kepco_amount": amounts(rng, s["kepco_arrears"], 25_000 + kwh_base * 120),
        "kepco_limiter": limiter,
        "kepco_cutoff": cutoff,
        "kepco_kwh": np.round(kwh).astype(np.int64),
        "water_amount": amounts(rng, s["water_arrears"], 12_000 + 9_000 * members),
        "water_cutoff": sticky(rng, s["water_arrears"], 4, 0.05 + 0.2 * st),
        "gas_amount": amounts(rng, s["gas_arrears"], m3 * 1_100 + 5_000),
        "gas_cutoff": sticky(rng, s["gas_arrears"], 3, 0.05 + 0.2 * st),
        "gas_m3": np.round(m3, 1),
        "gas_drop": drop < 0.6,
    }


def _health_and_debt(rng, c: Chunk, cr: Crisis, st, s: dict) -> dict:
    """Health insurance, pension, telecom, credit and housing amounts and flags."""
    n, months = st.shape
    illness = cr.cause == 2
    p_cat = np.where(illness, 0.30 * st, 0.0) + np.where(c.old, 0.006, 0.002)[:, None]
    catastrophic = rng.random((n, months)) < p_cat
    oop = np.where(
        catastrophic, rng.lognormal(15.2, 0.6, (n, months)), rng.lognormal(11.5, 1.0, (n, months))
    )
    principal = rng.lognormal(15.2, 0.8, (n, 1)) * (1 + 0.1 * s["credit_arrears"])
    rent = np.where(
        c.public_rent, rng.uniform(120_000, 350_000, n), rng.uniform(90_000, 250_000, n)
    )
    return {
        "nhis_amount": amounts(rng, s["nhis_arrears"], rng.uniform(25_000, 180_000, (n, 1))),
        "nhis_catastrophic": catastrophic,
        "nhis_oop": (np.round(oop / 10) * 10).astype(np.int64),
        "nps_loan": rng.random((n, months)) < np.where(c.old[:, None], 0.04 * st, 0.0),
        "telecom_amount": amounts(rng, s["telecom_arrears"], rng.uniform(40_000, 140_000, (n, 1))),
        "credit_amount": (np.round(principal / 1000) * 1000).astype(np.int64),
        "credit_days": s["credit_arrears"] * 30 + rng.integers(0, 30, (n, months)),
        "credit_dropped": rng.random((n, months)) < np.where(cr.cause == 3, 0.08 * st, 0.002),
        "housing_amount": amounts(rng, s["housing_arrears"], rent[:, None]),
    }
