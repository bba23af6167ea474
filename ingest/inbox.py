"""The inbox: which files are deliveries, which are not, and which are due by as_of."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.contracts import Contract

# returned visit sheets are dropped here; `sagak feedback` and the nightly run read them
NOT_FEEDS = ("feedback",)
DELIVERY_NAME = re.compile(
    r"^(?P<feed>[a-z][a-z0-9_]*?)_(?P<date>\d{8})(?:_v(?P<version>[1-9]\d*))?"
    r"\.(?P<ext>[a-z]+)(?P<gzip>\.gz)?$"
)
# text deliveries may come gzip-compressed (`kepco_20261030.csv.gz` is the delivery
# `kepco_20261030.csv`); Parquet compresses inside the file, with any codec
GZIP_FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class Delivery:
    """One well-named delivery file: `<feed>/<feed>_<YYYYMMDD>[_v<N>].<ext>[.gz]`."""

    path: Path
    relative: str  # path relative to the inbox, as recorded in the ledger
    feed: str
    delivery_date: date
    version: int


@dataclass(frozen=True)
class Ignored:
    """A file in the inbox that is not a delivery, and why."""

    path: Path
    relative: str
    feed: str | None
    message: str


def scan_inbox(
    inbox: Path, contracts: dict[str, Contract], as_of: date
) -> tuple[list[Delivery], list[Ignored]]:
    """Deliveries dated on or before as_of (oldest first, v1 before v2) and the ignored files."""
    deliveries: list[Delivery] = []
    ignored: list[Ignored] = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file() and is_feed_file(p, inbox)):
        found = parse_delivery(path, inbox, contracts)
        if isinstance(found, Ignored):
            ignored.append(found)
        elif found.delivery_date <= as_of:
            deliveries.append(found)
    # feeds others are checked against (known_in: registry) load first on a date
    referenced = {c.known_in for contract in contracts.values() for c in contract.columns}
    deliveries.sort(
        key=lambda d: (d.delivery_date, d.feed not in referenced, d.feed, d.version, d.relative)
    )
    return deliveries, ignored


def is_feed_file(path: Path, inbox: Path) -> bool:
    """False for files in a folder that holds no agency feed (inbox/feedback/)."""
    return path.relative_to(inbox).parts[0] not in NOT_FEEDS


def parse_delivery(path: Path, inbox: Path, contracts: dict[str, Contract]) -> Delivery | Ignored:
    """A Delivery if `path` follows the naming rules of its feed, else an Ignored with the reason."""
    relative = path.relative_to(inbox).as_posix()
    parts = path.relative_to(inbox).parts
    folder = parts[0] if len(parts) == 2 else None
    if folder is None:
        return Ignored(path, relative, None, f"{relative}: not in a <feed>/ folder of the inbox")
    if folder not in contracts:
        return Ignored(path, relative, None, f"{relative}: unknown feed folder {folder!r}")
    expected = expected_name(folder, contracts[folder].format)
    match = DELIVERY_NAME.match(path.name)
    if (
        match is None
        or match["feed"] != folder
        or match["ext"] != contracts[folder].format
        or (match["gzip"] and match["ext"] not in GZIP_FORMATS)
    ):
        return Ignored(path, relative, folder, f"{relative}: name does not match {expected}")
    day = parse_day(match["date"])
    if day is None:
        return Ignored(path, relative, folder, f"{relative}: {match['date']} is not a real date")
    return Delivery(path, relative, folder, day, int(match["version"] or 1))


def expected_name(feed: str, ext: str) -> str:
    """The naming rule of a feed's files, as a person reads it."""
    return f"{feed}_<YYYYMMDD>[_v<N>].{ext}" + ("[.gz]" if ext in GZIP_FORMATS else "")


def parse_day(text: str) -> date | None:
    """The date of a YYYYMMDD string, or None if there is no such day."""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
