"""Drift after scoring: PSI of every model feature and of the scores, each against a reference
like tonight, so that a critical finding means something broke.

- `feature_psi`: tonight against the last stored night within `psi.recent_days` (same season,
  same length of history). A feature whose feeds delivered nothing since then should not move: a
  critical PSI there points at the code or the pipeline. One that moved with a new delivery
  points at that delivery; a feature of `psi.seasonal` (usage against its own last months) moves
  with every monthly delivery, and the monthly windows move when the month turns, so those are
  at most warnings.
- `feature_psi_validation`, `score_psi_training`: against the champion's validation period
  (validation_scores.parquet: the rows it was chosen and calibrated on, weighted for the
  unsampled households). Another season and a shorter history, so at most a warning; their values
  feed the early-retraining rule (monitoring/retrain.py).
- `score_psi_last_night`: tonight's scores against the last published list.

A snapshot in which a feature's feed was stale (the feature NULL for everyone, or its
`<feed>_stale` flag 1 for everyone) is no reference for it: such reference dates are left out.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb
import numpy as np
import polars as pl

from monitoring.config import MonitoringConfig
from monitoring.findings import finding, graded, note
from monitoring.psi import bin_edges, binned, histogram, psi, value_psi
from sagak.warehouse import sql_text, table_exists

REFERENCE_FILE = "validation_scores.parquet"
# per feature, the validation rows' bin edges and weighted counts, computed on a champion's first
# night and read on the others (the same floats: a quantile of 300,000 weighted rows per feature
# every night cost about a second)
BINS_FILE = "psi_validation_bins.json"
VALIDATION = "the champion's validation period"


class Reference(NamedTuple):
    """A champion's validation rows, its features, and its folder (where the bins of its rows
    are kept once computed: `BINS_FILE`)."""

    rows: pl.DataFrame
    features: list[str]
    folder: Path | None = None


def champion_reference(folder: Path | None) -> Reference | None:
    """The reference of a champion folder, None without one."""
    if folder is None or not (folder / REFERENCE_FILE).exists():
        return None
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    rows = pl.read_parquet(folder / REFERENCE_FILE)
    return Reference(rows, list(meta.get("features", [])), folder)


def _weights(reference: pl.DataFrame) -> np.ndarray | None:
    return reference["weight"].to_numpy() if "weight" in reference.columns else None


def stale_in(name: str, values: np.ndarray) -> bool:
    """The feature's feed was stale in this snapshot: all NULL, or its `_stale` flag all 1."""
    if values.size == 0 or np.isnan(values).all():
        return True
    return name.endswith("_stale") and bool((values == 1).all())


def date_masks(rows: pl.DataFrame) -> list[np.ndarray]:
    """One mask of the reference rows per snapshot date (none without `as_of`)."""
    if "as_of" not in rows.columns:
        return []
    dates = rows["as_of"].to_numpy()
    return [dates == day for day in np.unique(dates)]


def fresh_rows(name: str, values: np.ndarray, days: list[np.ndarray]) -> np.ndarray:
    """A mask of the reference rows whose snapshot date (`days`: `date_masks`) was not stale
    for `name`."""
    keep = np.ones(values.size, dtype=bool)
    for same in days:
        if stale_in(name, values[same]):
            keep &= ~same
    return keep


def judged(
    check: str,
    subject: str,
    value: float,
    config: MonitoringConfig,
    what: str,
    cap: str | None = None,
    advice: str = "",
) -> dict:
    """A PSI finding graded by the psi thresholds (at most `cap`), saying against what."""
    limits = config.psi
    severity, bound = graded(value, limits.warning, limits.critical, below=False)
    if cap == "warning" and severity == "critical":
        severity, bound = "warning", limits.warning
    message = f"{subject}: PSI {value:.3f} against {what}"
    if severity != "ok" and advice:
        message += f" — {advice}"
    return finding(check, subject, value, None, bound, severity, message)


def feature_drift(
    con: duckdb.DuckDBPyConnection, as_of: date, reference, config: MonitoringConfig
) -> list[dict]:
    """Per champion feature: PSI against the last recent night, then against validation."""
    if reference is None:
        return [
            note(
                "feature_psi",
                "all",
                "baseline scorer: no champion reference to measure drift against",
            )
        ]
    rows, features = reference.rows, reference.features
    present = {r[0] for r in con.sql("describe household_features").fetchall()}
    names = [f for f in features if f in present and f in rows.columns]
    last = recent_night(con, as_of, config.psi.recent_days)
    delivered = feeds_delivered(con, last, as_of) if last else set()
    bins = validation_bins(reference, names, config.psi.bins)
    found = []
    for name, tonight, before in night_values(con, names, as_of, last):
        if stale_in(name, tonight):
            found.append(
                note("feature_psi", name, f"{name}: its feed is stale tonight — not judged")
            )
            continue
        found.append(recent_finding(name, tonight, before, last, as_of, delivered, config))
        found.append(validation_finding(name, tonight, bins[name], config))
    return found


def recent_finding(name, tonight, before, last, as_of, delivered: set[str], config) -> dict:
    """`feature_psi`: tonight against the last recent night (or why it is not judged)."""
    if last is None:
        days = config.psi.recent_days
        return note("feature_psi", name, f"{name}: no night in the last {days} days to compare")
    if stale_in(name, before):
        return note("feature_psi", name, f"{name}: its feed was stale on {last} — not judged")
    sources = sorted(set(feature_sources(name)) & delivered)
    turned = (last.year, last.month) != (as_of.year, as_of.month)
    if sources:
        advice = f"{', '.join(sources)} delivered since: check that delivery"
    elif turned:
        advice = "the month turned since (its windows moved): check it if it persists"
    else:
        advice = "nothing new was delivered for it since: a code or pipeline change?"
    # not like with like: a seasonal feature's new month, or windows that moved with the month
    cap = "warning" if turned or (sources and name in config.psi.seasonal) else None
    value = value_psi(before, tonight, config.psi.bins)
    return judged("feature_psi", name, value, config, f"the night of {last}", cap, advice)


