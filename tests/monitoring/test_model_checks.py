"""Drift, list overlap, live quality and the retraining flag on inline three-row tables
in a real DuckDB, against a champion folder written by hand."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl
import pytest

from monitoring.config import config_from
from monitoring.drift import champion_reference, feature_drift, score_drift
from monitoring.findings import by_priority, finding, recent_findings, store_findings
from monitoring.quality import live_results, quality_findings, weekly_quality
from monitoring.retrain import flag_if_sustained
from monitoring.stability import exclusion_findings, list_overlap, overlap_findings

NIGHT = date(2026, 10, 30)
CONFIG = config_from({"quality": {"min_results": 3}, "retrain": {"consecutive_nights": 3}}, "t")


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def champion(tmp_path):
    """artifacts/models/m1: metadata (features a, b; validation precision 0.55) and the
    validation rows (a, b, weight, probability)."""
    folder = tmp_path / "artifacts" / "models" / "m1"
    folder.mkdir(parents=True)
    meta = {
        "model_id": "m1",
        "trained_at": "2026-10-01T00:00:00",
        "features": ["a", "b", "c"],
        "windows": {"validation": ["2026-08-01"]},
        "metrics": {
            "champion_calibrated": {"precision_at_capacity": 0.55},
            "baseline": {"precision_at_capacity": 0.3},
        },
    }
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    pl.DataFrame(
        {
            "a": [1.0, 2.0, 3.0],
            "b": [1.0, 2.0, 3.0],
            "c": [0.0, 1.0, 1.0],
            "weight": [1.0, 1.0, 1.0],
            "probability": [0.1, 0.2, 0.3],
        }
    ).write_parquet(folder / "validation_scores.parquet")
    (folder.parent / "champion.json").write_text(json.dumps({"model_id": "m1"}), "utf-8")
    return folder


def drift_rows(con, champion, config=CONFIG):
    """{(check, feature): row} of feature_drift tonight."""
    found = feature_drift(con, NIGHT, champion_reference(champion), config)
    return {(r["check_name"], r["subject"]): r for r in found}


def test_a_feature_that_jumps_overnight_is_critical_and_a_steady_one_ok(con, champion):
    con.execute(
        "create table household_features as select * from (values "
        "(DATE '2026-10-29', 1.0, 3.0, 1.0), (DATE '2026-10-29', 2.0, 2.0, 0.0), "
        "(DATE '2026-10-29', 3.0, 1.0, 1.0), "
        "(DATE '2026-10-30', 10.0, 3.0, NULL::double), (DATE '2026-10-30', 11.0, 2.0, NULL), "
        "(DATE '2026-10-30', 12.0, 1.0, NULL)) t(as_of, a, b, c)"
    )
    rows = drift_rows(con, champion)
    a = rows[("feature_psi", "a")]
    assert a["severity"] == "critical" and a["value"] > 0.25
    assert "against the night of 2026-10-29" in a["message"]
    assert "nothing new was delivered for it since: a code or pipeline change?" in a["message"]
    assert rows[("feature_psi", "b")]["severity"] == "ok"
    assert rows[("feature_psi", "b")]["value"] == 0.0
    assert rows[("feature_psi", "c")]["severity"] == "ok"
    assert "stale tonight" in rows[("feature_psi", "c")]["message"]


def test_against_the_validation_period_drift_is_at_most_a_warning(con, champion):
    con.execute(
        "create table household_features as select * from (values "
        "(DATE '2026-10-30', 10.0, 3.0, 1.0), (DATE '2026-10-30', 11.0, 2.0, 1.0), "
        "(DATE '2026-10-30', 12.0, 1.0, 1.0)) t(as_of, a, b, c)"
    )
    rows = drift_rows(con, champion)
    a = rows[("feature_psi_validation", "a")]
    assert a["severity"] == "warning" and a["value"] > 0.25
    assert "validation period" in a["message"] and "retrain if it lasts" in a["message"]
    assert rows[("feature_psi_validation", "b")]["severity"] == "ok"
    # the first night: nothing recent to compare with, so no night-over-night judgement
    assert rows[("feature_psi", "a")]["severity"] == "ok"
    assert "no night in the last 7 days" in rows[("feature_psi", "a")]["message"]
    assert not [r for r in rows.values() if r["severity"] == "critical"]


def seasonal_world(con, tmp_path, delivered: bool):
    """A champion on power_usage_drop_pct (kepco) and head_age; usage jumps from 10-29 to
    10-30, head_age does not; kepco delivered on 10-30 or not at all."""
    folder = tmp_path / "m2"
    folder.mkdir()
    meta = {"features": ["power_usage_drop_pct", "head_age"]}
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    pl.DataFrame(
        {"power_usage_drop_pct": [1.0, 2.0, 3.0], "head_age": [40.0, 50.0, 60.0]}
    ).write_parquet(folder / "validation_scores.parquet")
    con.execute(
        "create table household_features as select * from (values "
        "(DATE '2026-10-29', 1.0, 40.0), (DATE '2026-10-29', 2.0, 50.0), "
        "(DATE '2026-10-29', 3.0, 60.0), (DATE '2026-10-30', -30.0, 40.0), "
        "(DATE '2026-10-30', -31.0, 50.0), (DATE '2026-10-30', -32.0, 60.0)) "
        "t(as_of, power_usage_drop_pct, head_age)"
    )
    day = "DATE '2026-10-30'" if delivered else "DATE '2026-09-14'"
    con.execute(f"create view current_files as select 'kepco' as feed, {day} as delivery_date")
    return folder


def test_a_seasonal_feature_moving_with_its_monthly_delivery_is_a_warning(con, tmp_path):
    rows = drift_rows(con, seasonal_world(con, tmp_path, delivered=True))
    usage = rows[("feature_psi", "power_usage_drop_pct")]
    assert usage["severity"] == "warning" and usage["value"] > 0.25
    assert "kepco delivered since: check that delivery" in usage["message"]
    assert rows[("feature_psi", "head_age")]["severity"] == "ok"


def test_a_seasonal_feature_moving_without_a_delivery_is_critical(con, tmp_path):
    rows = drift_rows(con, seasonal_world(con, tmp_path, delivered=False))
    assert rows[("feature_psi", "power_usage_drop_pct")]["severity"] == "critical"


def test_a_feature_not_declared_seasonal_is_critical_even_with_a_delivery(con, tmp_path):
    config = config_from({"psi": {"seasonal": []}}, "t")
    rows = drift_rows(con, seasonal_world(con, tmp_path, delivered=True), config)
    assert rows[("feature_psi", "power_usage_drop_pct")]["severity"] == "critical"


def test_validation_dates_when_a_feed_was_stale_are_left_out(con, tmp_path):
    folder = tmp_path / "m3"
    folder.mkdir()
    (folder / "metadata.json").write_text(
        json.dumps({"features": ["gas_usage_drop_pct", "gas_stale"]}), encoding="utf-8"
    )
    pl.DataFrame(
        {
            "as_of": [date(2026, 6, 1)] * 3 + [date(2026, 7, 1)] * 3,
            "gas_usage_drop_pct": [1.0, 2.0, 3.0, None, None, None],
            "gas_stale": [0, 0, 0, 1, 1, 1],
        }
    ).write_parquet(folder / "validation_scores.parquet")
    con.execute(
        "create table household_features as select * from (values "
        "(DATE '2026-10-30', 1.0, 0), (DATE '2026-10-30', 2.0, 0), (DATE '2026-10-30', 3.0, 0)) "
        "t(as_of, gas_usage_drop_pct, gas_stale)"
    )
    rows = drift_rows(con, folder)
    for name in ("gas_usage_drop_pct", "gas_stale"):
        assert rows[("feature_psi_validation", name)]["value"] == 0.0, name
        assert rows[("feature_psi_validation", name)]["severity"] == "ok", name


def test_without_a_champion_drift_is_not_judged(con):
    rows = feature_drift(con, NIGHT, None, CONFIG)
    assert [r["severity"] for r in rows] == ["ok"] and "baseline scorer" in rows[0]["message"]


def test_scores_against_last_night_and_the_validation_period(con, champion, tmp_path):
    last = tmp_path / "outreach" / "2026-10-29"
    last.mkdir(parents=True)
    pl.DataFrame({"score": [0.1, 0.2, 0.3]}).write_parquet(last / "ranked.parquet")
    con.execute(
        "create table household_scores as select * from (values (0.1), (0.2), (0.3)) t(score)"
    )
    rows = score_drift(con, last, champion_reference(champion), CONFIG)
    assert [(r["check_name"], r["severity"]) for r in rows] == [
        ("score_psi_last_night", "ok"),
        ("score_psi_training", "ok"),
    ]
    con.execute("create or replace table household_scores as select 0.9 as score from range(3)")
    rows = score_drift(con, last, champion_reference(champion), CONFIG)
    # against last night: critical; against the validation period (another season): a warning
    assert [r["severity"] for r in rows] == ["critical", "warning"]
    assert rows[1]["value"] > 0.25 and "retrain if it lasts" in rows[1]["message"]


def write_night(outreach, night: str, rows: dict, scorer: str = "m1"):
    folder = outreach / night
    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(rows).write_parquet(folder / "ranked.parquet")
    (folder / "manifest.json").write_text(json.dumps({"scorer": scorer}), encoding="utf-8")
    return folder


def scored_list(con, tonight_ranks):
    """household_scores of a, b, c (team e1) with the given ranks; tiers 20, 17, 5."""
    keys = ["a", "b", "c"]
    frame = pl.DataFrame(
        {
            "household_key": keys,
            "emd_code": ["e1"] * 3,
            "rank": tonight_ranks,
            "team_rank": tonight_ranks,
            "tier": [20, 17, 5],
        }
    )
    con.register("scores_frame", frame.to_arrow())
    con.execute("create or replace table household_scores as from scores_frame")


def test_list_overlap_of_three_households(con, tmp_path):
    last = write_night(
        tmp_path,
        "2026-10-29",
        {
            "household_key": ["a", "c", "b"],
            "emd_code": ["e1"] * 3,
            "rank": [1, 2, 3],
            "team_rank": [1, 2, 3],
            "tier": [20, 5, 17],
            "score": [0.9, 0.5, 0.4],
        },
    )
    scored_list(con, [1, 2, 3])  # tonight's top 2: a, b; last night's: a, c
    overlap = list_overlap(con, last, {"e1": 2})
    whole = overlap.filter(pl.col("subject") == "all").to_dicts()[0]
    assert (whole["tonight"], whole["last_night"], whole["common"]) == (2, 2, 1)
    assert whole["jaccard"] == pytest.approx(1 / 3)
    assert (whole["top_tier_share"], whole["top_tier_share_last"]) == (1.0, 0.5)
    rows = overlap_findings(overlap, "2026-10-29", config_from({}, "t"))
    assert rows[0]["check_name"] == "list_overlap" and rows[0]["severity"] == "warning"
    assert "1 of tonight's top 2" in rows[0]["message"]


def test_the_same_top_is_a_full_overlap(con, tmp_path):
    last = write_night(
        tmp_path,
        "2026-10-29",
        {
            "household_key": ["a", "b", "c"],
            "emd_code": ["e1"] * 3,
            "rank": [1, 2, 3],
            "team_rank": [1, 2, 3],
            "tier": [20, 17, 5],
            "score": [0.9, 0.5, 0.4],
        },
    )
    scored_list(con, [1, 2, 3])
    rows = overlap_findings(list_overlap(con, last, {"e1": 2}), "x", config_from({}, "t"))
    assert (rows[0]["value"], rows[0]["severity"]) == (1.0, "ok")


def test_excluded_shares_per_reason(tmp_path):
    tonight = write_night(tmp_path, "2026-10-30", {"excluded_reason": [None, "deceased", "moved"]})
    rows = {r["subject"]: r["value"] for r in exclusion_findings(tonight / "ranked.parquet", None)}
    assert rows == pytest.approx({"any": 2 / 3, "deceased": 1 / 3, "moved": 1 / 3})


def visits_table(con, outcomes):
    keys = ["a", "b", "c"]
    con.execute(
        "create or replace table visits (household_key varchar, assigned_date date, "
        "outcome varchar, reported_on date, visit_date date)"
    )
    for key, outcome in zip(keys, outcomes, strict=True):
        con.execute(
            "insert into visits values (?, DATE '2026-09-01', ?, DATE '2026-10-20', "
            "DATE '2026-09-10')",
            [key, outcome],
        )


def listed(outreach):
    write_night(
        outreach,
        "2026-09-01",
        {
            "household_key": ["a", "b", "c"],
            "score": [0.6, 0.6, 0.6],
            "sigungu_code": ["1"] * 3,
            "exploration": [False] * 3,
            "assigned": [True] * 3,
        },
    )


def test_live_precision_that_falls_is_critical(con, tmp_path):
    listed(tmp_path)
    visits_table(con, ["not_in_need", "not_in_need", "not_in_need"])
    weekly = weekly_quality(live_results(con, tmp_path, NIGHT))
    rows = {
        r["check_name"]: r
        for r in quality_findings(weekly, "m1", {"precision_at_capacity": 0.55}, CONFIG)
    }
    live = rows["live_precision"]
    assert (live["subject"], live["value"], live["baseline"]) == ("2026-08-31 list", 0.0, 0.55)
    assert live["severity"] == "critical" and "consider retraining" in live["message"]
    assert rows["live_calibration"]["severity"] == "critical"


def test_live_precision_as_validated_is_ok(con, tmp_path):
    listed(tmp_path)
    visits_table(con, ["confirmed_crisis", "confirmed_crisis", "not_in_need"])
    weekly = weekly_quality(live_results(con, tmp_path, NIGHT))
    rows = quality_findings(weekly, "m1", {"precision_at_capacity": 0.55}, CONFIG)
    assert [(r["check_name"], r["severity"]) for r in rows] == [
        ("live_precision", "ok"),
        ("live_calibration", "ok"),
    ]


def test_fewer_results_than_min_results_are_not_judged(con, tmp_path):
    listed(tmp_path)
    visits_table(con, ["not_in_need", "not_in_need", "not_in_need"])
    weekly = weekly_quality(live_results(con, tmp_path, NIGHT))
    strict = config_from({"quality": {"min_results": 4}}, "t")
    assert quality_findings(weekly, "m1", {"precision_at_capacity": 0.55}, strict) == []


def model_night(con, night, rows):
    store_findings(con, night, "model", rows)


def psi_row(feature, severity="warning"):
    """Drift from the validation period past psi.critical (stored as a warning)."""
    return finding(
        "feature_psi_validation", feature, 0.4, None, 0.1, severity, f"{feature}: PSI 0.400"
    )


LIVE = finding("live_precision", "2026-10-26 list", 0.0, 0.55, 0.2, "critical", "live: 0%")


def test_three_critical_nights_in_a_row_flag_the_champion(con, champion):
    from models.registry import list_models

    for day in (28, 29, 30):
        model_night(con, date(2026, 10, day), [LIVE])
    artifacts = champion.parents[1]
    flag = flag_if_sustained(con, artifacts, "m1", NIGHT, CONFIG)
    assert flag["nights"] == 3 and flag["findings"] == ["live: 0%"]
    assert list_models(artifacts)[0]["retrain"]["flagged_on"] == "2026-10-30"


def test_an_interrupted_run_does_not_flag(con, champion):
    from models.registry import list_models

    for day, rows in ((28, [LIVE]), (29, []), (30, [LIVE])):
        model_night(con, date(2026, 10, day), rows or [psi_row("a", "ok")])
    artifacts = champion.parents[1]
    assert flag_if_sustained(con, artifacts, "m1", NIGHT, CONFIG) is None
    assert list_models(artifacts)[0]["retrain"] is None


def test_drift_counts_from_min_drifted_features_on(con, champion):
    artifacts = champion.parents[1]
    for day in (28, 29, 30):  # two drifted features a night: each is its own feed's business
        model_night(con, date(2026, 10, day), [psi_row("a"), psi_row("b")])
    assert flag_if_sustained(con, artifacts, "m1", NIGHT, CONFIG) is None
    for day in (28, 29, 30):
        model_night(con, date(2026, 10, day), [psi_row("a"), psi_row("b"), psi_row("c")])
    flag = flag_if_sustained(con, artifacts, "m1", NIGHT, CONFIG)
    assert flag["findings"] == ["a: PSI 0.400", "b: PSI 0.400", "c: PSI 0.400"]


def test_seasonal_features_and_the_score_alone_do_not_flag(con, champion):
    artifacts = champion.parents[1]
    score = finding("score_psi_training", "score", 0.5, None, 0.1, "warning", "score: PSI 0.5")
    for day in (28, 29, 30):  # the season moved: two seasonal features and the score
        seasonal = [psi_row("power_usage_drop_pct"), psi_row("gas_usage_drop_pct")]
        model_night(con, date(2026, 10, day), [psi_row("a"), *seasonal, score])
    assert flag_if_sustained(con, artifacts, "m1", NIGHT, CONFIG) is None


def test_excluded_shares_against_last_night_read_only_its_ranked_list(tmp_path):
    last = write_night(tmp_path, "2026-10-29", {"excluded_reason": ["deceased", None]})
    (last / "web").mkdir()  # a published night holds other Parquet files too
    pl.DataFrame({"household_key": ["a"]}).write_parquet(last / "web" / "assignments.parquet")
    tonight = write_night(tmp_path, "2026-10-30", {"excluded_reason": [None, "deceased", "moved"]})
    rows = {r["subject"]: r for r in exclusion_findings(tonight / "ranked.parquet", last)}
    assert rows["deceased"]["baseline"] == pytest.approx(0.5)


def test_when_the_month_turned_a_jump_without_delivery_is_a_warning(con, champion):
    con.execute(
        "create table household_features as select * from (values "
        "(DATE '2026-09-30', 1.0, 1.0, 1.0), (DATE '2026-09-30', 2.0, 2.0, 1.0), "
        "(DATE '2026-09-30', 3.0, 3.0, 1.0), (DATE '2026-10-01', 10.0, 1.0, 1.0), "
        "(DATE '2026-10-01', 11.0, 2.0, 1.0), (DATE '2026-10-01', 12.0, 3.0, 1.0)) "
        "t(as_of, a, b, c)"
    )
    found = feature_drift(con, date(2026, 10, 1), champion_reference(champion), CONFIG)
    a = {(r["check_name"], r["subject"]): r for r in found}[("feature_psi", "a")]
    assert a["severity"] == "warning" and a["value"] > 0.25
    assert "the month turned since" in a["message"]


def test_findings_are_ordered_by_what_to_do_first():
    rows = [
        finding("feature_psi_validation", "x", 0.9, None, 0.1, "warning", "drift x"),
        finding("feature_psi", "y", 0.5, None, 0.25, "critical", "jump y"),
        finding("live_precision", "w list", 0.1, 0.5, 0.2, "critical", "live"),
        finding("volume", "kepco", 100, 2000, 500, "critical", "kepco 5%"),
        finding("feature_psi", "z", 0.2, None, 0.1, "warning", "jump z"),
        finding("team_overlap", "e1", 0.5, None, None, "ok", "team"),
    ]
    assert [r["message"] for r in by_priority(rows)] == [
        "kepco 5%",
        "live",
        "jump y",
        "jump z",
        "drift x",
        "team",
    ]


def test_recent_findings_come_newest_night_first_in_that_order(con):
    store_findings(con, date(2026, 10, 29), "model", [psi_row("a")])
    store_findings(
        con,
        NIGHT,
        "model",
        [psi_row("a"), finding("volume", "kepco", 1, 20, 5, "critical", "kepco")],
    )
    store_findings(con, NIGHT, "feeds", [finding("blanks", "gas.m3", 1, 0, 0.5, "ok", "gas")])
    found = recent_findings(con, 2)
    assert [(r["night"], r["subject"]) for r in found] == [
        (NIGHT, "kepco"),
        (NIGHT, "a"),
        (NIGHT, "gas.m3"),
        (date(2026, 10, 29), "a"),
    ]
