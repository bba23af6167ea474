"""Each agency's format, read from a crafted 3-row file, lands typed in raw_<feed>."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from sagak.privacy import household_key, person_key
from tests.ingest.conftest import PEPPER, RRN_A, RRN_B, RRN_C, contact_rows, rows

KEPCO_HEADER = "주민번호,기준년월,체납개월수,체납금액,단전여부,전류제한여부,사용량kWh\n"
HH_1, HH_2 = "41000000001", "41000000002"


def key(rrn: str) -> str:
    return person_key(rrn, PEPPER)


def test_kepco_cp949_korean_headers_thousands_separators(inbox, ingest, con):
    text = KEPCO_HEADER + (
        f'{RRN_A},202605,3,"1,234,000",Y,N,80.5\n'
        f"{RRN_B},202605,0,0,N,N,312\n"
        f'{RRN_C},202605,1,"45,600",N,Y,"1,020.5"\n'
    )
    inbox.csv("kepco/kepco_20260610.csv", text, "cp949")
    ledger = ingest()["kepco/kepco_20260610.csv"]
    assert (ledger["status"], ledger["rows_loaded"], ledger["rows_quarantined"]) == ("loaded", 3, 0)
    assert rows(con, "select * exclude (file_id) from raw_kepco order by arrears_amount desc") == [
        (key(RRN_A), "202605", 3, 1234000, True, False, 80.5, dt.date(2026, 6, 10), 1),
        (key(RRN_C), "202605", 1, 45600, False, True, 1020.5, dt.date(2026, 6, 10), 1),
        (key(RRN_B), "202605", 0, 0, False, False, 312.0, dt.date(2026, 6, 10), 1),
    ]


def test_kepco_headers_reordered_and_in_english(inbox, ingest, con):
    text = (
        "usage_kwh,cutoff,rrn,current_limiter,ym,arrears_amount,arrears_months\n"
        f'80.5,Y,{RRN_A},N,202605,"1,000",2\n'
    )
    inbox.csv("kepco/kepco_20260610.csv", text, "cp949")
    assert ingest()["kepco/kepco_20260610.csv"]["status"] == "loaded"
    assert rows(
        con, "select person_key, arrears_months, arrears_amount, usage_kwh from raw_kepco"
    ) == [(key(RRN_A), 2, 1000, 80.5)]


def test_water_bom_and_dash_blanks(inbox, ingest, con):
    text = (
        "rrn,ym,arrears_months,arrears_amount,cutoff\n"
        f"{RRN_A},202605,2,35000,N\n"
        f"{RRN_B},202605,-,-,-\n"
        f"{RRN_C},202605,, ,Y\n"
    )
    inbox.csv("water/water_20260612.csv", text, "utf-8-sig")
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["status"], ledger["rows_loaded"]) == ("loaded", 3)
    assert "encoding" not in ledger["message"]
    assert rows(
        con, "select person_key, arrears_months, arrears_amount, cutoff from raw_water"
    ) == [
        (key(RRN_A), 2, 35000, False),
        (key(RRN_B), None, None, None),
        (key(RRN_C), None, None, True),
    ]


def test_cp949_where_utf8_promised_is_read_and_noted(inbox, ingest, con):
    text = f'rrn,ym,arrears_months,arrears_amount\n{RRN_A},202605,1,"12,000"\n'
    inbox.csv("telecom/telecom_20260615.csv", text.replace("rrn", "주민번호"), "cp949")
    ledger = ingest()["telecom/telecom_20260615.csv"]
    assert ledger["status"] == "loaded"
    assert ledger["message"].startswith("encoding cp949, contract says utf-8")
    assert rows(con, "select person_key, arrears_amount from raw_telecom") == [(key(RRN_A), 12000)]


def test_utf8_file_carries_no_encoding_note(inbox, ingest):
    inbox.csv(
        "telecom/telecom_20260615.csv",
        f"rrn,ym,arrears_months,arrears_amount\n{RRN_A},202605,1,0\n",
    )
    assert "encoding" not in ingest()["telecom/telecom_20260615.csv"]["message"]


NHIS_SCHEMA = pa.schema(
    [
        ("rrn", pa.string()),
        ("ym", pa.string()),
        ("premium_arrears_months", pa.int16()),
        ("premium_arrears_amount", pa.int64()),
        ("catastrophic_medical", pa.bool_()),
        ("medical_oop_amount", pa.int64()),
    ]
)


def test_nhis_parquet(inbox, ingest, con):
    columns = {
        "rrn": [RRN_A, RRN_B, RRN_C],
        "ym": ["202605"] * 3,
        "premium_arrears_months": [6, 0, None],
        "premium_arrears_amount": [900000, 0, None],
        "catastrophic_medical": [False, True, None],
        "medical_oop_amount": [0, 3500000, 10],
    }
    inbox.parquet("nhis/nhis_20260610.parquet", columns, NHIS_SCHEMA)
    assert ingest()["nhis/nhis_20260610.parquet"]["rows_loaded"] == 3
    got = rows(
        con,
        "select * exclude (file_id, delivery_date, version) from raw_nhis order by medical_oop_amount",
    )
    assert got == [
        (key(RRN_A), "202605", 6, 900000, False, 0),
        (key(RRN_C), "202605", None, None, None, 10),
        (key(RRN_B), "202605", 0, 0, True, 3500000),
    ]


def test_nps_parquet(inbox, ingest, con):
    schema = pa.schema(
        [
            ("rrn", pa.string()),
            ("ym", pa.string()),
            ("contribution_arrears_months", pa.int16()),
            ("emergency_loan", pa.bool_()),
        ]
    )
    columns = {
        "rrn": [RRN_A, RRN_B],
        "ym": ["202604", "202605"],
        "contribution_arrears_months": [4, 0],
        "emergency_loan": [True, False],
    }
    inbox.parquet("nps/nps_20260610.parquet", columns, schema)
    assert ingest()["nps/nps_20260610.parquet"]["status"] == "loaded"
    assert rows(
        con,
        "select person_key, ym, contribution_arrears_months, emergency_loan from raw_nps order by ym",
    ) == [
        (key(RRN_A), "202604", 4, True),
        (key(RRN_B), "202605", 0, False),
    ]


def test_housing_jsonl(inbox, ingest, con):
    records = [
        {
            "household_no": HH_1,
            "ym": "202605",
            "kind": "public_rent",
            "arrears_months": 3,
            "arrears_amount": 450000,
        },
        {
            "household_no": HH_2,
            "ym": "202605",
            "kind": "mgmt_fee",
            "arrears_months": 1,
            "arrears_amount": 120000,
        },
        {
            "ym": "202604",
            "arrears_amount": 5000,
            "kind": "mgmt_fee",
            "arrears_months": 0,
            "household_no": HH_2,
        },
    ]
    inbox.jsonl("housing/housing_20260611.jsonl", records)
    assert ingest()["housing/housing_20260611.jsonl"]["rows_loaded"] == 3
    assert rows(
        con,
        "select household_key, ym, kind, arrears_months, arrears_amount from raw_housing order by ym, kind desc",
    ) == [
        (household_key(HH_2, PEPPER), "202604", "mgmt_fee", 0, 5000),
        (household_key(HH_1, PEPPER), "202605", "public_rent", 3, 450000),
        (household_key(HH_2, PEPPER), "202605", "mgmt_fee", 1, 120000),
    ]


def test_employment_jsonl_optional_industry(inbox, ingest, con):
    records = [
        {"rrn": RRN_A, "event_date": "2026-06-01", "event": "job_loss", "industry": "제조업"},
        {"rrn": RRN_B, "event_date": "2026-06-02", "event": "benefit_start"},
    ]
    inbox.jsonl("employment/employment_20260603.jsonl", records)
    assert ingest()["employment/employment_20260603.jsonl"]["rows_loaded"] == 2
    assert rows(
        con,
        "select person_key, event_date, event, industry from raw_employment order by event_date",
    ) == [
        (key(RRN_A), dt.date(2026, 6, 1), "job_loss", "제조업"),
        (key(RRN_B), dt.date(2026, 6, 2), "benefit_start", None),
    ]


REGISTRY_HEADER = "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,moved_in,deceased\n"


def test_registry_contacts_split_off(inbox, ingest, con):
    text = REGISTRY_HEADER + (
        f"{RRN_A},{HH_1},head,김순자,1948-03-02,F,N,010-1234-5678,진주시 문산읍 1,4817051000,2001-05-01,N\n"
        f"{RRN_B},{HH_2},head,이영수,1980-07-01,M,Y,,진주시 문산읍 2,4817051000,,N\n"
    )
    inbox.csv("registry/registry_20260605.csv", text)
    assert ingest()["registry/registry_20260605.csv"]["rows_loaded"] == 2
    raw_columns = [r[0] for r in rows(con, "describe raw_registry")]
    assert not {"name", "phone", "address", "rrn", "household_no"} & set(raw_columns)
    assert rows(
        con,
        "select person_key, household_key, relation, birth_date, disabled, moved_in from raw_registry order by birth_date",
    ) == [
        (
            key(RRN_A),
            household_key(HH_1, PEPPER),
            "head",
            dt.date(1948, 3, 2),
            False,
            dt.date(2001, 5, 1),
        ),
        (key(RRN_B), household_key(HH_2, PEPPER), "head", dt.date(1980, 7, 1), True, None),
    ]
    assert contact_rows(
        inbox,
        "select person_key, household_key, name, phone, address, delivery_date from contacts order by name",
    ) == [
        (
            key(RRN_A),
            household_key(HH_1, PEPPER),
            "김순자",
            "010-1234-5678",
            "진주시 문산읍 1",
            dt.date(2026, 6, 5),
        ),
        (
            key(RRN_B),
            household_key(HH_2, PEPPER),
            "이영수",
            None,
            "진주시 문산읍 2",
            dt.date(2026, 6, 5),
        ),
    ]


def test_quarantined_registry_row_leaves_no_contact_behind(inbox, ingest, con):
    text = REGISTRY_HEADER + f"{RRN_A},{HH_1},head,김순자,1948-02-30,F,N,010-1,주소,4817051000,,N\n"
    inbox.csv("registry/registry_20260605.csv", text)
    assert ingest()["registry/registry_20260605.csv"]["rows_quarantined"] == 1
    assert contact_rows(inbox, "select count(*) from contacts") == [(0,)]
    (record,) = rows(con, "select raw from quarantine")[0]
    assert "김순자" not in record and "010-1" not in record


def test_gas_credit_benefits_referrals_csv(inbox, ingest, con):
    inbox.csv(
        "gas/gas_20260612.csv",
        f'rrn,ym,arrears_months,arrears_amount,cutoff,usage_m3\n{RRN_A},202605,1,"30,000",N,12.5\n',
    )
    inbox.csv(
        "credit/credit_20260612.csv",
        f'rrn,ym,delinquent_amount,delinquency_days,debt_relief_dropped\n{RRN_A},202605,"5,000,000",95,Y\n',
    )
    inbox.csv(
        "benefits/benefits_20260612.csv",
        f"household_no,program,start_date,end_date\n{HH_1},livelihood,2024-01-01,\n",
    )
    inbox.csv(
        "referrals/referrals_20260612.csv",
        f'household_no,referral_date,source,concern\n{HH_1},2026-06-11,neighbour,"=HYPERLINK(""x""), 연락 두절"\n',
    )
    ledger = ingest()
    assert {r["status"] for r in ledger.values()} == {"loaded"}
    assert rows(con, "select usage_m3, arrears_amount from raw_gas") == [(12.5, 30000)]
    assert rows(
        con, "select delinquent_amount, delinquency_days, debt_relief_dropped from raw_credit"
    ) == [(5000000, 95, True)]
    assert rows(con, "select program, start_date, end_date from raw_benefits") == [
        ("livelihood", dt.date(2024, 1, 1), None)
    ]
    assert rows(con, "select source, concern from raw_referrals") == [
        ("neighbour", '=HYPERLINK("x"), 연락 두절')
    ]


def test_windows_line_endings_and_quoted_headers(inbox, ingest, con):
    text = '"rrn","ym","arrears_months","arrears_amount"\r\n' + f'{RRN_A},202605,1,"2,000"\r\n'
    inbox.csv("telecom/telecom_20260615.csv", text)
    assert ingest()["telecom/telecom_20260615.csv"]["status"] == "loaded"
    assert rows(con, "select ym, arrears_amount from raw_telecom") == [("202605", 2000)]


def test_parquet_carries_no_encoding_note(inbox, ingest):
    columns = {name: [None] for name in NHIS_SCHEMA.names} | {"rrn": [RRN_A], "ym": ["202605"]}
    inbox.parquet("nhis/nhis_20260610.parquet", columns, NHIS_SCHEMA)
    assert "encoding" not in ingest()["nhis/nhis_20260610.parquet"]["message"]


def test_values_trimmed_of_spaces_tabs_and_carriage_returns(inbox, ingest, con):
    # only the ends are trimmed, of spaces, tabs and CRs; a blank or '-' is NULL once trimmed
    text = (
        "rrn,ym,arrears_months,arrears_amount,cutoff\n"
        f' {RRN_A} ,202605,\t3\t,"\r1,000 ",N\n'
        f'{RRN_B},\t202605,"\r-\r", \t ,\tY\n'
        f"{RRN_C},202605,1,12,n \n"
    )
    inbox.csv("water/water_20260612.csv", text)
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["status"], ledger["rows_loaded"]) == ("loaded", 3)
    assert rows(
        con, "select person_key, ym, arrears_months, arrears_amount, cutoff from raw_water"
    ) == [
        (key(RRN_A), "202605", 3, 1000, False),
        (key(RRN_B), "202605", None, None, True),
        (key(RRN_C), "202605", 1, 12, False),
    ]


def test_free_text_keeps_inner_spaces_and_loses_any_rrn(inbox, ingest, con):
    registry = REGISTRY_HEADER + (
        f"{RRN_A},{HH_1},head,김순자,1948-03-02,F,N,,진주시 1,4817051000,2001-05-01,N\n"
    )
    inbox.csv("registry/registry_20260601.csv", registry)
    text = "household_no,referral_date,source,concern\n" + (
        f"{HH_1},2026-06-02,neighbour,  two  spaces  \n"
        f"{HH_1},2026-06-03,neighbour,rrn {RRN_B} said\n"
        f"{HH_1},2026-06-04,neighbour,{RRN_C}\n"
        f"{HH_1},2026-06-05,neighbour,{RRN_C.replace('-', '')}\n"  # 13 characters, no hyphen
    )
    inbox.csv("referrals/referrals_20260605.csv", text)
    assert ingest()["referrals/referrals_20260605.csv"]["rows_loaded"] == 4
    assert rows(con, "select concern from raw_referrals order by referral_date") == [
        ("two  spaces",),
        ("rrn [rrn] said",),
        ("[rrn]",),
        ("[rrn]",),
    ]
