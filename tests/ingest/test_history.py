"""The registry's history (ingest/history.py) follows its snapshots through the real ingest:
one row per person and version, right whatever order the snapshots arrive in and after a
corrected `_v2`; at every snapshot date its valid versions are exactly that snapshot's rows."""

from __future__ import annotations

import datetime as dt

from ingest.history import rebuild_history
from ingest.staging import refresh_staging
from tests.ingest.conftest import RRN_A, RRN_B, RRN_C, rows

HEADER = "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,"
HEADER += "moved_in,deceased\n"
# each person's birth date names them in the rows the tests read back
BORN = {RRN_A: "1950-01-01", RRN_B: "1960-01-01", RRN_C: "1970-01-01"}
COLUMNS = (
    "person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in, deceased"
)
HISTORY = (
    "select birth_date::varchar, emd_code, valid_from::varchar, valid_to::varchar "
    "from registry_history order by birth_date, valid_from"
)


def registry(inbox, name: str, **emd_of: str) -> None:
    """A registry snapshot `registry/<name>.csv`: each rrn (by variable name) in its emd code.
    The file's name is the people's name, so no two snapshots have the same bytes."""
    rrns = {"A": RRN_A, "B": RRN_B, "C": RRN_C}
    lines = [
        f"{rrns[k]},1000000000{i},head,{name},{BORN[rrns[k]]},F,N,,주소,{emd},2001-05-01,N\n"
        for i, (k, emd) in enumerate(emd_of.items())
    ]
    inbox.csv(f"registry/{name}.csv", HEADER + "".join(lines))


def same_as_snapshots(con) -> None:
    """At every snapshot date the versions valid then are that snapshot's rows, and the history
    equals one built anew from every snapshot."""
    at_dates = f"""
        select {COLUMNS}, s.delivery_date from registry_history h
        join history_snapshots s on s.feed = 'registry'
            and h.valid_from <= s.delivery_date
            and coalesce(h.valid_to, 'infinity'::date) > s.delivery_date"""
    snapshots = f"select distinct {COLUMNS}, delivery_date from stg_registry"
    assert sorted(rows(con, at_dates), key=repr) == sorted(rows(con, snapshots), key=repr)
    kept = sorted(rows(con, "from registry_history"), key=repr)
    rebuild_history(con, "registry")
    assert sorted(rows(con, "from registry_history"), key=repr) == kept


