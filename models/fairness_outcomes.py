"""The fairness audit after each night's outcomes: the published lists against their visits.

For every visit result handed back by the night (table `visits`), the household's score on the
night it was assigned (outreach/<night>/ranked.parquet) and its outcome (1 confirmed_crisis,
0 not_in_need; other outcomes carry no label). `selected` is what the list did: picked for its
rank (selected) or drawn at random below the picks (exploration, not selected) — so FNR/FOR
come from the random share. The metrics are models.fairness's (Aequitas definitions), grouped
by the scorer of the night of assignment (manifest.json `scorer`: a model id or the baseline),
over every result known by the night (cumulative). Written to
artifacts/models/<scorer>/outcomes/<night>/audit_input.parquet and fairness.parquet, and to
`fairness_audit` with scope "outcomes" and the night.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from models.fairness import audit_attributes, audit_rows, fairness, store_fairness
from models.registry import registry_dir
from sagak.warehouse import sql_text, table_exists

OUTCOMES_DIR = "outcomes"


def published_nights(outreach: Path, as_of: date) -> dict[date, Path]:
    """Night → its outreach folder, for every night up to as_of with a ranked.parquet."""
    nights = {}
    for folder in outreach.glob("????-??-??"):
        try:
            night = date.fromisoformat(folder.name)
        except ValueError:
            continue
        if night <= as_of and (folder / "ranked.parquet").exists():
            nights[night] = folder
    return nights


def night_scorer(folder: Path) -> str:
    """The scorer that ranked a night's list (its manifest), "unknown" without a manifest."""
    path = folder / "manifest.json"
    if not path.exists():
        return "unknown"
    return json.loads(path.read_text(encoding="utf-8")).get("scorer") or "unknown"


def outcome_rows(con: duckdb.DuckDBPyConnection, outreach: Path, as_of: date) -> pl.DataFrame:
    """`household_key, as_of (night assigned), score, label, selected, sigungu_code, scorer`."""
    nights = published_nights(outreach, as_of)
    if not nights or not table_exists(con, "visits"):
        return pl.DataFrame()
    visits = con.sql(
        sql_text("models/outcome_visits.sql"), params={"as_of": as_of, "nights": sorted(nights)}
    ).pl()
    parts = []
    for night, part in visits.partition_by("as_of", as_dict=True).items():
        folder = nights[night[0]]
        listed = (
            pl.scan_parquet(folder / "ranked.parquet")
            .filter(pl.col("assigned"))
            .select("household_key", "score", "sigungu_code", "exploration")
            .collect()
        )
        parts.append(
            part.join(listed, on="household_key").with_columns(
                (~pl.col("exploration")).alias("selected"),
                pl.lit(night_scorer(folder)).alias("scorer"),
            )
        )
    return pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()


def outcome_folder(artifacts: Path, scorer: str, night: date) -> Path:
    """artifacts/models/<scorer>/outcomes/<night>/ (the baseline gets a folder of its own)."""
    return registry_dir(artifacts) / scorer / OUTCOMES_DIR / night.isoformat()


def nightly_outcome_audit(con: duckdb.DuckDBPyConnection, settings, as_of: date) -> int:
    """Audit the published lists against the results known by `as_of`; the rows audited (0
    when no result of a published list has come back yet). Call after the visits step."""
    rows = outcome_rows(con, settings.outreach, as_of)
    if rows.is_empty():
        return 0
    audited = 0
    for (scorer,), part in sorted(rows.partition_by("scorer", as_dict=True).items()):
        nights = sorted(part["as_of"].unique())
        audit = audit_rows(part, audit_attributes(con, nights))
        if audit.is_empty():
            continue
        folder = outcome_folder(settings.artifacts, scorer, as_of)
        folder.mkdir(parents=True, exist_ok=True)
        audit.write_parquet(folder / "audit_input.parquet")
        table = fairness(audit)
        table.write_parquet(folder / "fairness.parquet")
        store_fairness(con, table, scorer, scope="outcomes", night=as_of)
        audited += audit.height
    return audited
