import json

import polars as pl

from outreach.publish import publish
from tests.outreach.conftest import AS_OF
from tests.outreach.test_publish import DELIVERIES


def report(con, settings):
    publish(
        con,
        settings,
        AS_OF,
        "baseline-v1",
        DELIVERIES,
        feeds=[
            {
                "feed": "kepco",
                "status": "late",
                "files": 1,
                "rows_loaded": 9,
                "rows_quarantined": 2,
                "rejected": 0,
            }
        ],
    )
    return (settings.outreach_dir(AS_OF.isoformat()) / "report.html").read_text(encoding="utf-8")


def test_report_is_self_contained_and_holds_no_contact_details(con, settings):
    html = report(con, settings)
    assert html.startswith("<!doctype html>") and "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    contacts = con.sql("select name, phone, address from sagak_contacts.contacts").fetchall()
    assert not any(value in html for row in contacts for value in row)
    assert "baseline scorer — no trained model yet" in html
    assert "<td>kepco</td><td>late</td>" in html
    assert "utility_cutoff_6m" in html  # top reasons
    assert "4817051000" in html  # list size per team


def test_report_shows_the_champion_and_its_fairness_table(con, settings):
    folder = settings.artifacts / "models" / "gbm-2024"
    folder.mkdir(parents=True)
    (folder.parent / "champion.json").write_text(json.dumps({"model_id": "gbm-2024"}))
    metrics = {
        "champion_calibrated": {"roc_auc": 0.71, "ece": 0.02, "at_capacity": {"precision": 0.4}}
    }
    (folder / "metadata.json").write_text(json.dumps({"model_id": "gbm-2024", "metrics": metrics}))
    pl.DataFrame({"group": ["sex=F"], "precision": [0.41]}).write_parquet(
        folder / "fairness.parquet"
    )
    html = report(con, settings)
    assert "champion gbm-2024" in html and "no trained model" not in html
    assert "<th>at_capacity.precision</th>" in html and "0.710" in html
    assert "<td>sex=F</td><td>0.410</td>" in html
