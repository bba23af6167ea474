"""Alerts through Apprise to a local webhook receiver; a failing destination never raises."""

from __future__ import annotations

import socket
from datetime import date

from monitoring.alerts import alert_text, destination_name, send_alerts
from monitoring.config import config_from
from monitoring.findings import finding
from tests.worlds import WebhookReceiver

NIGHT = date(2026, 10, 30)
CRITICAL = finding(
    "volume",
    "nhis",
    4102,
    45600,
    11400,
    "critical",
    "nhis: 4,102 rows, 9% of the usual 45,600 — extract probably incomplete; "
    "its features are marked stale tonight",
)
WARNING = finding("blanks", "gas.cutoff", 0.3, 0.0, 0.2, "warning", "gas: column cutoff 30% blank")
OK = finding("volume", "kepco", 300, 300, 75, "ok", "kepco: 300 rows")


def config(urls, min_severity="warning"):
    return config_from({"alerts": {"urls": urls, "min_severity": min_severity}}, "test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_alert_reaches_the_local_receiver_with_the_finding_text():
    with WebhookReceiver() as receiver:
        sent = send_alerts(config([receiver.url]), NIGHT, "feeds", [OK, WARNING, CRITICAL])
    assert [r["severity"] for r in sent] == ["ok"]
    assert len(receiver.bodies) == 1
    body = receiver.bodies[0]
    assert body["title"] == "sagak 2026-10-30 (feeds): 1 critical, 1 warning"
    assert body["message"].splitlines() == [
        f"[critical] {CRITICAL['message']}",
        f"[warning] {WARNING['message']}",
    ]


def test_nothing_is_sent_when_every_check_is_ok():
    with WebhookReceiver() as receiver:
        assert send_alerts(config([receiver.url]), NIGHT, "feeds", [OK]) == []
    assert receiver.bodies == []


def test_min_severity_critical_leaves_warnings_out():
    with WebhookReceiver() as receiver:
        send_alerts(config([receiver.url], "critical"), NIGHT, "feeds", [WARNING])
        send_alerts(config([receiver.url], "critical"), NIGHT, "feeds", [WARNING, CRITICAL])
    assert len(receiver.bodies) == 1 and "gas" not in receiver.bodies[0]["message"]


def test_an_unreachable_destination_is_recorded_not_raised():
    url = f"json://127.0.0.1:{free_port()}/alerts"
    sent = send_alerts(config([url]), NIGHT, "feeds", [CRITICAL])
    assert [r["severity"] for r in sent] == ["warning"]
    assert "failed" in sent[0]["message"]


def test_a_bad_url_and_a_missing_block_are_recorded_not_raised(prefect_server):
    bad = config_from(
        {"alerts": {"urls": ["nothing-like-a-url"], "block": "slack-webhook/none"}}, "t"
    )
    sent = send_alerts(bad, NIGHT, "feeds", [CRITICAL])
    assert [r["severity"] for r in sent] == ["warning", "warning"]
    assert "not a valid Apprise URL" in sent[0]["message"]


def test_destination_names_keep_no_secret():
    assert destination_name("slack://TOKENA/TOKENB/TOKENC") == "slack://tokena"
    assert destination_name("json://user:pw@host:8080/hook?x=1") == "json://host"


def test_alert_text_caps_the_lines():
    rows = [WARNING | {"subject": str(i)} for i in range(40)]
    _, body = alert_text(NIGHT, "feeds", rows)
    assert len(body.splitlines()) == 31 and "10 more" in body
