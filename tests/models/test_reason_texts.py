"""The one filler of reason texts: the baseline and the model show a value alike."""

import numpy as np
import polars as pl

from models.baseline import WEIGHTS, baseline_scores
from models.reason_texts import COMBINED, MAX_REASONS, reason_lists, value_text
from models.reasons import top_reasons


def chosen(key, codes, values):
    return pl.DataFrame({"k": [key] * len(codes), "code": codes, "value": values})


def test_values_are_whole_with_thousands_separators():
    assert (value_text(38490.4), value_text(3.0), value_text(float("nan"))) == ("38,490", "3", "")
    found = reason_lists(chosen("a", ["credit_delinquent_amount_max_3m"], [38490.0]), "k")
    assert found["reasons_ko"].to_list() == [["연체 금액 38,490원"]]
    assert found["reasons_en"].to_list() == [["overdue debt of 38,490 won"]]


def test_at_most_max_reasons_strongest_first_and_no_text_twice():
    codes = [
        "water_arrears_amount_max_3m",
        "water_arrears_amount_max_12m",  # reads as the 3-month window at the same amount
        "power_cutoff_12m",
        "job_loss_365d",
        "nhis_arrears_months_max_6m",
    ]
    found = reason_lists(chosen("a", codes, [27820.0, 27820.0, 1.0, 1.0, 2.0]), "k")
    assert found["reasons"].to_list() == [
        ["water_arrears_amount_max_3m", "power_cutoff_12m", "job_loss_365d"]
    ]
    assert MAX_REASONS == 3


def one_household(signals: dict) -> pl.DataFrame:
    """One household's baseline features: every signal 0 but `signals`."""
    summary = {"household_key": ["a"], "emd_code": ["1"], "sigungu_code": ["x"]}
    summary |= {"n_members": [1], "head_age": [40], "living_alone": [0]}
    return pl.DataFrame({c: [0] for c in WEIGHTS} | signals | summary)


def test_the_baseline_and_the_model_fill_a_reason_alike():
    code, value = "credit_delinquency_days_max_3m", 1234.4
    baseline = baseline_scores(one_household({code: [value]}))
    model = top_reasons(["a"], np.array([[value]]), np.array([[0.2]]), [code])
    assert (
        baseline["reasons_ko"].to_list() == model["reasons_ko"].to_list() == [["금융 연체 1,234일"]]
    )
    assert baseline["reasons_en"].to_list() == model["reasons_en"].to_list()


def test_a_household_without_a_reason_reads_the_combined_one_from_either_scorer():
    baseline = baseline_scores(one_household({}))
    model = top_reasons(["a"], np.array([[0.0]]), np.array([[0.0]]), ["power_cutoff_12m"])
    for found in (baseline, model):
        assert found.select("reasons", "reasons_ko", "reasons_en").row(0) == (
            [COMBINED.code],
            [COMBINED.ko],
            [COMBINED.en],
        )


def test_every_key_kept_in_order_and_one_with_reasons_keeps_them():
    every = pl.DataFrame({"k": ["b", "a"], "score": [0.1, 0.9]})
    found = reason_lists(chosen("a", ["power_cutoff_12m"], [1.0]), "k", every)
    assert found.select("k", "score", "reasons").rows() == [
        ("b", 0.1, ["combined"]),
        ("a", 0.9, ["power_cutoff_12m"]),
    ]
