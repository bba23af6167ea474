"""A result file is written whole or not at all, in the layout `sagak feedback` reads."""

from __future__ import annotations

from datetime import date

from outreach.feedback import feedback_files, read_csv
from web.results import csv_text, result_file_name, store_result, write_durably

RECORD = {
    "household_key": "k1",
    "emd_code": "4817051000",
    "assigned_date": date(2026, 10, 23),
    "visit_date": None,
    "outcome": "unreachable",
    "services": [],
}


def test_the_file_reads_back_as_the_same_result(tmp_path):
    path = store_result(tmp_path, RECORD)
    (row,) = read_csv(path, household_key=lambda no: f"never {no}")
    assert (row.household_key, row.emd_code, row.assigned_date, row.visit_date) == (
        "k1",
        "4817051000",
        "2026-10-23",
        None,
    )
    assert (row.outcome, row.services) == ("unreachable", "")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_an_interrupted_write_leaves_nothing_the_nightly_would_read(tmp_path):
    (tmp_path / ".web_x.csv.1234.tmp").write_text("household_key,emd_code\nhalf")
    write_durably(tmp_path, "web_a.csv", csv_text(RECORD))
    assert [p.name for p in feedback_files(tmp_path)] == ["web_a.csv"]


def test_names_sort_in_the_order_results_were_entered():
    from datetime import UTC, datetime

    early = result_file_name("4817051000", datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    late = result_file_name("4817099000", datetime(2026, 10, 1, 9, 1, tzinfo=UTC))
    assert early < late and early.startswith("web_20261001T090000")