def test_one_row_per_person_and_version(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260601", A="4817052000", C="4817051000")
    ingest()
    assert rows(con, HISTORY) == [
        ("1950-01-01", "4817051000", "2026-04-01", "2026-06-01"),
        ("1950-01-01", "4817052000", "2026-06-01", None),
        ("1960-01-01", "4817051000", "2026-04-01", "2026-06-01"),
        ("1970-01-01", "4817051000", "2026-06-01", None),
    ]
    assert rows(con, "select count(*) from stg_registry") == [(6,)]
    same_as_snapshots(con)


def test_snapshots_one_night_at_a_time(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817053000")
    registry(inbox, "registry_20260601", A="4817051000", B="4817051000")
    for night in ("2026-04-30", "2026-05-31", "2026-06-30"):
        ingest(dt.date.fromisoformat(night))
    # A back in 51 is a new version; B gone in May and back in June too
    assert rows(con, HISTORY) == [
        ("1950-01-01", "4817051000", "2026-04-01", "2026-05-01"),
        ("1950-01-01", "4817053000", "2026-05-01", "2026-06-01"),
        ("1950-01-01", "4817051000", "2026-06-01", None),
        ("1960-01-01", "4817051000", "2026-04-01", "2026-05-01"),
        ("1960-01-01", "4817051000", "2026-06-01", None),
    ]
    same_as_snapshots(con)


def test_a_late_snapshot_dated_before_the_latest(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260601", A="4817052000", C="4817051000")
    ingest()
    # May's snapshot arrives after June's: the history is rebuilt from May on
    registry(inbox, "registry_20260501", A="4817053000", B="4817051000")
    ingest()
    assert rows(con, HISTORY) == [
        ("1950-01-01", "4817051000", "2026-04-01", "2026-05-01"),
        ("1950-01-01", "4817053000", "2026-05-01", "2026-06-01"),
        ("1950-01-01", "4817052000", "2026-06-01", None),
        ("1960-01-01", "4817051000", "2026-04-01", "2026-06-01"),
        ("1970-01-01", "4817051000", "2026-06-01", None),
    ]
    same_as_snapshots(con)


def test_a_corrected_v2_replaces_its_snapshot(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817059000", B="4817051000")
    registry(inbox, "registry_20260601", A="4817051000", B="4817051000")
    ingest()
    assert ("1950-01-01", "4817059000", "2026-05-01", "2026-06-01") in rows(con, HISTORY)
    # May's extract was wrong: A never moved, C was there
    registry(inbox, "registry_20260501_v2", A="4817051000", B="4817051000", C="4817051000")
    ingest()
    assert rows(con, HISTORY) == [
        ("1950-01-01", "4817051000", "2026-04-01", None),
        ("1960-01-01", "4817051000", "2026-04-01", None),
        ("1970-01-01", "4817051000", "2026-05-01", "2026-06-01"),
    ]
    same_as_snapshots(con)


def test_nothing_new_rewrites_nothing(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817052000", B="4817051000")
    ingest()
    before = rows(con, "select rowid, * from registry_history order by rowid")
    inbox.csv("water/water_20260512.csv", "rrn,ym,arrears_months,arrears_amount,cutoff\n")
    ingest()
    assert rows(con, "select rowid, * from registry_history order by rowid") == before
    assert len(before) == 3


def test_a_changed_history_query_rebuilds_it(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000")
    registry(inbox, "registry_20260501", A="4817052000")
    ingest()
    expected = rows(con, HISTORY)
    con.execute("update history_snapshots set sql_sha256 = 'an older text'")
    con.execute("delete from registry_history")  # what an older query would not have given
    refresh_staging(con, ["registry"])
    assert rows(con, HISTORY) == expected != []
    same_as_snapshots(con)


def benefits(inbox, name: str, *grants: str) -> None:
    """A benefits snapshot `benefits/<name>.csv` of `household_no,program,start_date,end_date`
    lines."""
    header = "household_no,program,start_date,end_date\n"
    inbox.csv(f"benefits/{name}.csv", header + "".join(g + "\n" for g in grants))


def test_benefits_history_follows_late_and_corrected_snapshots(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    medical, housing = "10000000000,medical,2025-01-01", "10000000001,housing,2026-01-01"
    benefits(inbox, "benefits_20260403", f"{medical},", f"{housing},")
    benefits(inbox, "benefits_20260603", f"{medical},2026-05-31")
    ingest()
    # May's snapshot arrives late; then a corrected June says housing went on
    benefits(inbox, "benefits_20260503", f"{medical},", f"{housing},")
    ingest()
    benefits(inbox, "benefits_20260603_v2", f"{medical},2026-05-31", f"{housing},")
    ingest()
    got = rows(
        con,
        "select program, end_date::varchar, valid_from::varchar, valid_to::varchar "
        "from benefits_history order by program, valid_from",
    )
    assert got == [
        ("housing", None, "2026-04-03", None),
        ("medical", None, "2026-04-03", "2026-06-03"),
        ("medical", "2026-05-31", "2026-06-03", None),
    ]
    kept = sorted(rows(con, "from benefits_history"), key=repr)
    rebuild_history(con, "benefits")
    assert sorted(rows(con, "from benefits_history"), key=repr) == kept


def test_a_warehouse_from_before_the_histories_gets_them_at_its_next_ingest(inbox, ingest, con):
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817052000")
    ingest()
    expected = rows(con, HISTORY)
    for table in ("registry_history", "benefits_history", "history_snapshots"):
        con.execute(f"drop table {table}")
    ingest()  # nothing new in the inbox
    assert rows(con, HISTORY) == expected != []
    same_as_snapshots(con)


def test_a_warehouse_from_before_the_histories_gets_them_at_its_first_feature_build(
    inbox, ingest, con
):
    """`sagak train` or `sagak features` first after the upgrade, before any ingest."""
    from features.build import bring_histories_up_to_date

    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    registry(inbox, "registry_20260501", A="4817052000")
    ingest()
    expected = rows(con, HISTORY)
    for table in ("registry_history", "benefits_history", "history_snapshots"):
        con.execute(f"drop table {table}")
    bring_histories_up_to_date(con)
    assert rows(con, HISTORY) == expected != []
    same_as_snapshots(con)


def test_a_first_snapshot_of_more_than_a_row_group_makes_its_history(inbox, ingest, con):
    # 130,000 persons: more than one DuckDB row group (122,880 rows). A stg_ table made by
    # `create table ... as ... limit 0` and filled in that same transaction read as empty to
    # the history's statements (its plans used the empty table's statistics): the history of
    # a first load was left empty.
    persons = 130_000
    lines = [
        f"500101-1{i:06d},{10_000_000_000 + i},head,p,1950-01-01,F,N,,a,4817051000,2001-05-01,N\n"
        for i in range(persons)
    ]
    inbox.csv("registry/registry_20260401.csv", HEADER + "".join(lines))
    ingest()
    assert rows(con, "select count(*) from registry_history where valid_to is null") == [(persons,)]
    assert rows(con, "select feed, delivery_date::varchar, rows from history_snapshots") == [
        ("registry", "2026-04-01", persons)
    ]


def test_a_person_listed_twice_at_one_date_keeps_one_version(inbox, ingest, con):
    """Ingest quarantines a person listed twice in one file with different rows; should two
    rows of one person and date reach the registry anyway (two files of one date), the
    history keeps the first household by key and relation: fx_members reads one row a person."""
    registry(inbox, "registry_20260401", A="4817051000", B="4817051000")
    ingest()
    con.execute(
        "insert into raw_registry select * replace ('0' || household_key as household_key) "
        "from raw_registry where birth_date = '1950-01-01'"
    )
    rebuild_history(con, "registry")
    valid = (
        "select person_key, count(*), min(household_key) from registry_history "
        "where valid_from <= '2026-04-01' and coalesce(valid_to, 'infinity'::date) > '2026-04-01' "
        "group by person_key order by 1"
    )
    listed = "select person_key, min(household_key) from stg_registry group by 1 order by 1"
    found = rows(con, valid)
    assert [count for _, count, _ in found] == [1, 1]
    assert [(key, household) for key, _, household in found] == rows(con, listed)
