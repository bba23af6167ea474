"""monitoring.yml: defaults in code, every bad value named with its file and key."""

from __future__ import annotations

import pytest

from monitoring.config import MonitoringConfigError, default_config, load_config
from sagak.settings import DEFAULT_HOME


def test_absent_file_gives_the_defaults(tmp_path):
    config = load_config(tmp_path / "monitoring.yml")
    assert config.volume.critical_ratio == 0.25 and config.psi.critical == 0.25
    assert config.alerts.urls == [] and "absent" in config.source


def test_the_tracked_file_holds_the_defaults():
    tracked = load_config(DEFAULT_HOME / "monitoring.yml")
    defaults = default_config()
    for section in ("volume", "blanks", "psi", "list", "quality", "retrain", "alerts"):
        assert vars(getattr(tracked, section)) == vars(getattr(defaults, section)), section


def test_a_partial_file_keeps_the_other_defaults(tmp_path):
    path = tmp_path / "monitoring.yml"
    path.write_text("volume:\n  min_rows: 10\n", encoding="utf-8")
    config = load_config(path)
    assert config.volume.min_rows == 10 and config.volume.warning_ratio == 0.5


def test_a_bad_value_names_the_file_the_key_and_what_was_expected(tmp_path):
    path = tmp_path / "monitoring.yml"
    path.write_text("psi:\n  critical: high\n", encoding="utf-8")
    with pytest.raises(MonitoringConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: psi.critical: expected a number above 0, got 'high'"


def test_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "monitoring.yml"
    path.write_text("volume:\n  critcal_ratio: 0.1\n", encoding="utf-8")
    with pytest.raises(MonitoringConfigError, match=r"unknown key volume.critcal_ratio"):
        load_config(path)


def test_bounds_in_the_wrong_order_are_refused(tmp_path):
    path = tmp_path / "monitoring.yml"
    path.write_text("volume:\n  critical_ratio: 0.6\n", encoding="utf-8")
    with pytest.raises(MonitoringConfigError, match="critical_ratio must not be above"):
        load_config(path)


def test_alert_urls_come_from_the_file_and_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "monitoring.yml"
    path.write_text("alerts:\n  urls: ['json://localhost/a']\n", encoding="utf-8")
    monkeypatch.setenv("SAGAK_ALERT_URLS", "slack://T/B/C  json://localhost/b")
    assert load_config(path).alert_urls() == [
        "json://localhost/a",
        "slack://T/B/C",
        "json://localhost/b",
    ]
