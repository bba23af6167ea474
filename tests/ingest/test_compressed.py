"""Compressed deliveries: `.csv.gz` and `.jsonl.gz` are the deliveries they hold, known by the
sha256 of their content; a broken gzip is rejected whole; Parquet loads with any codec."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.inbox import Delivery, Ignored, parse_delivery
from ingest.read import delivered, sha256
from sagak.privacy import person_key
from tests.ingest.conftest import PEPPER, RRN_A, RRN_B, RRN_C, rows
from tests.ingest.test_formats import KEPCO_HEADER, NHIS_SCHEMA
from tests.ingest.test_inbox import CONTRACTS_BY_FEED, INBOX

WATER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
WATER_ROWS = f"{RRN_A},202605,2,35000,N\n{RRN_B},202605,-,-,-\n{RRN_C},202605,1,100,Y\n"
FIRST_ROW = WATER_ROWS.split("\n")[0] + "\n"
KEPCO = KEPCO_HEADER + (
    f'{RRN_A},202605,3,"1,234,000",Y,N,80.5\n'
    f"{RRN_B},202605,0,0,N,N,312\n"
    f'{RRN_C},202605,1,"45,600",N,Y,"1,020.5"\n'
)
HOUSING = [
    {
        "household_no": "41000000001",
        "ym": "202605",
        "kind": "public_rent",
        "arrears_months": 3,
        "arrears_amount": 450000,
    },
    {
        "household_no": "41000000002",
        "ym": "202605",
        "kind": "mgmt_fee",
        "arrears_months": 1,
        "arrears_amount": 120000,
    },
]


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def counts(row: dict) -> tuple:
    return row["status"], row["rows_received"], row["rows_loaded"], row["rows_quarantined"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kepco/kepco_20261030.csv.gz", ("kepco", dt.date(2026, 10, 30), 1)),
        ("kepco/kepco_20261030_v2.csv.gz", ("kepco", dt.date(2026, 10, 30), 2)),
        ("housing/housing_20261030.jsonl.gz", ("housing", dt.date(2026, 10, 30), 1)),
    ],
)
def test_gzip_names_are_the_delivery_they_hold(name, expected):
    found = parse_delivery(INBOX / name, INBOX, CONTRACTS_BY_FEED)
    assert isinstance(found, Delivery)
    assert (found.feed, found.delivery_date, found.version, found.relative) == (*expected, name)


@pytest.mark.parametrize(
    "name",
    [
        "nhis/nhis_20261030.parquet.gz",  # Parquet compresses inside; an outer gzip is not it
        "kepco/kepco_20261030.gz",
        "kepco/kepco_20261030.csv.gz.tmp",
        "kepco/kepco_20261030.csv.GZ",
        "kepco/kepco_20261030.csv.zip",
    ],
)
def test_other_compressed_names_are_ignored(name):
    found = parse_delivery(INBOX / name, INBOX, CONTRACTS_BY_FEED)
    assert isinstance(found, Ignored)
    assert "name does not match" in found.message


def test_the_rule_in_the_message_says_gz_where_it_is_allowed():
    kepco = parse_delivery(INBOX / "kepco/kepco.csv.gz", INBOX, CONTRACTS_BY_FEED)
    nhis = parse_delivery(INBOX / "nhis/nhis.parquet.gz", INBOX, CONTRACTS_BY_FEED)
    assert kepco.message.endswith("kepco_<YYYYMMDD>[_v<N>].csv[.gz]")
    assert nhis.message.endswith("nhis_<YYYYMMDD>[_v<N>].parquet")


def test_delivered_is_the_content_and_its_sha256():
    content = (WATER + WATER_ROWS).encode()
    packed = gzip.compress(content, mtime=1)
    assert delivered(Path("water_20260612.csv.gz"), packed) == (content, sha256(content), None)
    assert delivered(Path("water_20260612.csv"), packed) == (packed, sha256(packed), None)
    # the same content from another compressor run (level, timestamp) is the same delivery
    other = gzip.compress(content, compresslevel=1, mtime=2)
    assert other != packed
    assert delivered(Path("x.csv.gz"), other)[1] == sha256(content)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_gzip_csv_loads_with_or_without_bom(encoding, inbox, ingest, con):
    inbox.raw("water/water_20260612.csv.gz", gzip.compress((WATER + WATER_ROWS).encode(encoding)))
    ledger = ingest()["water/water_20260612.csv.gz"]
    assert counts(ledger) == ("loaded", 3, 3, 0)
    assert ledger["message"] == "rrn not checked against registry: none delivered yet"
    assert rows(
        con, "select person_key, arrears_amount, cutoff from raw_water order by 1"
    ) == sorted(
        [
            (person_key(RRN_A, PEPPER), 35000, False),
            (person_key(RRN_B, PEPPER), None, None),
            (person_key(RRN_C, PEPPER), 100, True),
        ]
    )


def test_gzip_cp949_kepco_korean_headers(inbox, ingest, con):
    inbox.raw("kepco/kepco_20260610.csv.gz", gzip.compress(KEPCO.encode("cp949")))
    ledger = ingest()["kepco/kepco_20260610.csv.gz"]
    assert counts(ledger) == ("loaded", 3, 3, 0)
    assert rows(con, "select person_key, arrears_amount from raw_kepco order by 2") == [
        (person_key(RRN_B, PEPPER), 0),
        (person_key(RRN_C, PEPPER), 45600),
        (person_key(RRN_A, PEPPER), 1234000),
    ]


def test_gzip_jsonl_loads(inbox, ingest, con):
    inbox.raw("housing/housing_20260611.jsonl.gz", gzip.compress(jsonl_bytes(HOUSING)))
    assert counts(ingest()["housing/housing_20260611.jsonl.gz"]) == ("loaded", 2, 2, 0)
    assert rows(con, "select kind, arrears_months from raw_housing order by 2") == [
        ("mgmt_fee", 1),
        ("public_rent", 3),
    ]


def test_multi_member_gzip_is_one_file(inbox, ingest, con):
    # `cat a.gz b.gz` is a valid gzip file: both parts' rows are the delivery
    inbox.raw(
        "water/water_20260612.csv.gz",
        gzip.compress((WATER + FIRST_ROW).encode())
        + gzip.compress(WATER_ROWS[len(FIRST_ROW) :].encode()),
    )
    assert counts(ingest()["water/water_20260612.csv.gz"]) == ("loaded", 3, 3, 0)


def test_compressed_copy_of_a_loaded_file_is_a_duplicate(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", WATER + WATER_ROWS)
    first = ingest()["water/water_20260612.csv"]
    inbox.raw("water/water_20260612.csv.gz", gzip.compress((WATER + WATER_ROWS).encode()))
    again = ingest()["water/water_20260612.csv.gz"]
    assert again["status"] == "duplicate"
    assert again["message"] == (
        "water/water_20260612.csv.gz: same bytes as water/water_20260612.csv, not loaded again"
    )
    assert again["sha256"] == first["sha256"] == sha256((WATER + WATER_ROWS).encode())
    assert rows(con, "select count(*) from raw_water") == [(3,)]
    assert ingest() == {}  # and it stays one delivery on the next run


def test_plain_copy_of_a_loaded_gzip_is_a_duplicate(inbox, ingest, con):
    inbox.raw("water/water_20260612.csv.gz", gzip.compress((WATER + WATER_ROWS).encode()))
    ingest()
    inbox.csv("water/water_20260612.csv", WATER + WATER_ROWS)
    assert ingest()["water/water_20260612.csv"]["status"] == "duplicate"
    assert rows(con, "select count(*) from raw_water") == [(3,)]


def test_gzip_with_other_content_is_loaded(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", WATER + WATER_ROWS)
    ingest()
    inbox.raw("water/water_20260612.csv.gz", gzip.compress((WATER + FIRST_ROW).encode()))
    assert counts(ingest()["water/water_20260612.csv.gz"]) == ("loaded", 1, 1, 0)


BROKEN = {
    "truncated": (
        lambda data: data[: len(data) // 2],
        "gzip stream ends early: truncated in transfer?",
    ),
    "bad crc": (lambda data: data[:-8] + bytes(4) + data[-4:], "not a readable gzip file"),
    "not gzip at all": (lambda data: b"rrn,ym\n" + data, "not a readable gzip file"),
    "corrupt deflate": (
        lambda data: data[:10] + b"\xff" * 8 + data[18:],
        "not a readable gzip file",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_gzip_is_rejected_whole_and_the_night_goes_on(case, inbox, ingest, con):
    damage, expected = BROKEN[case]
    packed = gzip.compress((WATER + WATER_ROWS * 20).encode(), mtime=0)
    bad = inbox.raw("water/water_20260612.csv.gz", damage(packed))
    inbox.raw("housing/housing_20260611.jsonl.gz", gzip.compress(jsonl_bytes(HOUSING)))
    ledger = ingest()
    row = ledger["water/water_20260612.csv.gz"]
    assert counts(row) == ("rejected", 0, 0, 0)
    assert row["message"].startswith(f"water/water_20260612.csv.gz: rejected: {expected}")
    assert row["sha256"] == sha256(bad.read_bytes())  # known by its bytes: recorded once
    assert counts(ledger["housing/housing_20260611.jsonl.gz"]) == ("loaded", 2, 2, 0)
    assert rows(con, "select count(*) from raw_water") == [(0,)]
    assert ingest() == {}


def test_empty_gzip_and_gzip_of_a_truncated_csv_are_rejected(inbox, ingest):
    inbox.raw("water/water_20260612.csv.gz", gzip.compress(b""))
    inbox.raw("water/water_20260613.csv.gz", gzip.compress((WATER + WATER_ROWS)[:-5].encode()))
    ledger = ingest()
    assert ledger["water/water_20260612.csv.gz"]["message"].endswith("rejected: empty file")
    assert ledger["water/water_20260613.csv.gz"]["message"].endswith(
        "rejected: does not end with a line break: truncated in transfer?"
    )


def test_quarantine_accounting_holds_in_a_gzip(inbox, ingest, con):
    bad_rows = f"{RRN_A},202613,1,100,N\n{RRN_B},202605,x,100,N\n"
    inbox.raw(
        "water/water_20260612.csv.gz", gzip.compress((WATER + WATER_ROWS + bad_rows).encode())
    )
    row = ingest()["water/water_20260612.csv.gz"]
    assert counts(row) == ("loaded", 5, 3, 2)
    assert rows(con, "select path, line from quarantine order by line") == [
        ("water/water_20260612.csv.gz", 5),
        ("water/water_20260612.csv.gz", 6),
    ]


NHIS_COLUMNS = {
    "rrn": [RRN_A, RRN_B, RRN_C],
    "ym": ["202605"] * 3,
    "premium_arrears_months": [6, 0, None],
    "premium_arrears_amount": [900000, 0, None],
    "catastrophic_medical": [False, True, None],
    "medical_oop_amount": [0, 3500000, 10],
}


@pytest.mark.parametrize("codec", ["none", "snappy", "zstd", "gzip", "brotli", "lz4"])
def test_parquet_with_any_codec(codec, inbox, ingest, con):
    import pyarrow.parquet as pq

    path = inbox.path("nhis/nhis_20260610.parquet")
    pq.write_table(pa.table(NHIS_COLUMNS, schema=NHIS_SCHEMA), path, compression=codec)
    written = pq.ParquetFile(path).metadata.row_group(0).column(0).compression
    assert written == {"none": "UNCOMPRESSED"}.get(codec, codec.upper())
    assert counts(ingest()["nhis/nhis_20260610.parquet"]) == ("loaded", 3, 3, 0)
    assert rows(con, "select premium_arrears_months from raw_nhis order by medical_oop_amount") == [
        (6,),
        (None,),
        (0,),
    ]
