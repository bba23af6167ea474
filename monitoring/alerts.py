"""Alerts: the night's findings sent through Apprise URLs or a saved Prefect notification block
(e-mail, Slack, Teams, a webhook …), configured in monitoring.yml `alerts` and $SAGAK_ALERT_URLS.

Sending never stops the night: a destination that fails is logged and recorded as a warning.
"""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlsplit

from monitoring.config import MonitoringConfig
from monitoring.findings import at_least, by_priority, finding

LOGGER = logging.getLogger("sagak.monitoring")
MAX_LINES = 30


def alert_text(night: date, stage: str, rows: list[dict]) -> tuple[str, str]:
    """(title, body): counts by severity, then one line per finding, the first to act on first."""
    ordered = by_priority(rows)
    counts = {s: sum(r["severity"] == s for r in rows) for s in ("critical", "warning")}
    title = f"sagak {night} ({stage}): {counts['critical']} critical, {counts['warning']} warning"
    lines = [f"[{r['severity']}] {r['message']}" for r in ordered[:MAX_LINES]]
    if len(ordered) > MAX_LINES:
        lines.append(f"… and {len(ordered) - MAX_LINES} more: `sagak monitor --nights 1`")
    return title, "\n".join(lines)


def destination_name(url: str) -> str:
    """A URL without its secrets (tokens, passwords, paths): scheme and host only."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}"


def send_apprise(url: str, title: str, body: str) -> str | None:
    """Send to one Apprise URL; None on success, else why it failed."""
    import apprise

    client = apprise.Apprise()
    if not client.add(url):
        return "not a valid Apprise URL"
    return None if client.notify(title=title, body=body) else "the destination refused or failed"


def send_block(name: str, title: str, body: str) -> str | None:
    """Send through a saved Prefect notification block ("slack-webhook/ops"); None on success."""
    from prefect.blocks.core import Block

    block = Block.load(name)
    with block.raise_on_failure():
        block.notify(body, subject=title)
    return None


def send_alerts(config: MonitoringConfig, night: date, stage: str, rows: list[dict]) -> list[dict]:
    """Send the findings at or above alerts.min_severity to every destination; one row each
    (stage `alerts`): ok when delivered, warning when it failed. Nothing to send: no rows."""
    chosen = at_least(rows, config.alerts.min_severity)
    if not chosen:
        return []
    title, body = alert_text(night, stage, chosen)
    targets = [(destination_name(u), send_apprise, u) for u in config.alert_urls()]
    if config.alerts.block:
        targets.append((f"block {config.alerts.block}", send_block, config.alerts.block))
    results = []
    for name, send, where in targets:
        try:
            error = send(where, title, body)
        except Exception as err:  # an alert must never stop the night
            error = f"{type(err).__name__}: {err}"
        if error:
            LOGGER.warning("alert to %s failed: %s", name, error)
        severity = "warning" if error else "ok"
        message = f"alert to {name}: " + (f"failed ({error})" if error else f"sent: {title}")
        results.append(
            finding("alert", f"{stage} {name}", len(chosen), None, None, severity, message)
        )
    return results
