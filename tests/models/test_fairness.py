"""Fairness audit: Aequitas group metrics and disparities, recomputable by hand."""

import polars as pl
import pytest

from models.fairness import ATTRIBUTES, MIN_FLAG_GROUP, disparities, group_metrics


def audit_rows():
    # group a: 4 rows, 2 selected (1 tp, 1 fp), 2 not (1 fn, 1 tn); group b: 2 rows, 1 tp, 1 tn
    return pl.DataFrame(
        {
            "score": [0.9, 0.8, 0.2, 0.1, 0.7, 0.1],
            "label_value": [1, 0, 1, 0, 1, 0],
            "city": ["a", "a", "a", "a", "b", "b"],
            "selected": [True, True, False, False, True, False],
        }
    )


def test_group_metrics_follow_the_aequitas_definitions():
    groups = group_metrics(audit_rows(), "city").sort("attribute_value")
    a, b = groups.to_dicts()
    assert (a["group_size"], a["tp"], a["fp"], a["fn"], a["tn"]) == (4, 1, 1, 1, 1)
    assert a["ppr"] == pytest.approx(2 / 3) and a["pprev"] == 0.5
    assert (a["precision"], a["fdr"], a["for"], a["fpr"], a["fnr"], a["tpr"]) == (
        0.5,
        0.5,
        0.5,
        0.5,
        0.5,
        0.5,
    )
    assert (b["precision"], b["fnr"], b["fpr"]) == (1.0, 0.0, 0.0)
    assert a["mean_score"] == pytest.approx(0.5) and a["observed_rate"] == 0.5


def test_disparities_divide_by_the_largest_group_and_flag_the_far_ones():
    table = disparities(group_metrics(audit_rows(), "city"), min_group=2)
    table = table.sort("attribute_value")
    assert table["reference"].to_list() == ["a", "a"]
    assert table["precision_disparity"].to_list() == [1.0, 2.0]
    assert table["flagged"].to_list() == [False, True]


def test_a_group_smaller_than_the_minimum_is_never_flagged():
    table = disparities(group_metrics(audit_rows(), "city")).sort("attribute_value")
    assert MIN_FLAG_GROUP == 30 and table["precision_disparity"].to_list() == [1.0, 2.0]
    assert table["flagged"].to_list() == [False, False]
    assert disparities(group_metrics(audit_rows(), "city"), min_group=3)["flagged"].sum() == 0


def test_the_audit_covers_the_five_attributes():
    assert ATTRIBUTES == ("city", "age_band", "household_type", "head_sex", "disability")


def test_the_trained_model_has_its_audit_files_and_warehouse_rows(trained):
    from models.registry import registry_dir
    from sagak.warehouse import warehouse

    settings, _, meta = trained
    folder = registry_dir(settings.artifacts) / meta["model_id"]
    rows = pl.read_parquet(folder / "audit_input.parquet")
    assert {"score", "label_value", "selected", *ATTRIBUTES} <= set(rows.columns)
    assert rows["label_value"].is_not_null().all()
    table = pl.read_parquet(folder / "fairness.parquet")
    assert set(table["attribute_name"]) == set(ATTRIBUTES)
    with warehouse(settings, read_only=True) as con:
        stored = con.sql(
            "select count(*) from fairness_audit where model_id = $m",
            params={"m": meta["model_id"]},
        ).fetchall()[0][0]
    assert stored == table.height
    for name in ("model_card.md", "model_card.html"):
        assert (folder / name).stat().st_size > 500, name
    assert "data:image/png;base64," in (folder / "model_card.html").read_text()
