"""The feature catalog (catalog.yml): meanings, units, sources, reason texts, freshness limits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG_FILE = Path(__file__).with_name("catalog.yml")
KEY_COLUMNS = ("household_key", "emd_code", "sigungu_code", "as_of")


@dataclass(frozen=True)
class Feature:
    """One column of household_features: what it means, its unit and the feeds it comes from."""

    name: str
    unit: str
    sources: tuple[str, ...]
    en: str
    ko: str
    reason_en: str | None = None
    reason_ko: str | None = None


@dataclass(frozen=True)
class Reason:
    """A reason code with its Korean and English text; `{v}` is the signal's value."""

    code: str
    ko: str
    en: str


@cache
def _document() -> dict:
    """The parsed catalog.yml."""
    return yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))


@cache
def features() -> dict[str, Feature]:
    """Every feature of household_features by name, in catalog order."""
    entries = _document()["features"]
    return {e["name"]: Feature(**{**e, "sources": tuple(e["sources"])}) for e in entries}


def reasons() -> dict[str, Reason]:
    """The reason texts of the features that can push a household up, by feature name."""
    return {
        f.name: Reason(f.name, f.reason_ko, f.reason_en)
        for f in features().values()
        if f.reason_ko and f.reason_en
    }


def freshness_max_age_days() -> dict[str, int]:
    """Per feed, the age in days after which its latest delivery makes it stale."""
    return dict(_document()["freshness_max_age_days"])
