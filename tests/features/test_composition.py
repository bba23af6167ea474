from datetime import date

from tests.features.tiny import features_at


def test_members_and_head_age_at_as_of(con):
    f = features_at(con)
    # the deceased parent of h2 and the deceased wife of h3 do not count
    assert [f[h]["n_members"] for h in ("h1", "h2", "h3", "h4")] == [1, 3, 1, 1]
    # whole years: h1's head turns 78 the day after, h3's head turns 66 on the day
    assert [f[h]["head_age"] for h in ("h1", "h2", "h3", "h4")] == [77, 45, 66, 64]
    assert features_at(con, date(2026, 6, 16))["h1"]["head_age"] == 78


def test_elderly_alone_needs_one_member_of_65_or_more(con):
    f = features_at(con)
    assert (f["h1"]["elderly_alone"], f["h3"]["elderly_alone"]) == (1, 1)
    assert (f["h2"]["elderly_alone"], f["h4"]["elderly_alone"]) == (0, 0)  # 3 members; 64


def test_composition_flags(con):
    h2 = features_at(con)["h2"]
    assert (h2["n_children"], h2["any_disabled"], h2["living_alone"], h2["single_parent"]) == (
        1,
        1,
        0,
        0,
    )
    assert h2["sigungu_code"] == "48170" and h2["emd_code"] == "4817052000"


def test_single_parent_and_grandparents(con):
    con.execute(
        """insert into stg_registry values
        ('q1','h5','head','1990-01-01','F',false,'4817051000',null,false,'2026-06-01'),
        ('q2','h5','child','2018-01-01','M',false,'4817051000',null,false,'2026-06-01'),
        ('q3','h6','head','1955-01-01','F',false,'4817051000',null,false,'2026-06-01'),
        ('q4','h6','other','2014-01-01','M',false,'4817051000',null,false,'2026-06-01')"""
    )
    f = features_at(con)
    assert (f["h5"]["single_parent"], f["h5"]["grandparent_grandchild"]) == (1, 0)
    assert (f["h6"]["single_parent"], f["h6"]["grandparent_grandchild"]) == (0, 1)


def test_registry_snapshot_latest_at_as_of(con):
    # a later snapshot moves h1 to another team: not before it was delivered
    con.execute(
        "insert into stg_registry values "
        "('p1','h1','head','1948-06-16','F',false,'4817059000',null,false,'2026-07-01')"
    )
    assert features_at(con)["h1"]["emd_code"] == "4817051000"
    assert features_at(con, date(2026, 7, 2))["h1"]["emd_code"] == "4817059000"
