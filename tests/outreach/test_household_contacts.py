from datetime import date

from ingest.history import rebuild_history
from outreach.visits import household_contacts
from tests.outreach.conftest import AS_OF, add_snapshot


def contacts_at(con, as_of):
    rebuild_history(con, "registry")  # after the test's changes to stg_registry, as ingest would
    household_contacts(con, as_of)
    return {row[0]: row[2:] for row in con.sql("select * from household_contacts").fetchall()}


def test_latest_snapshot_on_or_before_as_of(con):
    rows = contacts_at(con, AS_OF)
    assert rows["h1"] == ("가구h1-f-may", "010-h1", "진주시 h1로 f-may")
    assert sorted(rows) == ["h1", "h2", "h3", "h4", "h5"]


def test_a_later_snapshot_is_never_used(con):
    names = {key: row[0] for key, row in contacts_at(con, AS_OF).items()}
    assert not any("f-jun" in name for name in names.values())
    # the day before May's delivery, April's snapshot is the latest
    assert contacts_at(con, date(2024, 5, 30))["h1"][0] == "가구h1-f-apr"


def test_the_head_not_another_member(con):
    # a grandmother older than the head joins h1: the head is still the contact
    con.execute(
        "insert into stg_registry values ('h1-gran', 'h1', 'parent', '1930-01-01', 'F', false, "
        "'4817051000', null, false, ?)",
        [AS_OF],
    )
    con.execute(
        "insert into sagak_contacts.contacts values ('h1-gran', 'h1', '할머니', '010-0', 'x', 'f-may', ?)",
        [AS_OF],
    )
    rows = contacts_at(con, AS_OF)
    assert rows["h1"][0] == "가구h1-f-may"
    assert all(not name.startswith(("자녀", "할머니")) for name, _, _ in rows.values())


def test_without_a_head_the_oldest_living_member(con):
    con.execute("delete from stg_registry where person_key = 'h2-head'")
    con.execute("update stg_registry set deceased = true where person_key = 'h1-head'")
    rows = contacts_at(con, AS_OF)
    assert rows["h2"][0] == "자녀h2"
    assert rows["h1"][0] == "자녀h1"


def test_team_comes_from_the_snapshot(con):
    household_contacts(con, AS_OF)
    teams = dict(con.sql("select household_key, emd_code from household_contacts").fetchall())
    assert teams["h2"] == "4817052000"
    assert teams["h1"] != teams["h2"]


def test_a_second_version_of_the_same_day_replaces_the_first(con):
    con.execute("delete from stg_registry where delivery_date = ?", [AS_OF])
    con.execute("update sagak_contacts.contacts set name = name || '-v1' where file_id = 'f-may'")
    add_snapshot(con, "f-may-v2", AS_OF, version=2)
    name = contacts_at(con, AS_OF)["h1"][0]
    assert name == "가구h1-f-may-v2"
    assert not name.endswith("-v1")


def test_nothing_delivered_yet_means_no_contacts(con):
    assert contacts_at(con, date(2024, 1, 1)) == {}


def test_a_person_repeated_in_the_file_gives_one_row(con):
    con.execute(
        "insert into sagak_contacts.contacts select * from sagak_contacts.contacts where file_id = 'f-may'"
    )
    household_contacts(con, AS_OF)
    keys = [row[0] for row in con.sql("select household_key from household_contacts").fetchall()]
    assert sorted(keys) == ["h1", "h2", "h3", "h4", "h5"]


def test_restricted_to_open_assignments_and_escalations_gives_the_same_rows(con):
    everyone = contacts_at(con, AS_OF)
    con.execute("create table assignments (household_key varchar, status varchar)")
    con.execute("insert into assignments values ('h1', 'open'), ('h2', 'closed')")
    con.execute("create table visits (household_key varchar, reported_on date, outcome varchar)")
    con.execute(
        "insert into visits values ('h3', ?, 'unreachable'), ('h3', ?, 'unreachable'), "
        "('h4', ?, 'unreachable'), ('h5', ?, 'unreachable'), ('h5', ?, 'unreachable')",
        [AS_OF, AS_OF, AS_OF, AS_OF, date(2099, 1, 1)],
    )
    household_contacts(con, AS_OF, restricted=True)
    rows = {row[0]: row[2:] for row in con.sql("select * from household_contacts").fetchall()}
    assert sorted(rows) == ["h1", "h3"]  # h5's second attempt is reported after AS_OF
    assert rows == {key: everyone[key] for key in ("h1", "h3")}
