"""Decoding and header mapping, the two places agencies differ most."""

from __future__ import annotations

import pytest

from ingest.contracts import load_contract
from ingest.read import RejectedFile, decode_text, map_headers
from tests.ingest.conftest import CONTRACTS

KOREAN = "주민번호,기준년월"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KOREAN.encode("utf-8"), "utf-8"),
        (KOREAN.encode("utf-8-sig"), "utf-8-sig"),
        (KOREAN.encode("cp949"), "cp949"),
        (b"rrn,ym", "utf-8"),
    ],
)
def test_decode_detects_the_encoding(data, encoding):
    assert decode_text(data) == (KOREAN if data[-1] > 127 else "rrn,ym", encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n", "empty file"),
        (b"a,b\x00c", "binary content"),
        (b"\xff\xff\xff", "neither UTF-8 nor CP949"),
    ],
)
def test_decode_rejects_what_is_not_text(data, reason):
    with pytest.raises(RejectedFile, match=reason):
        decode_text(data)


def test_headers_map_in_any_order_and_either_language():
    kepco = load_contract("kepco", CONTRACTS)
    headers = [
        " 사용량kWh",
        "CUTOFF",
        "주민번호",
        "current_limiter",
        "\ufeffym",
        "체납금액",
        "arrears_months ",
        "note",
    ]
    assert map_headers(headers, kepco) == {
        "usage_kwh": " 사용량kWh",
        "cutoff": "CUTOFF",
        "rrn": "주민번호",
        "current_limiter": "current_limiter",
        "ym": "\ufeffym",
        "arrears_amount": "체납금액",
        "arrears_months": "arrears_months ",
    }


def test_headers_missing_or_twice_are_rejected():
    kepco = load_contract("kepco", CONTRACTS)
    with pytest.raises(RejectedFile, match="required columns missing: usage_kwh"):
        map_headers(
            ["rrn", "ym", "arrears_months", "arrears_amount", "cutoff", "current_limiter"], kepco
        )
    with pytest.raises(RejectedFile, match="column 'rrn' appears twice"):
        map_headers(["rrn", "주민번호", "ym"], kepco)
