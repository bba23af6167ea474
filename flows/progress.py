"""Progress lines for long steps: 'features: 18,952 households (12.3 s)'."""

from __future__ import annotations

from time import perf_counter


def clock() -> float:
    """A start time for `line`."""
    return perf_counter()


def line(step: str, what: str, started: float) -> str:
    """'features: 18,952 households (12.3 s)'."""
    return f"{step}: {what} ({perf_counter() - started:.1f} s)"
