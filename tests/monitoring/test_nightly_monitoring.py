"""End to end: a small world whose latest extracts are broken, through the real nightly flow.

kepco's latest delivery keeps a tenth of its rows; gas's latest delivery has usage_m3 blanked.
Both must be found, forced stale for the night (features NULL + flag), told to the local
webhook receiver, and shown in the manifest and the report; the other feeds stay as they were.
"""

from __future__ import annotations

import json

import duckdb
import pytest
import yaml

from cli.main import latest_delivery_date
from sagak.settings import get_settings
from synth.world import generate
from tests.worlds import WebhookReceiver, blank_column, latest_file, truncate_delivery


@pytest.fixture(scope="module")
def broken_night(tmp_path_factory, prefect_server):
    """(settings, night, manifest, alert bodies, monitoring rows of a second run)."""
    from flows.nightly import nightly

    home = tmp_path_factory.mktemp("monitor_home")
    generate(home, households=300, months=6, end="2026-10", seed=5, mess=0.0)
    settings = get_settings(home)
    truncate_delivery(latest_file(settings.inbox, "kepco"), 0.1)
    blank_column(latest_file(settings.inbox, "gas"), "usage_m3")
    night = latest_delivery_date(settings.inbox)
    with WebhookReceiver() as receiver:
        config = {"volume": {"min_rows": 10}, "alerts": {"urls": [receiver.url]}}
        (home / "monitoring.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        manifest = nightly(as_of=night, home=str(home))
        first = rows(settings, night)
        report = monitoring_section(settings, night)
        nightly(as_of=night, home=str(home))  # a re-run replaces the night's rows
    return settings, night, manifest, receiver.bodies, first, report


def monitoring_section(settings, night) -> str:
    """The report's monitoring section (the rest of the report counts tonight's ingest)."""
    text = (settings.outreach_dir(night.isoformat()) / "report.html").read_text("utf-8")
    return text[text.index("<h2>모니터링 (monitoring)</h2>") :]


def rows(settings, night):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(
            "select stage, check_name, subject, value, severity, message from monitoring "
            "where night = $night order by all",
            params={"night": night},
        ).fetchall()


def finding(first, check, subject):
    found = [r for r in first if r[1] == check and r[2] == subject]
    assert len(found) == 1, (check, subject, found)
    return found[0]


def test_a_feed_at_a_tenth_of_its_volume_is_critical(broken_night):
    _, _, _, _, first, _ = broken_night
    kepco = finding(first, "volume", "kepco")
    assert kepco[4] == "critical"
    assert "extract probably incomplete; its features are marked stale tonight" in kepco[5]
    assert "10% of the usual" in kepco[5] or "9% of the usual" in kepco[5]


def test_an_untouched_feed_of_the_same_night_is_ok(broken_night):
    _, _, _, _, first, _ = broken_night
    assert finding(first, "volume", "registry")[4] == "ok"
    assert finding(first, "volume", "nhis")[4] == "ok"
    assert not [r for r in first if r[2].startswith("nhis") and r[4] != "ok"]


def test_a_blanked_column_is_critical_and_other_columns_are_not(broken_night):
    _, _, _, _, first, _ = broken_night
    usage = finding(first, "blanks", "gas.usage_m3")
    assert usage[4] == "critical" and usage[3] == 1.0
    assert "column usage_m3 100% blank" in usage[5]
    assert finding(first, "blanks", "gas.ym")[4] == "ok"


def test_critical_feeds_are_forced_stale_features_null_and_flagged(broken_night):
    settings, night, _, _, _, _ = broken_night
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        forced = con.sql(
            "select feed from monitoring_forced_stale where night = $n order by feed",
            params={"n": night},
        ).fetchall()
        features = con.sql(
            "select max(kepco_stale), max(gas_stale), max(nhis_stale), "
            "count(power_arrears_months_max_3m), count(gas_arrears_months_max_3m), "
            "count(nhis_arrears_months_max_6m), count(*) "
            "from household_features where as_of = $n",
            params={"n": night},
        ).fetchall()[0]
    assert forced == [("gas",), ("kepco",)]
    kepco_stale, gas_stale, nhis_stale, power, gas, nhis, households = features
    assert (kepco_stale, gas_stale, nhis_stale) == (1, 1, 0)
    assert power == 0 and gas == 0
    assert nhis == households > 200


def test_manifest_and_report_say_which_feeds_were_forced_stale_and_why(broken_night):
    settings, night, manifest, _, _, report = broken_night
    reasons = {f["feed"]: f["reason"] for f in manifest["monitoring"]["forced_stale"]}
    assert set(reasons) == {"gas", "kepco"}
    assert reasons["kepco"].startswith("kepco (delivery ") and "rows" in reasons["kepco"]
    assert reasons["kepco"].endswith("(+1 more critical)") and "usage_m3" in reasons["gas"]
    feeds = {f["feed"]: f for f in manifest["feeds"]}
    assert feeds["kepco"]["forced_stale"] == reasons["kepco"]
    assert feeds["nhis"]["forced_stale"] is None
    assert "feeds forced stale tonight" in report and "extract probably incomplete" in report
    assert report.count("<img") == 1  # volumes (no champion, no earlier night, no results)


def test_the_alert_reached_the_local_receiver(broken_night):
    _, night, _, bodies, _, _ = broken_night
    feeds = [b for b in bodies if "(feeds)" in b.get("title", "")]
    assert feeds, bodies
    assert str(night) in feeds[0]["title"] and "3 critical" in feeds[0]["title"]
    assert "[critical] kepco (delivery" in feeds[0]["message"]
    assert "usage_m3" in feeds[0]["message"]


def test_a_rerun_gives_the_same_rows_and_report(broken_night):
    settings, night, _, _, first, report = broken_night
    again = [r for r in rows(settings, night) if r[1] != "alert"]
    assert again == [r for r in first if r[1] != "alert"]
    assert monitoring_section(settings, night) == report


def test_sagak_monitor_prints_the_findings(broken_night):
    from typer.testing import CliRunner

    from cli.main import app

    settings, night, _, _, _, _ = broken_night
    result = CliRunner().invoke(app, ["monitor", "--home", str(settings.home)])
    assert result.exit_code == 0, result.output
    assert f"{night}: " in result.output and "!! feeds" in result.output
    result = CliRunner().invoke(app, ["monitor", "--home", str(settings.home), "--json"])
    parsed = json.loads(result.output)
    assert {r["severity"] for r in parsed} >= {"ok", "critical"}
    bad = CliRunner().invoke(app, ["monitor", "--home", str(settings.home), "--nights", "0"])
    assert bad.exit_code == 2 and "--nights" in bad.output
