"""The latent crisis process: per household and month, in crisis or not, and why.

Onset hazards rise with poverty, age and living alone, single parenthood, grandparents raising
grandchildren, disability and winter; a spouse's death often starts a bereavement crisis, and
an older person living alone who will die often declines in the months before. Each episode has
a data trail strength: strong, weak, or almost none (the invisible households).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synth.households import TYPE_NAMES, Chunk

CAUSES = ("none", "job_loss", "illness", "debt", "bereavement", "ageing_alone")
# cause probabilities at onset by group: employed working age, other working age, old alone, old
CAUSE_P = np.array(
    [
        [0.0, 0.45, 0.20, 0.30, 0.05, 0.00],
        [0.0, 0.00, 0.45, 0.45, 0.10, 0.00],
        [0.0, 0.00, 0.40, 0.10, 0.10, 0.40],
        [0.0, 0.00, 0.55, 0.25, 0.20, 0.00],
    ]
)
TRAIL_SHARE = np.array([0.40, 0.35, 0.25])  # strong, weak, almost none
TRAIL_STRENGTH = np.array([1.0, 0.4, 0.06])
BASE_HAZARD = 0.0045
EXIT_P, CHRONIC_EXIT_P, CHRONIC_SHARE = 0.13, 0.035, 0.2


@dataclass
class Crisis:
    """Arrays (households × months): in crisis, cause code, onset, months since onset, trail."""

    in_crisis: np.ndarray
    cause: np.ndarray  # index into CAUSES, 0 when not in crisis
    onset: np.ndarray
    since: np.ndarray  # months since onset (0 in the onset month), -1 when not in crisis
    trail: np.ndarray  # data trail strength of the current episode (0 when not in crisis)
    present: np.ndarray  # living in the area (moved-out and dead households are not)


def hazard(c: Chunk) -> np.ndarray:
    """Monthly onset probability per household, outside winter."""
    t = np.array(TYPE_NAMES)[c.htype]
    mult = np.ones(c.n)
    mult *= np.where(c.low_income, 2.4, 1.0)
    mult *= np.where(c.old & c.alone, 1.8, 1.0)
    mult *= np.where(t == "single_parent", 1.8, 1.0) * np.where(t == "grandparent", 2.2, 1.0)
    mult *= np.where(c.disabled, 1.5, 1.0)
    return BASE_HAZARD * mult


def _group(c: Chunk) -> np.ndarray:
    """Cause group: 0 employed working age, 1 other working age, 2 old alone, 3 old."""
    return np.select([c.old & c.alone, c.old, c.employed], [2, 3, 0], default=1)


def _draw_cause(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """A cause code per household from its group's distribution."""
    cum = CAUSE_P.cumsum(axis=1)[group]
    return (rng.random(len(group))[:, None] > cum).sum(axis=1)


def presence(c: Chunk, months: int) -> np.ndarray:
    """Households × months: still living in the area (not moved out, head alive)."""
    m = np.arange(months)[None, :]
    return (m < c.out_month[:, None]) & (m <= c.head_death[:, None])


def crisis_process(rng: np.random.Generator, c: Chunk, winter: np.ndarray) -> Crisis:
    """Simulate every household's crisis episodes month by month (vectorised over households)."""
    months = len(winter)
    shape = (c.n, months)
    out = Crisis(
        np.zeros(shape, bool), np.zeros(shape, np.int8), np.zeros(shape, bool),
        np.full(shape, -1, np.int16), np.zeros(shape), presence(c, months),
    )  # fmt: skip
    base, group = hazard(c), _group(c)
    state = rng.random(c.n) < base * 10  # steady state at the world's start
    cause = np.where(state, _draw_cause(rng, group), 0)
    since = np.where(state, rng.integers(0, 8, c.n), -1)
    trail = np.where(state, TRAIL_STRENGTH[rng.choice(3, c.n, p=TRAIL_SHARE)], 0.0)
    chronic = rng.random(c.n) < CHRONIC_SHARE
    for m in range(months):
        h = base * np.where(winter[m], np.where(c.old, 1.6, 1.3), 1.0)
        onset = ~state & (rng.random(c.n) < h)
        bereaved = ~state & (c.spouse_death == m) & (rng.random(c.n) < 0.6)
        declining = (
            ~state & (c.head_death < months) & (c.head_death - m == 3) & (rng.random(c.n) < 0.6)
        )
        onset |= bereaved | declining
        new_cause = np.select([bereaved, declining], [4, 5], _draw_cause(rng, group))
        exit_p = np.where(chronic, CHRONIC_EXIT_P, EXIT_P)
        ended = state & (since > 0) & (rng.random(c.n) < exit_p)
        state = (state & ~ended) | onset
        cause = np.where(onset, new_cause, np.where(state, cause, 0))
        trail = np.where(onset, TRAIL_STRENGTH[rng.choice(3, c.n, p=TRAIL_SHARE)], trail)
        chronic = np.where(onset, rng.random(c.n) < CHRONIC_SHARE, chronic)
        since = np.where(onset, 0, np.where(state, since + 1, -1))
        alive = out.present[:, m]
        out.in_crisis[:, m] = state & alive
        out.cause[:, m] = np.where(alive, cause, 0)
        out.onset[:, m] = onset & alive
        out.since[:, m] = np.where(alive, since, -1)
        out.trail[:, m] = np.where(state & alive, trail, 0.0)
    return out


def stress(cr: Crisis) -> np.ndarray:
    """Households × months: how strongly the crisis shows in the data (ramps up after onset)."""
    ramp = np.clip(0.35 + 0.3 * cr.since, 0.0, 1.0)
    return np.where(cr.in_crisis, cr.trail * ramp, 0.0)
