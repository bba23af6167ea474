"""Temporal validation: which as-of dates train a model and which validate it (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from models.training_set import monthly_as_of_dates

LABEL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Split:
    """Training and validation as-of dates, and the day each side's results had to be known by."""

    train: tuple[date, ...]
    validation: tuple[date, ...]
    train_known_by: date
    validation_known_by: date

    def as_dict(self) -> dict:
        return {
            "train": [d.isoformat() for d in self.train],
            "validation": [d.isoformat() for d in self.validation],
            "train_known_by": self.train_known_by.isoformat(),
            "validation_known_by": self.validation_known_by.isoformat(),
            "label_window_days": LABEL_WINDOW_DAYS,
        }


class NotEnoughHistory(ValueError):
    """Too few as-of dates with closed label windows to train and validate."""


def temporal_split(first: date, as_of: date, n_validation: int = 3, min_train: int = 2) -> Split:
    """Validate on the last `n_validation` monthly dates whose label windows close by `as_of`;
    train on the dates whose windows close by the first validation date (known by then)."""
    window = timedelta(days=LABEL_WINDOW_DAYS)
    closed = [d for d in monthly_as_of_dates(first, as_of) if d + window <= as_of]
    validation = tuple(closed[-n_validation:])
    if len(validation) < n_validation:
        raise NotEnoughHistory(
            f"need {n_validation} validation dates with label windows closed by {as_of}, "
            f"found {len(validation)} since {first}"
        )
    start = validation[0]
    train = tuple(d for d in closed if d + window <= start)
    if len(train) < min_train:
        raise NotEnoughHistory(
            f"need {min_train} training dates with label windows closed by {start}, "
            f"found {len(train)} since {first}"
        )
    return Split(train, validation, start, as_of)
