"""No clear rrn anywhere in the warehouse; pseudonyms match sagak.privacy's Python twin."""

from __future__ import annotations

import hashlib
import hmac
import re

import pyarrow as pa

from ingest.keys import household_key, person_key
from tests.ingest.conftest import PEPPER, RRN_A, RRN_B, RRN_C, rows

RRN_PATTERN = re.compile(r"\d{6}-\d{7}")
CLEAR = [RRN_A, RRN_B, RRN_C, "8001011234567", "800101-123456"]


def varchar_values(con) -> list[str]:
    """Every VARCHAR value of every table in the warehouse."""
    columns = rows(
        con,
        "select table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_name in (select table_name from duckdb_tables())",
    )
    assert columns, "no varchar columns found: the scan would prove nothing"
    values = []
    for table, column in columns:
        values += [
            v
            for (v,) in rows(con, f'select "{column}" from "{table}" where "{column}" is not null')
        ]
    return values


def leaks(con) -> list[str]:
    """Values that hold an rrn pattern or one of the test rrns in clear."""
    return [
        v
        for v in varchar_values(con)
        if RRN_PATTERN.search(v) or any(r.replace("-", "") in v for r in CLEAR[:3])
    ]


def ingest_everything(inbox, ingest):
    inbox.csv(
        "registry/registry_20260605.csv",
        "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,moved_in,deceased\n"
        f"{RRN_A},41000000001,head,김순자,1948-03-02,F,N,010-1234-5678,진주시 1,4817051000,,N\n"
        f"{RRN_B},41000000001,spouse,박,1948-02-30,M,N,,진주시 1,4817051000,,N\n",
    )
    inbox.csv(
        "kepco/kepco_20260610.csv",
        "주민번호,기준년월,체납개월수,체납금액,단전여부,전류제한여부,사용량kWh\n"
        f"{RRN_A},202605,1,100,N,N,1\n{RRN_B},202605,1,{RRN_C},N,N,1\n8001011234567,202605,1,100,N,N,1\n800101-123456,202605,1,1,N,N,1\n",
        "cp949",
    )
    inbox.parquet(
        "nps/nps_20260610.parquet",
        {
            "rrn": [RRN_C, RRN_C],
            "ym": ["202605", "209912"],
            "contribution_arrears_months": [1, 1],
            "emergency_loan": [True, False],
        },
        pa.schema(
            [
                ("rrn", pa.string()),
                ("ym", pa.string()),
                ("contribution_arrears_months", pa.int16()),
                ("emergency_loan", pa.bool_()),
            ]
        ),
    )
    inbox.csv(
        "referrals/referrals_20260612.csv",
        "household_no,referral_date,source,concern\n"
        f"41000000001,2026-06-11,neighbour,주민번호 {RRN_B} 어르신 연락 두절\n"
        f"41000000001,2026-02-30,neighbour,{RRN_C}\n",
    )
    inbox.csv("water/water_20260613.csv", f"{RRN_A},202605,1,0,N\n")  # headerless: rejected


def test_no_clear_rrn_in_any_table(inbox, ingest, con):
    ingest_everything(inbox, ingest)
    ledger = ingest()
    # every bad row of the night, none of them readable as a clear rrn
    assert rows(con, "select count(*) from quarantine") == [(7,)]
    assert ledger["water/water_20260613.csv"]["status"] == "rejected"
    assert leaks(con) == []


def test_the_scan_finds_a_clear_rrn_when_there_is_one(inbox, ingest, con):
    ingest_everything(inbox, ingest)
    ingest()
    con.execute("insert into quarantine (raw) values ($v)", {"v": f"note {RRN_A}"})
    assert leaks(con) == [f"note {RRN_A}"]


def test_pseudonyms_match_the_python_twin(inbox, ingest, con):
    ingest_everything(inbox, ingest)
    ingest()
    digits = RRN_A.replace("-", "")
    expected = hmac.new(PEPPER.encode(), f"rrn:{digits}".encode(), hashlib.sha256).hexdigest()
    assert rows(con, "select distinct person_key from raw_kepco") == [(expected[:32],)]
    assert person_key(RRN_A, PEPPER) == person_key(digits, PEPPER) != person_key(RRN_A, "other")
    assert rows(con, "select distinct household_key from raw_referrals") == [
        (household_key("41000000001", PEPPER),)
    ]
    household = hmac.new(PEPPER.encode(), b"hh:41000000001", hashlib.sha256).hexdigest()[:32]
    assert household_key("41000000001", PEPPER) == household
    # a malformed rrn is kept in quarantine as the key of its raw digits
    (raw,) = rows(con, "select raw from quarantine where feed = 'kepco' and line = 5")[0]
    assert f'"person_key":"{person_key("800101-123456", PEPPER)}"' in raw
    # an rrn in free text of a quarantined row is replaced by its key, not lost
    (raw,) = rows(con, "select raw from quarantine where feed = 'referrals'")[0]
    assert person_key(RRN_C, PEPPER) in raw