def validation_finding(name: str, tonight: np.ndarray, bins: dict | None, config) -> dict:
    """`feature_psi_validation`: tonight against the validation period's fresh dates, binned
    (`validation_bins`) at their quantiles."""
    if bins is None:
        return note(
            "feature_psi_validation", name, f"{name}: stale throughout {VALIDATION} — not judged"
        )
    edges = np.asarray(bins["edges"], dtype=float)
    value = psi(np.asarray(bins["counts"], dtype=float), binned(tonight, edges))
    advice = "unlike the period the model was checked on (season, history): retrain if it lasts"
    return judged("feature_psi_validation", name, value, config, VALIDATION, "warning", advice)


def validation_bins(reference: Reference, names: list[str], bins: int) -> dict[str, dict | None]:
    """Per feature of `names`, the bin edges and weighted counts of the validation rows of its
    fresh dates (None: stale throughout), as `value_psi` bins them: from the champion's
    `BINS_FILE` when it holds them for `bins` bins, else computed and kept there."""
    path = reference.folder / BINS_FILE if reference.folder is not None else None
    kept = _read_bins(path, bins)
    missing = [name for name in names if name not in kept]
    if not missing:
        return kept
    rows, days = reference.rows, date_masks(reference.rows)
    weights = _weights(rows)
    for name in missing:
        values = rows[name].cast(pl.Float64).fill_null(np.nan).to_numpy()
        keep = fresh_rows(name, values, days)
        if not keep.any():
            kept[name] = None
            continue
        w = None if weights is None else weights[keep]
        edges = bin_edges(values[keep], w, bins)
        counts = histogram(values[keep], edges, w)
        kept[name] = {"edges": edges.tolist(), "counts": counts.tolist()}
    _write_bins(path, bins, kept)
    return kept


def _read_bins(path: Path | None, bins: int) -> dict:
    """The bins kept in `path` for `bins` bins ({} if none, or another number of bins)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}
    return kept.get("features", {}) if kept.get("bins") == bins else {}


def _write_bins(path: Path | None, bins: int, kept: dict) -> None:
    """Keep the bins in `path` (replaced whole, atomically); a folder that cannot be written
    only means computing them again next night."""
    if path is None:
        return
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(json.dumps({"bins": bins, "features": kept}), encoding="utf-8")
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)


def recent_night(con: duckdb.DuckDBPyConnection, as_of: date, days: int) -> date | None:
    """The latest stored feature snapshot before as_of, no more than `days` days before."""
    return con.execute(
        sql_text("monitoring/recent_feature_night.sql"),
        {"as_of": as_of, "since": as_of - timedelta(days=days)},
    ).fetchall()[0][0]


NIGHT_COLUMNS = 16  # features read per query: two nights of 1M households, ~260 MB


def night_values(con, names: list[str], as_of: date, last: date | None):
    """(name, its values tonight, its values on the night `last` (empty without one)) for each
    of `names`, read a few columns at a time."""
    for start in range(0, len(names), NIGHT_COLUMNS):
        chunk = names[start : start + NIGHT_COLUMNS]
        columns = ", ".join(f'"{name}"::double as "{name}"' for name in chunk)
        frame = con.sql(
            f"select as_of = $as_of as tonight, {columns} from household_features "
            "where as_of = $as_of or as_of = $last",
            params={"as_of": as_of, "last": last},
        ).pl()
        tonight = frame.filter(pl.col("tonight"))
        before = frame.filter(~pl.col("tonight"))
        for name in chunk:
            yield (
                name,
                tonight[name].fill_null(np.nan).to_numpy(),
                before[name].fill_null(np.nan).to_numpy() if last else np.array([]),
            )


def feeds_delivered(con: duckdb.DuckDBPyConnection, after: date, as_of: date) -> set[str]:
    """The feeds with a delivery dated in (after, as_of]."""
    if not table_exists(con, "current_files"):
        return set()
    rows = con.execute(
        sql_text("monitoring/feeds_delivered.sql"), {"after": after, "as_of": as_of}
    ).fetchall()
    return {r[0] for r in rows}


def feature_sources(name: str) -> tuple[str, ...]:
    """The feeds a feature comes from (the feature catalog); none for an unknown name."""
    from features.catalog import features

    found = features().get(name)
    return found.sources if found else ()


def score_drift(
    con: duckdb.DuckDBPyConnection,
    previous: Path | None,
    reference,
    config: MonitoringConfig,
) -> list[dict]:
    """PSI of tonight's scores against last night's published list and the reference."""
    scores = con.sql("select score::double as score from household_scores").pl()["score"]
    current = scores.fill_null(np.nan).to_numpy()
    rows = []
    if previous is not None:
        last = pl.read_parquet(previous / "ranked.parquet", columns=["score"])["score"]
        value = value_psi(
            last.cast(pl.Float64).fill_null(np.nan).to_numpy(), current, config.psi.bins
        )
        what = f"the last published night ({previous.name})"
        advice = "the list's scores moved more than usual: check tonight's feeds and findings"
        rows.append(judged("score_psi_last_night", "score", value, config, what, None, advice))
    if reference is not None and "probability" in reference[0].columns:
        ref = reference[0]
        value = value_psi(ref["probability"].to_numpy(), current, config.psi.bins, _weights(ref))
        advice = "scores unlike the period the model was checked on: retrain if it lasts"
        rows.append(
            judged("score_psi_training", "score", value, config, VALIDATION, "warning", advice)
        )
    return rows
