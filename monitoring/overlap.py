"""List stability: how much of tonight's top of the list was on last night's."""

from __future__ import annotations

from collections.abc import Iterable


def jaccard(tonight: Iterable[str], last_night: Iterable[str]) -> float | None:
    """|A ∩ B| / |A ∪ B| of two sets of household keys; None when both are empty."""
    a, b = set(tonight), set(last_night)
    union = a | b
    return len(a & b) / len(union) if union else None
