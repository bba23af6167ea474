"""End to end with a trained champion, through the real nightly flow on a copy of the session's
small world: night 1 publishes; then a kepco delivery with every household's arrears shifted to
6 months arrives and the teams return "not in need" for every list pick of night 1. Nights 2 and
3 must find the feature drift and the fall in live precision, alert on them, and (two critical
nights in a row) flag the champion for early retraining.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import duckdb
import polars as pl
import pytest
import yaml

from tests.worlds import WebhookReceiver, copy_home, latest_file

SHIFTED = "power_arrears_months_max_3m"


def shifted_kepco(inbox, day) -> None:
    """A new kepco delivery dated `day`: the latest one with 6 months of arrears everywhere."""
    source = latest_file(inbox, "kepco")
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("cp949"))))
    months = rows[0].index("체납개월수")
    for row in rows[1:]:
        row[months] = "6"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (inbox / "kepco" / f"kepco_{day:%Y%m%d}.csv").write_bytes(out.getvalue().encode("cp949"))


def not_in_need(settings, night, day) -> int:
    """inbox/feedback/: every list pick of `night` visited on `day`, found not in need."""
    ranked = pl.read_parquet(settings.outreach_dir(night.isoformat()) / "ranked.parquet")
    picks = ranked.filter(pl.col("assigned") & ~pl.col("exploration"))
    folder = settings.inbox / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    picks.select(
        "household_key",
        "emd_code",
        pl.lit("not_in_need").alias("outcome"),
        pl.lit(night.isoformat()).alias("assigned_date"),
        pl.lit(day.isoformat()).alias("visit_date"),
    ).write_csv(folder / f"results_{day:%Y%m%d}.csv")
    return picks.height


@pytest.fixture(scope="module")
def nights(trained, tmp_path_factory, prefect_server):
    """(settings, [night 1, 2, 3], manifests, alert bodies, validation precision)."""
    from flows.nightly import nightly

    home, night, meta = trained
    settings = copy_home(home.home, tmp_path_factory.mktemp("monitor_model") / "home")
    days = [night, night + timedelta(days=1), night + timedelta(days=2)]
    with WebhookReceiver() as receiver:
        config = {
            "alerts": {"urls": [receiver.url], "min_severity": "critical"},
            "quality": {"precision_warning_drop": 0.05, "precision_critical_drop": 0.1},
            "retrain": {"consecutive_nights": 2},
        }
        (settings.home / "monitoring.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        manifests = [nightly(as_of=days[0], home=str(settings.home))]
        shifted_kepco(settings.inbox, days[1])
        assert not_in_need(settings, days[0], days[1]) > 30
        for day in days[1:]:
            manifests.append(nightly(as_of=day, home=str(settings.home)))
    validation = meta["metrics"]["champion_calibrated"]["precision_at_capacity"]
    return settings, days, manifests, receiver.bodies, meta["model_id"], validation


def findings(settings, night, check, subject=None):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return (
            con.sql(
                "select subject, value, baseline, severity, message from monitoring "
                "where night = $night and check_name = $check "
                "and ($subject::varchar is null or subject = $subject) order by subject",
                params={"night": night, "check": check, "subject": subject},
            )
            .pl()
            .to_dicts()
        )


def test_the_champion_is_measured_against_its_validation_period(nights):
    settings, days, *_ = nights
    first = findings(settings, days[0], "feature_psi_validation", SHIFTED)
    assert len(first) == 1 and first[0]["severity"] != "critical"
    assert "validation period" in first[0]["message"]
    later = findings(settings, days[1], "feature_psi", SHIFTED)[0]
    assert f"against the night of {days[0]}" in later["message"]


def test_a_shifted_distribution_is_critical_drift(nights):
    settings, days, *_ = nights
    shifted = findings(settings, days[1], "feature_psi", SHIFTED)[0]
    assert shifted["severity"] == "critical" and shifted["value"] > 0.25
    assert "kepco delivered since: check that delivery" in shifted["message"]
    steady = findings(settings, days[1], "feature_psi", "head_age")[0]
    assert steady["severity"] != "critical"


def test_scores_and_the_list_are_compared_with_last_night(nights):
    settings, days, *_ = nights
    assert len(findings(settings, days[1], "score_psi_last_night")) == 1
    overlap = findings(settings, days[1], "list_overlap", "all")[0]
    assert overlap["value"] is not None and 0 <= overlap["value"] <= 1
    assert "of tonight's top" in overlap["message"]
    assert findings(settings, days[1], "team_overlap")


def test_live_precision_that_falls_is_critical(nights):
    settings, days, _, _, _, validation = nights
    assert validation > 0.1
    live = findings(settings, days[1], "live_precision")
    picks = [r for r in live if r["subject"].endswith(" list")]
    assert len(picks) == 1
    assert picks[0]["value"] == 0.0 and picks[0]["baseline"] == pytest.approx(validation)
    assert picks[0]["severity"] == "critical" and "consider retraining" in picks[0]["message"]
    assert findings(settings, days[0], "live_precision")[0]["severity"] == "ok"


def test_the_drift_alert_reached_the_local_receiver(nights):
    _, days, _, bodies, _, _ = nights
    model = [b for b in bodies if f"sagak {days[1]} (model)" in b["title"]]
    assert len(model) == 1
    assert f"[critical] {SHIFTED}: PSI" in model[0]["message"]
    assert "[critical] live precision, week of" in model[0]["message"]


def test_two_critical_nights_flag_the_champion_for_retraining(nights):
    from typer.testing import CliRunner

    from cli.main import app
    from models.registry import list_models

    settings, days, manifests, _, model_id, _ = nights
    assert manifests[1]["monitoring"]["retrain"] is None
    assert manifests[2]["monitoring"]["retrain"]["nights"] == 2
    flagged = {m["model_id"]: m["retrain"] for m in list_models(settings.artifacts)}
    assert flagged[model_id]["flagged_on"] == days[2].isoformat()
    result = CliRunner().invoke(app, ["models", "--home", str(settings.home)])
    assert f"retrain suggested since {days[2]}" in result.output


def test_the_report_draws_the_monitoring_charts(nights):
    settings, days, *_ = nights
    text = (settings.outreach_dir(days[2].isoformat()) / "report.html").read_text("utf-8")
    section = text[text.index("<h2>모니터링 (monitoring)</h2>") :]
    assert section.count("<img") == 4  # volumes, PSI per feature, overlap, live precision
