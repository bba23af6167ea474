"""The monitoring thresholds: data/monitoring.yml (or SAGAK_HOME's own copy), defaults in code.

A bad value stops the night with a message naming the file, the key and what was expected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import yaml

SEVERITIES = ("ok", "warning", "critical")
ALERT_URLS_VARIABLE = "SAGAK_ALERT_URLS"

# section -> key -> (default, kind); kinds are checked by `_checked`
SPEC: dict[str, dict[str, tuple[object, str]]] = {
    "volume": {
        "trailing_deliveries": (6, "count"),
        "min_history": (3, "count"),
        "min_rows": (50, "count"),
        "warning_ratio": (0.5, "share"),
        "critical_ratio": (0.25, "share"),
        "high_ratio": (3.0, "positive"),
    },
    "blanks": {"warning_increase": (0.2, "share"), "critical_increase": (0.5, "share")},
    "psi": {
        "bins": (10, "count"),
        "warning": (0.1, "positive"),
        "critical": (0.25, "positive"),
        "recent_days": (7, "count"),
        "seasonal": (["power_usage_drop_pct", "gas_usage_drop_pct"], "names"),
    },
    "list": {"jaccard_warning": (0.5, "share"), "jaccard_critical": (0.2, "share")},
    "quality": {
        "min_results": (30, "count"),
        "precision_warning_drop": (0.1, "share"),
        "precision_critical_drop": (0.2, "share"),
        "calibration_warning_gap": (0.1, "share"),
        "calibration_critical_gap": (0.2, "share"),
    },
    "retrain": {"consecutive_nights": (3, "count"), "min_drifted_features": (3, "count")},
    "alerts": {
        "min_severity": ("warning", "severity"),
        "urls": ([], "urls"),
        "block": (None, "name"),
    },
}
# (section, smaller key, larger key): the warning and critical bounds must be in this order
ORDERED = (
    ("volume", "critical_ratio", "warning_ratio"),
    ("blanks", "warning_increase", "critical_increase"),
    ("psi", "warning", "critical"),
    ("list", "jaccard_critical", "jaccard_warning"),
    ("quality", "precision_warning_drop", "precision_critical_drop"),
    ("quality", "calibration_warning_gap", "calibration_critical_gap"),
)
EXPECTED = {
    "count": "a whole number of at least 1",
    "share": "a number between 0 and 1",
    "positive": "a number above 0",
    "severity": "warning or critical",
    "urls": "a list of Apprise URLs (text)",
    "names": "a list of feature names (text)",
    "name": "a Prefect block name (text) or null",
}


class MonitoringConfigError(ValueError):
    """A monitoring.yml that cannot be used: names the file, the key and what was expected."""


@dataclass(frozen=True)
class MonitoringConfig:
    """Thresholds per section (`config.volume.critical_ratio`) and where they came from."""

    source: str
    volume: SimpleNamespace
    blanks: SimpleNamespace
    psi: SimpleNamespace
    list: SimpleNamespace
    quality: SimpleNamespace
    retrain: SimpleNamespace
    alerts: SimpleNamespace

    def alert_urls(self) -> list[str]:
        """The configured Apprise URLs, then those of $SAGAK_ALERT_URLS (space-separated)."""
        extra = os.environ.get(ALERT_URLS_VARIABLE, "").split()
        return [*self.alerts.urls, *extra]


def default_config() -> MonitoringConfig:
    """Every threshold at its default."""
    return config_from({}, "(defaults)")


def load_config(path: Path) -> MonitoringConfig:
    """The thresholds of `path`, defaults for the keys it leaves out (all of them if absent)."""
    if not path.exists():
        return config_from({}, f"{path} (absent: defaults)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise MonitoringConfigError(f"{path}: not valid YAML ({err})") from err
    if not isinstance(raw, dict):
        raise MonitoringConfigError(f"{path}: expected a mapping of sections, got {raw!r}")
    return config_from(raw, str(path))


def config_from(raw: dict, source: str) -> MonitoringConfig:
    """Check `raw` (sections of keys) against SPEC and fill in the defaults."""
    unknown = sorted(set(raw) - set(SPEC))
    if unknown:
        raise MonitoringConfigError(
            f"{source}: unknown section {unknown[0]!r}; expected one of {', '.join(SPEC)}"
        )
    sections = {name: _section(source, name, raw.get(name) or {}) for name in SPEC}
    for section, low, high in ORDERED:
        if getattr(sections[section], low) > getattr(sections[section], high):
            raise MonitoringConfigError(
                f"{source}: {section}.{low} must not be above {section}.{high}"
            )
    return MonitoringConfig(source=source, **sections)


def _section(source: str, name: str, values: object) -> SimpleNamespace:
    """One section's values checked and completed."""
    if not isinstance(values, dict):
        raise MonitoringConfigError(f"{source}: {name}: expected a mapping, got {values!r}")
    spec = SPEC[name]
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise MonitoringConfigError(
            f"{source}: unknown key {name}.{unknown[0]}; expected one of {', '.join(spec)}"
        )
    checked = {
        key: _checked(source, f"{name}.{key}", values.get(key, default), kind)
        for key, (default, kind) in spec.items()
    }
    return SimpleNamespace(**checked)


def _checked(source: str, key: str, value: object, kind: str) -> object:
    """`value` if it is of `kind`, else MonitoringConfigError naming the file and key."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    good = {
        "count": isinstance(value, int) and not isinstance(value, bool) and value >= 1,
        "share": number and 0 <= value <= 1,
        "positive": number and value > 0,
        "severity": value in SEVERITIES[1:],
        "urls": isinstance(value, list) and all(isinstance(v, str) and v for v in value),
        "names": isinstance(value, list) and all(isinstance(v, str) and v for v in value),
        "name": value is None or (isinstance(value, str) and bool(value)),
    }[kind]
    if not good:
        raise MonitoringConfigError(f"{source}: {key}: expected {EXPECTED[kind]}, got {value!r}")
    return value
