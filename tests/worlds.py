"""Shared helpers for tests that build a small synthetic world and break its deliveries."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path


def ingested_world(home: Path, households: int, seed: int, mess: float):
    """A synthetic world of `households` × 12 months to 2026-10 in `home`, every delivery
    ingested and the legacy visits loaded; (settings, the last delivery night)."""
    from cli.main import latest_delivery_date
    from ingest.load import ingest_inbox
    from outreach.visits import load_visits
    from sagak.privacy import secret
    from sagak.settings import get_settings
    from sagak.warehouse import warehouse
    from synth.world import generate

    generate(home, households=households, months=12, end="2026-10", seed=seed, mess=mess)
    settings = get_settings(home)
    night = latest_delivery_date(settings.inbox)
    with warehouse(settings) as con:
        ingest_inbox(con, settings.inbox, night, secret(settings))
        load_visits(con, settings.feedback, secret(settings))
    return settings, night


def latest_file(inbox: Path, feed: str) -> Path:
    """The newest delivery file of `feed` in the inbox."""
    return sorted((inbox / feed).iterdir())[-1]


def truncate_delivery(path: Path, share: float) -> int:
    """Keep the header and the first `share` of a CSV delivery's rows; the rows kept."""
    lines = path.read_bytes().splitlines(keepends=True)
    kept = max(1, int((len(lines) - 1) * share))
    path.write_bytes(b"".join(lines[: 1 + kept]))
    return kept


def blank_column(path: Path, column: str, encoding: str = "utf-8") -> int:
    """Empty one column of a CSV delivery in every row; the rows changed."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
    index = [name.strip() for name in rows[0]].index(column)
    for row in rows[1:]:
        row[index] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return len(rows) - 1


class WebhookReceiver:
    """A local HTTP webhook (stdlib http.server in a thread) that keeps every body it gets."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        """The Apprise URL that posts JSON to this receiver."""
        return f"json://127.0.0.1:{self.port}/alerts"


def copy_home(home: Path, target: Path):
    """A copy of a SAGAK_HOME (inbox, warehouse, artifacts …) to change freely; its settings."""
    import shutil

    from sagak.settings import get_settings

    shutil.copytree(home, target, ignore=shutil.ignore_patterns("sagak.lock", "tmp"))
    return get_settings(target)
