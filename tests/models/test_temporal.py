"""Temporal validation: training label windows close before validation starts; never random."""

from datetime import date, timedelta

import pytest

from models.temporal import LABEL_WINDOW_DAYS, NotEnoughHistory, temporal_split


def test_validation_is_the_last_closed_dates_and_training_closes_before_it():
    split = temporal_split(date(2025, 1, 1), date(2026, 10, 30))
    assert split.validation == (date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1))
    assert split.train[0] == date(2025, 1, 1) and split.train[-1] == date(2026, 3, 1)
    window = timedelta(days=LABEL_WINDOW_DAYS)
    assert all(d + window <= split.validation[0] for d in split.train)
    assert all(d + window <= date(2026, 10, 30) for d in split.validation)
    assert split.train_known_by == date(2026, 6, 1)
    assert split.validation_known_by == date(2026, 10, 30)


def test_one_day_earlier_moves_every_window_back_a_month():
    split = temporal_split(date(2025, 1, 1), date(2026, 10, 29))
    assert split.validation == (date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1))
    assert split.train[-1] == date(2026, 1, 1)


def test_too_little_history_is_refused_with_the_dates():
    with pytest.raises(NotEnoughHistory, match="training dates"):
        temporal_split(date(2026, 3, 1), date(2026, 10, 30))
    with pytest.raises(NotEnoughHistory, match="validation dates"):
        temporal_split(date(2026, 7, 1), date(2026, 10, 30))
