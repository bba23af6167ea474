"""Training for the households a night can list, with labels the old rules did not select."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from models.candidates import Blend, feature_names, matrix
from models.estimate import expected_precision, list_precision, team_top
from models.train import best, evidence_model, visit_model
from models.training_set import training_set
from tests.features.tiny import put
from tests.models.test_training_set import world

JUNE, JULY = date(2026, 6, 1), date(2026, 7, 1)


def rows_with_exclusions_and_evidence(tmp_path, known_by=None):
    con = world(tmp_path / "w.duckdb")
    for delivered in ("2026-05-20", "2026-06-25"):
        put(con, "benefits", delivered, household_key="h3", program="housing",
            start_date=date(2025, 1, 1))  # fmt: skip
    put(con, "benefits", "2026-07-15", household_key="h1", program="livelihood",
        start_date=date(2026, 7, 10))  # fmt: skip
    put(con, "benefits", "2026-07-15", household_key="h2", program="housing",
        start_date=date(2026, 7, 10))  # fmt: skip
    put(con, "referrals", "2026-06-16", household_key="h4", referral_date=date(2026, 6, 15),
        source="police")  # fmt: skip
    con.execute(
        "insert into visits values ('h4', null, '2026-04-01', 'unreachable', 'random', true, "
        "'2026-04-30'), ('h4', null, '2026-05-02', 'unreachable', 'rule:cutoff', false, "
        "'2026-05-29')"
    )
    rows = training_set(con, [JUNE, JULY], known_by=known_by)
    return {(r["as_of"], r["household_key"]): r for r in rows.iter_rows(named=True)}


def test_rows_say_whether_the_night_could_have_listed_the_household(tmp_path):
    rows = rows_with_exclusions_and_evidence(tmp_path)
    listable = {key: row["listable"] for key, row in rows.items()}
    assert listable[(JUNE, "h1")] and listable[(JUNE, "h2")]
    assert not listable[(JUNE, "h3")]  # a housing benefit is active
    assert not listable[(JUNE, "h4")]  # unreachable twice: escalated, not listed
    # results handed back on June 30: by July 1, h1 and h2 were met within 60 days
    assert not listable[(JULY, "h1")] and not listable[(JULY, "h2")]


def test_evidence_is_a_later_referral_or_livelihood_or_emergency_start_known_in_time(tmp_path):
    rows = rows_with_exclusions_and_evidence(tmp_path)
    evidence = {key: row["evidence"] for key, row in rows.items()}
    assert evidence[(JUNE, "h4")]  # referred on June 15
    assert not evidence[(JULY, "h4")]  # that referral came before July 1
    assert evidence[(JULY, "h1")]  # livelihood from July 10
    assert not evidence[(JULY, "h2")]  # a housing grant is not a sign of crisis
    (tmp_path / "late").mkdir()
    late = rows_with_exclusions_and_evidence(tmp_path / "late", known_by=date(2026, 6, 10))
    assert not late[(JUNE, "h4")]["evidence"]  # delivered June 16, after results known by


def frame(listable_label, excluded_label, n_listable=40, n_excluded=400):
    """Rows with one signal x (power_cutoff_12m): listable rows labelled by `listable_label(x)`,
    excluded ones (many more) by `excluded_label(x)`."""
    names = feature_names()
    x = np.tile([0.0, 1.0], (n_listable + n_excluded) // 2)
    listable = np.arange(len(x)) < n_listable
    y = np.where(listable, listable_label(x), excluded_label(x)).astype(int)
    data = {n: np.zeros(len(x)) for n in names} | {"power_cutoff_12m": x}
    return pl.DataFrame(data).with_columns(
        label=pl.Series(y),
        evidence=pl.Series(y.astype(bool)),
        listable=pl.Series(listable),
        exploration=pl.lit(False),
        weight=pl.lit(1.0),
    )


def test_models_learn_only_from_households_the_night_could_list():
    rows = frame(lambda x: x, lambda x: 1 - x)  # the excluded say the opposite
    x = matrix(pl.DataFrame({n: [0.0, 1.0] if n == "power_cutoff_12m" else [0.0, 0.0]
                             for n in feature_names()}), feature_names())  # fmt: skip
    for model in (visit_model("logistic", {"C": 1.0}, rows, 0), evidence_model(rows, 0)):
        p = model.predict_proba(x)[:, 1]
        assert p[1] > p[0] + 0.3  # the cut-off raises the risk, as among the listable


def test_the_blend_averages_the_two_models_on_the_log_odds_scale():
    rows = frame(lambda x: x, lambda x: x)
    visit = visit_model("logistic", {"C": 1.0}, rows, 0)
    evidence = evidence_model(rows, 0)
    x = matrix(rows.head(2), feature_names())
    blend = Blend(visit, evidence, weight=0.5)

    def logit(m):
        p = m.predict_proba(x)[:, 1]
        return np.log(p / (1 - p))

    assert np.allclose(blend.decision_function(x), (logit(visit) + logit(evidence)) / 2)
    # the candidates share the evidence model's probabilities: the same log-odds exactly
    shared = evidence.predict_proba(x)[:, 1]
    assert np.array_equal(blend.decision_function(x, shared), blend.decision_function(x))
    assert not np.array_equal(blend.decision_function(x, 1 - shared), blend.decision_function(x))


def picks():
    """Two teams of capacity 2 on one date; scores, labels and how each was visited."""
    return pl.DataFrame(
        {
            "household_key": [f"k{i}" for i in range(8)],
            "as_of": [JUNE] * 8,
            "emd_code": ["A"] * 4 + ["B"] * 4,
            "score": [0.9, 0.8, 0.7, 0.1, 0.9, 0.8, 0.2, 0.1],
            "listable": [True, True, True, True, False, True, True, True],
            "label": [1, None, 0, 1, 1, 0, None, 1],
            "selected_by": [
                "rule:cutoff",
                None,
                "random",
                "random",
                "rule:cutoff",
                "referral",
                "random",
                None,
            ],  # fmt: skip
            "exploration": [False, False, True, True, False, False, True, False],
        }
    )


def test_each_team_picks_its_capacity_among_the_listable():
    chosen = team_top(picks(), {"A": 2, "B": 2}, "score").filter(pl.col("selected"))
    assert sorted(chosen["household_key"]) == ["k0", "k1", "k5", "k6"]  # k4 is not listable


def test_the_estimate_weighs_rule_visited_picks_and_the_random_share_by_their_sizes():
    chosen = team_top(picks(), {"A": 3, "B": 2}, "score")
    out = list_precision(chosen)
    # picks k0 k1 k2 (A), k5 k6 (B): visited by a selection k0 (1), k5 (0): rate 0.5 on 2 of 5;
    # the other three (k1 unvisited, k2 random 0, k6 random, unlabelled): random rate 0/1
    assert out["picks"] == 5 and out["chosen_share"] == 0.4
    assert (out["chosen_rate"], out["chance_rate"], out["chance_labels"]) == (0.5, 0.0, 1)
    assert out["estimate"] == 0.2 and out["low"] <= 0.2 <= out["high"]
    assert out["labelled_only"] == 1 / 3  # k0, k2, k5: biased by who was visited


def test_no_hit_among_few_random_visits_is_not_certainty():
    chosen = team_top(picks(), {"A": 3, "B": 2}, "score")
    out = list_precision(chosen)
    assert out["chance_rate"] == 0.0 and out["high"] - out["low"] > 0.3


def test_no_estimate_when_picks_nobody_visited_at_random_have_no_label():
    chosen = team_top(picks().with_columns(exploration=pl.lit(False)), {"A": 3, "B": 2}, "score")
    assert list_precision(chosen)["estimate"] is None


def test_the_winner_is_chosen_by_its_teams_picks_among_the_listable():
    def result(name, teams_picks, over_everyone):
        listed = {"estimate": 0.2, "labelled_only": teams_picks}
        metrics = {"list": listed, "precision_at_capacity": over_everyone, "pr_auc": 0.3}
        return {"kind": name, "metrics": metrics}

    chosen = best([result("ranks the excluded", 0.30, 0.60), result("lists well", 0.40, 0.50)])
    assert chosen["kind"] == "lists well"


def test_expected_precision_is_the_picks_mean_probability_by_weight():
    frame = pl.DataFrame(
        {
            "selected": [True, True, True, False],
            "p": [0.5, 0.1, 0.2, 0.9],
            "weight": [1.0, 1.0, 2.0, 5.0],
        }
    )
    assert expected_precision(frame, "p") == pytest.approx(0.25)
    assert expected_precision(frame.drop("weight"), "p") == pytest.approx(0.8 / 3)
    assert expected_precision(frame.filter(~pl.col("selected")), "p") is None


def supported_rows(n=3000, seed=0):
    """Listable rows whose label follows one signal, and supported ones (an active benefit)
    found in crisis at 60% whatever the signal: neither model learns from the supported."""
    rng = np.random.default_rng(seed)
    names = feature_names()
    signal = rng.integers(0, 2, n).astype(float)
    benefit = (np.arange(n) % 4 == 0).astype(float)
    chance = np.where(benefit > 0, 0.6, np.where(signal > 0, 0.3, 0.05))
    y = (rng.random(n) < chance).astype(int)
    data = {name: np.zeros(n) for name in names}
    data |= {"power_cutoff_12m": signal, "benefit_active": benefit}
    return pl.DataFrame(data).with_columns(
        household_key=pl.Series([f"h{i}" for i in range(n)]),
        as_of=pl.lit(JUNE),
        emd_code=pl.Series(["A", "B"] * (n // 2)),
        label=pl.Series(y),
        evidence=pl.Series(y.astype(bool)),
        listable=pl.Series(benefit == 0),
        selected_by=pl.lit("rule:cutoff"),
        exploration=pl.lit(False),
        weight=pl.lit(1.0),
    )


def test_supported_households_get_probabilities_from_their_own_visits():
    from models.train import TrainConfig, calibrated_winner

    rows = supported_rows()
    blend = Blend(visit_model("logistic", {"C": 1.0}, rows, 0), evidence_model(rows, 0))
    x = matrix(rows, feature_names())
    before = blend.decision_function(x)
    model, *_ = calibrated_winner({"model": blend}, rows, TrainConfig(as_of=JULY))
    p = model.predict_proba(x)[:, 1]
    supported = rows["benefit_active"].to_numpy() > 0
    assert abs(p[supported].mean() - 0.6) < 0.05  # without the shift: about 0.1
    listable = ~supported
    assert abs(p[listable].mean() - rows.filter(pl.col("listable"))["label"].mean()) < 0.03
    # the listable households' log-odds, hence their order, do not move
    assert np.array_equal(blend.decision_function(x)[listable], before[listable])


def test_a_blend_saved_before_the_supported_shift_still_scores():
    import pickle

    rows = frame(lambda x: x, lambda x: x)
    blend = Blend(visit_model("logistic", {"C": 1.0}, rows, 0), evidence_model(rows, 0))
    x = matrix(rows.head(2), feature_names())
    old = pickle.loads(pickle.dumps(blend))
    del old.__dict__["supported_shift"]  # as a model of the day before was saved
    reloaded = pickle.loads(pickle.dumps(old))
    assert reloaded.supported_shift == 0.0
    assert np.array_equal(reloaded.decision_function(x), blend.decision_function(x))
