from features.catalog import KEY_COLUMNS, features, reasons
from sagak.settings import FEEDS
from tests.features.tiny import features_at


def test_every_sql_feature_is_in_the_catalog_and_the_reverse(con):
    features_at(con)
    columns = [r[0] for r in con.sql("describe household_features").fetchall()]
    assert columns[: len(KEY_COLUMNS)] == list(KEY_COLUMNS)
    assert columns[len(KEY_COLUMNS) :] == list(features())


def test_catalog_entries_are_complete():
    for f in features().values():
        assert f.en and f.ko and f.unit, f.name
        # a feed, or the teams' own visit results (not a feed: handed back, never stale)
        assert f.sources and set(f.sources) <= {*FEEDS, "visits"}, f.name
        assert (f.reason_en is None) == (f.reason_ko is None), f.name


def test_canonical_features_are_catalogued_with_reasons():
    canonical = {
        "n_members", "head_age", "elderly_alone", "power_arrears_months_max_3m",
        "power_cutoff_12m", "nhis_arrears_months_max_6m", "telecom_arrears_amount_max_3m",
        "housing_arrears_months_max_3m", "job_loss_365d", "referrals_90d", "signal_feeds_6m",
        "benefit_active",
    }  # fmt: skip
    assert canonical <= set(features())
    assert "benefit_active" not in reasons() and "power_cutoff_12m" in reasons()
