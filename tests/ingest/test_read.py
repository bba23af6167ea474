"""Decoding and header mapping, the two places agencies differ most."""

from __future__ import annotations

import pytest

from ingest.contracts import load_contract
from ingest.read import RejectedFile, first_line, map_headers, text_encoding
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
    found, text = text_encoding(data + b"\n1,2\n")
    assert found == encoding
    assert (text is None) == encoding.startswith("utf-8")  # UTF-8 is read by DuckDB as it is
    header = first_line(data + b"\r\n1,2\n", found, text and text.replace("\n", "\r\n", 1))
    assert header == (KOREAN if data[-1] > 127 else "rrn,ym")


@pytest.mark.parametrize(
    "data",
    [b"\xed\xa0\x80\n", b"\xc0\xaf\n", "가".encode()[:2] + b"\n", b"ok\n\xf4\x90\x80\x80\n"],
)
def test_invalid_utf8_is_not_taken_for_utf8(data):
    """Surrogates, overlong forms, a cut sequence, beyond U+10FFFF: Python's decoder refuses them,
    so must the check that stands in for it."""
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    try:
        encoding, _ = text_encoding(data)
    except RejectedFile:
        return
    assert encoding == "cp949"


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
        text_encoding(data)


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
