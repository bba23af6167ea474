"""reference_keys holds exactly each key of a reference feed's raw table with its first
delivery date, so `belongs to nobody in the registry` reads it instead of every snapshot."""

from __future__ import annotations

import datetime as dt

from tests.ingest.conftest import RRN_A, RRN_B, rows

REGISTRY_HEADER = (
    "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,moved_in,"
    "deceased\n"
)
WATER_HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
NOBODY = "rrn: belongs to nobody in the registry"
FROM_RAW = (
    "select 'person_key', person_key, min(delivery_date) from raw_registry group by all "
    "union all "
    "select 'household_key', household_key, min(delivery_date) from raw_registry group by all"
)
KEPT = "select key_column, key, first_delivered from reference_keys where feed = 'registry'"
# reference_keys and the raw table agree both ways
INVARIANT = (
    f"(({KEPT}) except (select * from ({FROM_RAW}))) "
    f"union all ((select * from ({FROM_RAW})) except ({KEPT}))"
)


def registry(inbox, day: str, *rrns: str) -> None:
    lines = [
        f"{r},4100000000{i},head,이름,1950-01-01,F,N,,주소,4817051000,,N\n"
        for i, r in enumerate(rrns)
    ]
    inbox.csv(f"registry/registry_{day}.csv", REGISTRY_HEADER + "".join(lines))


def water(inbox, day: str, *rrns: str) -> str:
    path = f"water/water_{day}.csv"
    inbox.csv(path, WATER_HEADER + "".join(f"{r},202605,1,1000,N\n" for r in rrns))
    return path


def nobody_lines(con, path: str) -> list[int]:
    found = rows(con, "select line, reasons from quarantine where path = $p order by line", p=path)
    return [line for line, reasons in found if NOBODY in reasons]


def test_keys_follow_the_raw_table_even_out_of_order(inbox, ingest, con):
    registry(inbox, "20260605", RRN_A)
    early = water(inbox, "20260612", RRN_A, RRN_B)
    ingest(dt.date(2026, 6, 12))
    assert nobody_lines(con, early) == [3]
    registry(inbox, "20260601", RRN_B)  # a late delivery of an earlier snapshot
    late = water(inbox, "20260620", RRN_B)
    ingest()
    assert nobody_lines(con, late) == []
    assert rows(con, INVARIANT) == []
    assert rows(con, "select count(*) from reference_keys") == [(3,)]  # 2 persons, 1 household


def test_filled_from_the_raw_table_of_an_older_warehouse(inbox, ingest, con):
    registry(inbox, "20260605", RRN_A)
    ingest(dt.date(2026, 6, 10))
    con.execute("drop table reference_keys")  # as written by a sagak before this table
    path = water(inbox, "20260612", RRN_A, RRN_B)
    ingest()
    assert nobody_lines(con, path) == [3]
    assert rows(con, INVARIANT) == []
