"""Households and their members, shaped like Korea's: a third live alone, many of them old.

One chunk of households at a time, all arrays vectorised. Month indices count from the
world's first month; `never` (= months) means the event does not happen within the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from synth import names
from synth.regions import CITIES, city_of, teams

# type: (share, head age range, share of male heads)
TYPES = {
    "single_young": (0.20, (22, 64), 0.55),
    "single_old": (0.14, (65, 94), 0.30),
    "couple_young": (0.08, (26, 64), 0.85),
    "couple_old": (0.13, (65, 90), 0.85),
    "family": (0.27, (30, 56), 0.85),
    "single_parent": (0.07, (28, 56), 0.22),
    "grandparent": (0.015, (58, 85), 0.40),
    "multi_gen": (0.065, (40, 62), 0.85),
    "adult_child": (0.02, (60, 88), 0.35),
    "siblings": (0.01, (20, 45), 0.50),
}
TYPE_NAMES = tuple(TYPES)
OLD_TYPES = np.array([TYPE_NAMES.index(t) for t in ("single_old", "couple_old", "adult_child")])
HOUSEHOLD_NO_MULT = 2_654_435_761  # coprime with the modulus: a bijection, numbers look random
HOUSEHOLD_NO_MOD = 89_999_999_999


@dataclass
class Chunk:
    """One chunk of households (arrays of length n) and their members (`persons`, sorted by hh)."""

    n: int
    household_no: np.ndarray  # str, 11 digits
    htype: np.ndarray  # index into TYPE_NAMES
    team: np.ndarray  # index into teams() before a move
    team_after: np.ndarray  # after the within-city move (same as team if none)
    move_month: np.ndarray  # within-city move
    out_month: np.ndarray  # moved out of the area: gone from the registry from then on
    head_death: np.ndarray
    spouse_death: np.ndarray
    head_age: np.ndarray  # at the world's start
    alone: np.ndarray
    old: np.ndarray
    disabled: np.ndarray
    low_income: np.ndarray
    late_payer: np.ndarray
    has_gas: np.ndarray
    apartment: np.ndarray
    public_rent: np.ndarray
    employed: np.ndarray
    members: np.ndarray
    persons: pl.DataFrame  # hh, relation, rrn12, birth, male, disabled, death_month, name, phone


def household_numbers(gidx: np.ndarray, seed: int) -> np.ndarray:
    """Unique 11-digit household numbers from global indices (a seeded bijection)."""
    value = ((gidx.astype(np.int64) + 7_919_113) * HOUSEHOLD_NO_MULT + seed) % HOUSEHOLD_NO_MOD
    return (value + 10_000_000_000).astype(str)


def _teams_by_weight(rng: np.random.Generator, n: int) -> np.ndarray:
    """A team index per household: city by population share, team by density within the city."""
    all_teams = teams()
    weights = np.array([t.weight * city_of(t.sigungu_code).weight for t in all_teams])
    for city in CITIES:
        mask = np.array([t.sigungu_code == city.sigungu_code for t in all_teams])
        weights[mask] *= city.weight / weights[mask].sum()
    return rng.choice(len(all_teams), n, p=weights / weights.sum())


def _moved_team(rng: np.random.Generator, team: np.ndarray) -> np.ndarray:
    """Another team in the same city for each household."""
    city = np.array([t.sigungu_code for t in teams()])
    out = team.copy()
    for code in np.unique(city[team]):
        pool = np.flatnonzero(city == code)
        rows = np.flatnonzero(city[team] == code)
        out[rows] = pool[rng.integers(0, len(pool), len(rows))]
    return out


def _first_month(
    rng: np.random.Generator, p: np.ndarray | float, n: int, months: int
) -> np.ndarray:
    """Month of a first event with monthly probability p (geometric), `months` if never."""
    return np.minimum(rng.geometric(np.clip(p, 1e-9, 1.0), n) - 1, months)


def _death_hazard(age: np.ndarray) -> np.ndarray:
    """Monthly probability of dying at this age."""
    return 0.0008 * np.exp((age - 70.0) / 9.0)


def household_chunk(
    rng: np.random.Generator, gidx: np.ndarray, start: date, months: int, seed: int
) -> Chunk:
    """Households for global indices `gidx`, with latent attributes and life events."""
    n = len(gidx)
    shares = np.array([v[0] for v in TYPES.values()])
    htype = rng.choice(len(TYPES), n, p=shares / shares.sum())
    lo = np.array([v[1][0] for v in TYPES.values()])[htype]
    hi = np.array([v[1][1] for v in TYPES.values()])[htype]
    head_age = lo + (hi - lo) * rng.beta(1.3, 1.8, n)
    team = _teams_by_weight(rng, n)
    rural = np.array([t.name_ko[-1] != "동" for t in teams()])[team]
    old = np.isin(htype, OLD_TYPES) | (head_age >= 65)
    alone = np.isin(htype, [0, 1])
    low_p = np.select(
        [htype == 1, htype == 6, htype == 5, old], [0.45, 0.5, 0.35, 0.25], default=0.10
    )
    out_month = _first_month(rng, 0.002, n, months)
    move_month = _first_month(rng, 0.003, n, months)
    head_death = np.where(htype == 1, _first_month(rng, _death_hazard(head_age), n, months), months)
    couple_old = htype == 3
    spouse_death = np.where(
        couple_old, _first_month(rng, _death_hazard(head_age), n, months), months
    )
    head_death = np.where(out_month <= head_death, months, head_death)
    chunk = Chunk(
        n=n,
        household_no=household_numbers(gidx, seed),
        htype=htype,
        team=team,
        team_after=np.where(move_month < months, _moved_team(rng, team), team),
        move_month=move_month,
        out_month=out_month,
        head_death=head_death,
        spouse_death=spouse_death,
        head_age=head_age,
        alone=alone,
        old=old,
        disabled=np.zeros(n, dtype=bool),
        low_income=rng.random(n) < low_p,
        late_payer=rng.random(n) < 0.12,
        has_gas=rng.random(n) < np.where(rural, 0.35, 0.85),
        apartment=rng.random(n) < np.where(rural, 0.15, 0.6),
        public_rent=np.zeros(n, dtype=bool),
        employed=(head_age < 63) & (rng.random(n) < 0.78),
        members=np.zeros(n, dtype=np.int64),
        persons=pl.DataFrame(),
    )
    chunk.public_rent = chunk.apartment & (rng.random(n) < np.where(chunk.low_income, 0.3, 0.05))
    chunk.persons = _members(rng, chunk, start, months)
    counts = np.bincount(chunk.persons["hh"].to_numpy(), minlength=n)
    dis = np.bincount(
        chunk.persons["hh"].to_numpy(), weights=chunk.persons["disabled"].to_numpy(), minlength=n
    )
    chunk.members, chunk.disabled = counts, dis > 0
    return chunk


def _role(hh: np.ndarray, relation: str, age: np.ndarray, male: np.ndarray) -> pl.DataFrame:
    """Members of one role (relation) with their ages at the world's start and sex."""
    return pl.DataFrame({"hh": hh, "relation": relation, "age": age, "male": male})


