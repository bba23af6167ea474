import polars as pl

from models.baseline import MAX_POINTS, WEIGHTS, baseline_scores
from models.household_scores import ranked as ranked_scores


def ranked(features):
    return ranked_scores(baseline_scores(features))


def frame(**overrides):
    base = {c: [0, 0, 0] for c in WEIGHTS}
    base.update(
        household_key=["a", "b", "c"],
        emd_code=["1", "1", "2"],
        sigungu_code=["x", "x", "y"],
        n_members=[1, 3, 2],
        head_age=[78, 40, 50],
        living_alone=[1, 0, 0],
    )
    base.update(overrides)
    return pl.DataFrame(base)


def test_cutoff_and_long_arrears_outrank_nothing():
    scores = ranked(frame(power_cutoff_12m=[0, 0, 1], nhis_arrears_months_max_6m=[0, 0, 8]))
    order = scores["household_key"].to_list()
    assert order[0] == "c"
    top = scores.row(0, named=True)
    assert top["score"] == round((3.0 + 2.0) / MAX_POINTS, 6)
    assert top["reasons"] == ["power_cutoff_12m", "nhis_arrears_months_max_6m"]
    assert top["reasons_ko"] == ["최근 12개월 내 단전 또는 전류제한", "건강보험료 8개월 체납"]
    assert (top["members"], top["living_alone"]) == (2, False)


def test_no_signal_zero_score_and_the_combined_reason():
    scores = ranked(frame())
    assert scores["score"].to_list() == [0.0, 0.0, 0.0]
    # a listed row always reads a reason (issue 19): the one models/reason_texts.py gives
    assert scores["reasons"].to_list() == [["combined"]] * 3
    assert scores["reasons_ko"].to_list() == [["여러 정보를 함께 본 위험 점수"]] * 3
    # ties broken by household_key so a rerun gives the same list
    assert scores["household_key"].to_list() == ["a", "b", "c"]


def test_counts_are_capped_and_team_rank_is_within_team():
    scores = ranked(frame(power_arrears_months_max_3m=[6, 12, 3]))
    a, b = (scores.filter(pl.col("household_key") == k).row(0, named=True) for k in "ab")
    assert a["score"] == b["score"]  # 12 months count as much as the cap of 6
    assert scores.filter(pl.col("emd_code") == "1")["team_rank"].to_list() == [1, 2]
    assert scores.filter(pl.col("emd_code") == "2")["team_rank"].to_list() == [1]


def test_stale_feed_null_earns_nothing():
    scores = ranked(frame(power_cutoff_12m=[None, 1, None]))
    by_key = dict(zip(scores["household_key"], scores["score"], strict=True))
    assert by_key["a"] == by_key["c"] == 0.0 < by_key["b"]


def test_every_weighted_feature_has_a_reason_text():
    from features.catalog import reasons

    assert set(WEIGHTS) <= set(reasons())


def test_tier_is_the_ventile_of_the_rank():
    n = 40
    keys = [f"h{i:02d}" for i in range(n)]
    rows = {c: [i % 7 for i in range(n)] for c in WEIGHTS}
    rows.update(household_key=keys, emd_code=["1"] * n, sigungu_code=["x"] * n,
                n_members=[1] * n, head_age=[50] * n, living_alone=[1] * n)  # fmt: skip
    scores = ranked(pl.DataFrame(rows))
    assert scores["tier"].to_list() == [20 - (r - 1) * 20 // n for r in range(1, n + 1)]
    assert scores["tier"].max() == 20 and scores["tier"].min() == 1
