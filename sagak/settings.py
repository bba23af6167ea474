"""The one settings module: every path sagak reads or writes derives from SAGAK_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = PROJECT_ROOT / "sql"
DEFAULT_HOME = PROJECT_ROOT / "data"
ARCHIVE_ENV = "SAGAK_ARCHIVE"  # 1, yes, true or on: ingest archives the files it stored

FEEDS = (
    "registry",
    "kepco",
    "water",
    "gas",
    "nhis",
    "nps",
    "telecom",
    "credit",
    "housing",
    "employment",
    "benefits",
    "referrals",
)


@dataclass(frozen=True)
class Settings:
    """Paths of one sagak installation, all under `home` (SAGAK_HOME)."""

    home: Path

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        """Inbox files whose rows the warehouse holds, gzip-compressed (ingest/archive.py)."""
        return self.home / "archive"

    @property
    def archive_inbox(self) -> bool:
        """$SAGAK_ARCHIVE on: ingest moves each file it stored to archive/. Off by default: the
        inbox stays as delivered, and a new warehouse can be loaded from it alone."""
        return os.environ.get(ARCHIVE_ENV, "").strip().lower() in ("1", "yes", "true", "on")

    @property
    def feedback_inbox(self) -> Path:
        """Returned visit sheets and CSVs, stored by the next night (outreach/feedback.py)."""
        return self.inbox / "feedback"

    @property
    def feedback(self) -> Path:
        return self.home / "feedback"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def reader_copy(self) -> Path:
        """The tables the reader commands list, as the last writer left them (sagak.warehouse)."""
        return self.home / "warehouse.readers.duckdb"

    @property
    def contacts(self) -> Path:
        """The contacts store (names, phones, addresses): its own DuckDB file, 0600."""
        return self.home / "contacts.duckdb"

    @property
    def outreach(self) -> Path:
        return self.home / "outreach"

    @property
    def artifacts(self) -> Path:
        return self.home / "artifacts"

    @property
    def secrets(self) -> Path:
        return self.home / "secrets"

    @property
    def secret_key(self) -> Path:
        """The pseudonym secret, unless $SAGAK_SECRET (sagak/privacy.py)."""
        return self.secrets / "key"

    @property
    def web_key(self) -> Path:
        """The web's cookie-signing secret, unless $SAGAK_WEB_SECRET (web/app.py)."""
        return self.secrets / "web_key"

    @property
    def web_store(self) -> Path:
        """The web's accounts, sessions and access log: one SQLite file, 0600 (web/store.py)."""
        return self.home / "web" / "web.sqlite3"

    @property
    def lock(self) -> Path:
        """The writer lock (sagak/lock.py)."""
        return self.home / "sagak.lock"

    @property
    def tmp(self) -> Path:
        """DuckDB's spill folder."""
        return self.home / "tmp"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def log_file(self) -> Path:
        """The log of `sagak nightly`, `backfill` and `serve`, tracebacks included."""
        return self.logs / "sagak.log"

    @property
    def prefect_server_log(self) -> Path:
        """The output of the temporary Prefect server (flows/prefect_server.py)."""
        return self.logs / "prefect-server.log"

    @property
    def contracts(self) -> Path:
        return _tracked(self.home, "contracts")

    @property
    def teams_file(self) -> Path:
        return _tracked(self.home, "teams.yml")

    @property
    def monitoring_file(self) -> Path:
        """The monitoring thresholds and alert destinations (monitoring/config.py)."""
        return _tracked(self.home, "monitoring.yml")

    def outreach_dir(self, as_of: str) -> Path:
        return self.outreach / as_of

    def work_dir(self, as_of: str) -> Path:
        """The Parquet partitions of one night's Dask run (flows/distributed.py)."""
        return self.home / "work" / as_of


def _tracked(home: Path, name: str) -> Path:
    """Tracked configuration: SAGAK_HOME's own copy if it has one, else the project's data/."""
    own = home / name
    return own if own.exists() else DEFAULT_HOME / name


def get_settings(home: str | Path | None = None) -> Settings:
    """Settings for `home`, else $SAGAK_HOME, else data/ in the project root."""
    chosen = home or os.environ.get("SAGAK_HOME") or DEFAULT_HOME
    return Settings(home=Path(chosen).expanduser().resolve())
