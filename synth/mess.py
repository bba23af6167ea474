"""Messy deliveries at rate `mess`: bad rows inside files, and whole files gone wrong.

Row kinds (each messy row gets one, chosen among the kinds its feed can have):
bad_number, negative_amount, bad_ym, impossible_date, malformed_rrn, unknown_rrn,
unknown_household, duplicate_row, formula_concern.
File kinds: wrong_encoding, corrected_v2, late_delivery and skipped_month (decided by the
schedule), duplicate_file and truncated (applied after writing). Everything injected is
recorded in `truth/mess.json`.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

from synth.names import check_digit
from synth.schedule import Schedule, next_weekday

# feed -> role -> columns; JSON Lines feeds hold JSON tokens (strings keep their quotes)
COLUMNS = {
    "registry": {"rrn": ["rrn"], "dates": ["birth_date", "moved_in"]},
    "kepco": {"rrn": ["주민번호"], "ym": ["기준년월"], "numbers": ["체납개월수", "사용량kWh"], "amounts": ["체납금액"]},
    "water": {"rrn": ["rrn"], "ym": ["ym"], "numbers": ["arrears_months"], "amounts": ["arrears_amount"]},
    "gas": {"rrn": ["rrn"], "ym": ["ym"], "numbers": ["arrears_months", "usage_m3"], "amounts": ["arrears_amount"]},
    "nhis": {"rrn": ["rrn"], "ym": ["ym"], "amounts": ["premium_arrears_amount", "medical_oop_amount"]},
    "nps": {"rrn": ["rrn"], "ym": ["ym"]},
    "telecom": {"rrn": ["rrn"], "ym": ["ym"], "numbers": ["arrears_months"], "amounts": ["arrears_amount"]},
    "credit": {"rrn": ["rrn"], "ym": ["ym"], "numbers": ["delinquency_days"], "amounts": ["delinquent_amount"]},
    "housing": {"household": ["household_no"], "ym": ["ym"], "numbers": ["arrears_months"], "amounts": ["arrears_amount"]},
    "employment": {"rrn": ["rrn"], "dates": ["event_date"]},
    "benefits": {"household": ["household_no"], "dates": ["start_date"]},
    "referrals": {"household": ["household_no"], "dates": ["referral_date"], "text": ["concern"]},
}  # fmt: skip
JSONL = ("housing", "employment")
PARQUET = ("nhis", "nps")
KIND_ROLE = {
    "bad_number": "numbers", "negative_amount": "amounts", "bad_ym": "ym",
    "impossible_date": "dates", "malformed_rrn": "rrn", "unknown_rrn": "rrn",
    "unknown_household": "household", "duplicate_row": None, "formula_concern": "text",
}  # fmt: skip
BAD_NUMBERS = np.array(["abc", "N/A", "1.2.3", "12O", "?"])
BAD_DAYS = np.array(["02-30", "02-31", "04-31", "06-31", "09-31", "11-31"])
FORMULAS = np.array(
    ['=HYPERLINK("x")', "+82 10-2345-6789 연락 요망", "-연락두절", "@home 방문 요청", "=1+2"]
)


@dataclass
class MessLog:
    """What was injected: row events per file and kind, file events."""

    rate: float
    rows: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    files: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        """The content of truth/mess.json."""
        totals, by_feed = Counter(), defaultdict(Counter)
        for path, kinds in self.rows.items():
            totals.update(kinds)
            by_feed[path.split("/")[0]].update(kinds)
        return {
            "mess": self.rate,
            "row_totals": dict(sorted(totals.items())),
            "row_totals_by_feed": {f: dict(sorted(k.items())) for f, k in sorted(by_feed.items())},
            "file_totals": dict(sorted(Counter(e["kind"] for e in self.files).items())),
            "files": self.files,
            "rows": {p: dict(sorted(k.items())) for p, k in sorted(self.rows.items())},
        }


def kinds_for(feed: str) -> list[str]:
    """Row kinds a feed can carry (Parquet cannot hold text in number columns)."""
    roles = COLUMNS[feed]
    found = [k for k, role in KIND_ROLE.items() if role is None or role in roles]
    if feed == "registry":  # the registry defines who exists: its numbers cannot be nobody's
        found.remove("unknown_rrn")
    return [k for k in found if not (feed in PARQUET and k == "bad_number")]


def inject_rows(
    rng: np.random.Generator, feed: str, frame: pl.DataFrame, rate: float, log: MessLog, path: str
) -> pl.DataFrame:
    """Mess up about `rate` of the rows, one kind each; record the counts against `path`."""
    if rate <= 0 or frame.height == 0:
        return frame
    kinds = kinds_for(feed)
    idx = np.flatnonzero(rng.random(frame.height) < rate)
    pick = rng.integers(0, len(kinds), len(idx))
    duplicates = np.array([], dtype=np.int64)
    for k, kind in enumerate(kinds):
        rows = idx[pick == k]
        if len(rows) == 0:
            continue
        log.rows[path][kind] += len(rows)
        if kind == "duplicate_row":
            duplicates = rows
            continue
        role = KIND_ROLE[kind]
        col = COLUMNS[feed][role][int(rng.integers(0, len(COLUMNS[feed][role])))]
        values = _messy_values(rng, kind, frame[col][rows], feed in JSONL)
        frame = frame.with_columns(frame[col].scatter(rows, values).alias(col))
    if len(duplicates):
        order = np.concatenate([np.arange(frame.height), duplicates])
        frame = frame[np.sort(order, kind="stable")]
    return frame


def _messy_values(rng: np.random.Generator, kind: str, current: pl.Series, json: bool) -> pl.Series:
    """Replacement values of one kind for the selected cells."""
    n = len(current)
    if current.dtype != pl.String:  # typed Parquet amounts
        return -current.abs() - 1 if kind == "negative_amount" else current
    text = (
        current.str.strip_chars('"').to_numpy().astype(str)
        if json
        else current.to_numpy().astype(str)
    )
    if kind == "bad_number":
        return pl.Series(_tok(BAD_NUMBERS[rng.integers(0, len(BAD_NUMBERS), n)], json))
    if kind == "negative_amount":
        return pl.Series(np.char.add("-", np.where(text == "0", "1", text)))
    if kind == "bad_ym":
        return pl.Series(_tok(np.char.add(text.astype("U4"), "13"), json))
    if kind == "impossible_date":
        return pl.Series(
            _tok(
                np.char.add(np.char.add(text.astype("U4"), "-"), BAD_DAYS[rng.integers(0, 6, n)]),
                json,
            )
        )
    if kind == "malformed_rrn":
        return pl.Series(_tok(_malformed(rng, text), json))
    if kind == "unknown_rrn":
        return pl.Series(_tok(_unknown_rrns(rng, n), json))
    if kind == "unknown_household":
        return pl.Series(_tok(rng.integers(10**10, 10**11, n).astype(str), json))
    return pl.Series(FORMULAS[rng.integers(0, len(FORMULAS), n)])  # formula_concern


def _tok(values: np.ndarray, json: bool) -> np.ndarray:
    """Strings as JSON tokens when the frame holds JSON."""
    return np.char.add(np.char.add('"', values), '"') if json else values


def _malformed(rng: np.random.Generator, rrn: np.ndarray) -> np.ndarray:
    """Broken resident numbers: no hyphen, cut short, a letter O for a zero, one digit too many."""
    how = rng.integers(0, 4, len(rrn))
    options = [
        np.char.replace(rrn, "-", ""), rrn.astype("U11"),
        np.char.replace(rrn, "0", "O", count=1), np.char.add(rrn, "7"),
    ]  # fmt: skip
    return np.choose(how, options)


def _unknown_rrns(rng: np.random.Generator, n: int) -> np.ndarray:
    """Well-formed resident numbers of nobody (sex digit 5–8, never used for residents here)."""
    yymmdd = (
        rng.integers(40, 99, n) * 10_000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    )
    first12 = (
        yymmdd.astype(np.int64) * 1_000_000
        + rng.integers(5, 9, n) * 100_000
        + rng.integers(0, 100_000, n)
    )
    digits = pl.Series(first12 * 10 + (check_digit(first12) + 1) % 10).cast(pl.String).str.zfill(13)
    return (
        pl.select(pl.concat_str(digits.str.slice(0, 6), pl.lit("-"), digits.str.slice(6)))
        .to_series()
        .to_numpy()
        .astype(str)
    )


def damage_files(
    rng: np.random.Generator, inbox: Path, plan: Schedule, rate: float, log: MessLog
) -> None:
    """After writing: a few files delivered twice under another name, a few cut short."""
    if rate <= 0:
        return
    files = sorted(p for p in inbox.glob("*/*") if p.is_file() and "_v" not in p.stem)
    for path in files:
        if rng.random() < rate:
            _duplicate(path, plan, log)
        elif rng.random() < rate / 4 and path.stat().st_size > 200:
            keep = int(path.stat().st_size * rng.uniform(0.4, 0.9))
            with path.open("r+b") as handle:
                handle.truncate(keep)
            log.files.append({"kind": "truncated", "file": _rel(path), "bytes_kept": keep})


def _duplicate(path: Path, plan: Schedule, log: MessLog) -> None:
    """The same bytes again under the next free weekday's name within the world."""
    feed, stem = path.parent.name, path.stem.split("_")
    day = plan.start.fromisoformat(f"{stem[1][:4]}-{stem[1][4:6]}-{stem[1][6:]}")
    for _ in range(5):
        day = next_weekday(day + timedelta(days=1))
        target = path.with_name(f"{feed}_{day:%Y%m%d}{path.suffix}")
        if day <= plan.end and not target.exists():
            shutil.copyfile(path, target)
            log.files.append(
                {"kind": "duplicate_file", "file": _rel(target), "same_as": _rel(path)}
            )
            return


def _rel(path: Path) -> str:
    """`<feed>/<file>`: the path relative to the inbox."""
    return f"{path.parent.name}/{path.name}"
