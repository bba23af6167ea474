"""Contracts: one YAML per feed, loaded by name, with errors that name the file."""

from __future__ import annotations

import pytest

from ingest.contracts import ContractError, load_contract, load_contracts
from sagak.settings import FEEDS, SQL_DIR
from tests.ingest.conftest import CONTRACTS

GOOD = """feed: telecom
format: csv
key: [rrn, ym]
columns:
  - {name: rrn, alias: 주민번호, type: rrn}
  - {name: ym, type: ym}
  - {name: arrears_amount, type: amount, required: false}
"""


def test_every_feed_has_a_contract_and_a_staging_file():
    contracts = load_contracts(CONTRACTS)
    assert sorted(contracts) == sorted(FEEDS)
    assert all((SQL_DIR / f"staging/stg_{feed}.sql").exists() for feed in contracts)


def test_kepco_maps_korean_headers():
    kepco = load_contract("kepco", CONTRACTS)
    assert [(c.alias, c.name, c.output) for c in kepco.columns] == [
        ("주민번호", "rrn", "person_key"),
        ("기준년월", "ym", "ym"),
        ("체납개월수", "arrears_months", "arrears_months"),
        ("체납금액", "arrears_amount", "arrears_amount"),
        ("단전여부", "cutoff", "cutoff"),
        ("전류제한여부", "current_limiter", "current_limiter"),
        ("사용량kWh", "usage_kwh", "usage_kwh"),
    ]
    assert (kepco.format, kepco.encoding, kepco.key) == ("csv", "cp949", ("rrn", "ym"))


def test_registry_contact_columns_are_not_stored():
    registry = load_contract("registry", CONTRACTS)
    assert [c.name for c in registry.contacts] == ["name", "phone", "address"]
    assert {"name", "phone", "address"}.isdisjoint(c.name for c in registry.stored)


def test_a_good_contract_loads_with_defaults(tmp_path):
    (tmp_path / "telecom.yml").write_text(GOOD, encoding="utf-8")
    contract = load_contract("telecom", tmp_path)
    rrn, ym, amount = contract.columns
    assert (rrn.required, rrn.nullable, ym.past, amount.required, amount.nullable) == (
        True,
        False,
        True,
        False,
        True,
    )
    assert contract.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feed: telecom\ncolumns: [oops", "not valid YAML"),
        ("- just a list", "expected a mapping"),
        (GOOD.replace("feed: telecom", "feed: gas"), "does not match the file name"),
        (GOOD.replace("format: csv", "format: xlsx"), "format 'xlsx'"),
        (GOOD.replace("type: amount", "type: money"), "type 'money'"),
        (GOOD.replace("key: [rrn, ym]", "key: [rrn, month]"), "key columns ['month']"),
        (GOOD.replace("required: false", "requird: false"), "unknown fields ['requird']"),
        (GOOD.replace("name: ym, type", "name: rrn, type"), "used twice"),
    ],
)
def test_a_bad_contract_names_its_file(tmp_path, text, expected):
    (tmp_path / "telecom.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContractError) as err:
        load_contract("telecom", tmp_path)
    assert str(tmp_path / "telecom.yml") in str(err.value)
    assert expected in str(err.value)


def test_a_missing_contract_names_the_feed(tmp_path):
    with pytest.raises(ContractError, match="no contract for feed 'weather'"):
        load_contract("weather", tmp_path)