def _members(rng: np.random.Generator, c: Chunk, start: date, months: int) -> pl.DataFrame:
    """Every member of every household: heads first, then spouses, children, parents, others."""
    t, n, idx = c.htype, c.n, np.arange(c.n)
    head_male = rng.random(n) < np.array([v[2] for v in TYPES.values()])[t]
    parts = [_role(idx, "head", c.head_age, head_male)]
    has_spouse = np.isin(t, [2, 3, 4, 7]) | ((t == 6) & (rng.random(n) < 0.5))
    s = idx[has_spouse]
    parts.append(_role(s, "spouse", c.head_age[s] + rng.normal(-2, 3, len(s)), ~head_male[s]))
    kids = np.select(
        [t == 4, t == 5, t == 7, t == 8],
        [rng.integers(1, 4, n), rng.integers(1, 3, n), rng.integers(1, 3, n), 1],
        0,
    )
    k = np.repeat(idx, kids)
    kid_age = np.where(
        t[k] == 8,
        c.head_age[k] - rng.uniform(24, 34, len(k)),
        c.head_age[k] - rng.uniform(24, 38, len(k)),
    )
    parts.append(_role(k, "child", np.clip(kid_age, 0, None), rng.random(len(k)) < 0.5))
    p = idx[t == 7]
    parts.append(
        _role(p, "parent", c.head_age[p] + rng.uniform(24, 32, len(p)), rng.random(len(p)) < 0.3)
    )
    g = np.repeat(idx, np.where(t == 6, rng.integers(1, 3, n), 0))
    parts.append(_role(g, "other", rng.uniform(4, 17, len(g)), rng.random(len(g)) < 0.5))
    b = idx[t == 9]
    parts.append(
        _role(b, "sibling", c.head_age[b] + rng.uniform(-6, 6, len(b)), rng.random(len(b)) < 0.5)
    )
    people = (
        pl.concat(parts).with_columns(pl.col("age").clip(0, 99)).sort("hh", maintain_order=True)
    )
    return _person_details(rng, people, c, start, months)


def _person_details(
    rng: np.random.Generator, people: pl.DataFrame, c: Chunk, start: date, months: int
) -> pl.DataFrame:
    """Birth dates, resident numbers, disability, deaths, names and phones of the members."""
    m = len(people)
    age = people["age"].to_numpy()
    hh, relation = people["hh"].to_numpy(), people["relation"].to_numpy()
    male = people["male"].to_numpy()
    born_days = ((age + rng.random(m)) * 365.25).astype(np.int64)
    birth = np.datetime64(start) - born_days.astype("timedelta64[D]")
    disabled = rng.random(m) < np.select([age >= 65, age >= 40], [0.09, 0.04], 0.015)
    death = np.select(
        [relation == "head", relation == "spouse"], [c.head_death[hh], c.spouse_death[hh]], months
    )
    return people.with_columns(
        rrn12=pl.Series(names.rrn_prefix(rng, birth, male)),
        birth=pl.Series(birth.astype("datetime64[D]")).cast(pl.Date),
        disabled=pl.Series(disabled),
        death_month=pl.Series(death.astype(np.int64)),
        name=names.korean_names(rng, male),
        phone=names.phones(rng, age),
    )
