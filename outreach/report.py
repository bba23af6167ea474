"""report.html: the analysts' morning page — one self-contained file, pictures inline, offline.

No contact details: it is built from ranked.parquet (pseudonymous keys), the manifest, the
names of teams.yml, the feature catalog's reason texts and the model registry's metadata only.
Charts are PNGs embedded as data URIs, their labels in Korean when a font with Hangul is
installed (fonts-nanum), else in English; the HTML text is Korean with English beside it.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import numpy as np
import polars as pl

from models.reason_texts import reason_templates
from outreach.report_teams import places, spare_section, teams_section
from outreach.teams import Teams, TeamsFileError, load_teams
from report.charts import hangul_font, png
from report.html import page, table
from sagak.settings import Settings

TOP_REASONS = 12


def write_report(
    path: Path,
    night: dict,
    ranked_list: pl.DataFrame,
    previous: pl.DataFrame | None,
    settings: Settings,
    monitoring: str | None = None,
) -> Path:
    """Write report.html for the night; the same inputs give the same bytes. `monitoring`: the
    HTML of monitoring.report.monitoring_section, the last section (none when None)."""
    names = places(teams_config(settings))
    sections = [
        summary_section(night, ranked_list),
        scores_section(ranked_list),
        teams_section(ranked_list, night, names),
        spare_section(night, names),
        reasons_section(ranked_list),
        changes_section(ranked_list, previous),
        feeds_section(night.get("feeds", [])),
        model_section(settings.artifacts),
    ]
    if monitoring is not None:
        sections.append(monitoring)
    title = f"sagak — {night['as_of']} 야간 보고서 (nightly report)"
    path.write_text(page(title, sections), encoding="utf-8")
    return path


def teams_config(settings: Settings) -> Teams | None:
    """teams.yml for the names of teams and cities; None when it cannot be read (codes shown)."""
    try:
        return load_teams(settings.teams_file)
    except TeamsFileError:
        return None


def histogram(values: pl.Series, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """(counts, edges) of `values` in `bins` equal bins, as matplotlib's hist would draw them."""
    return np.histogram(values.drop_nulls().to_numpy(), bins=bins)


def summary_section(night: dict, ranked_list: pl.DataFrame) -> str:
    """Who scored, how many were listed, explored, escalated, excluded and why."""
    counts = night.get("counts", {})
    rows = [
        {"항목 (item)": "scorer / model", "값 (value)": night.get("model_id") or night["scorer"]},
        {"항목 (item)": "가구 수 (households scored)", "값 (value)": ranked_list.height},
        {"항목 (item)": "배정 (assigned, open)", "값 (value)": counts.get("assigned", 0)},
        {"항목 (item)": "탐색 (exploration)", "값 (value)": counts.get("exploration", 0)},
        {
            "항목 (item)": "신규 (new since last run)",
            "값 (value)": counts.get("new_since_last_run", 0),
        },
        {"항목 (item)": "에스컬레이션 (escalated)", "값 (value)": counts.get("escalated", 0)},
    ]
    excluded = [
        {"제외 사유 (excluded_reason)": k, "가구 (households)": v}
        for k, v in counts.get("excluded_by_reason", {}).items()
    ]
    return f"<h2>요약 (summary)</h2>{table(rows)}{table(excluded)}"


def scores_section(ranked_list: pl.DataFrame) -> str:
    """Histogram of scores, all households and the assigned ones."""

    everyone = histogram(ranked_list["score"])
    listed = histogram(ranked_list.filter(pl.col("assigned"))["score"])

    def draw(ax):
        ax.stairs(*everyone, fill=True, color="#99a", label="all")
        ax.stairs(*listed, fill=True, color="#c33", alpha=0.7, label="assigned")
        ax.set(xlabel="score", ylabel="households", yscale="log", title="Score distribution")
        ax.legend()

    return f"<h2>점수 분포 (score distribution)</h2>{png(draw)}"


def top_reasons(ranked_list: pl.DataFrame) -> pl.DataFrame:
    """`ko, en, households`: the reason texts most often behind the assigned households, most
    first; a household counts once per text (two windows of one signal read alike), a code
    without a catalog text is shown as itself."""
    return (
        ranked_list.filter(pl.col("assigned"))
        .select("household_key", pl.col("reasons").alias("code"))
        .explode("code")
        .drop_nulls("code")
        .join(reason_templates(), on="code", how="left")
        .with_columns(pl.col("ko", "en").fill_null(pl.col("code")))
        .group_by("ko")
        .agg(pl.col("en").min(), pl.col("household_key").n_unique().alias("households"))
        .sort(["households", "ko"], descending=[True, False])
        .head(TOP_REASONS)
    )


def reasons_chart(top: pl.DataFrame):
    """Draws the top reasons as horizontal bars, the first on top, labelled in Korean when a
    font has Hangul (else English)."""
    labels = top["ko" if hangul_font() else "en"].to_list()[::-1]

    def draw(ax):
        ax.barh(range(top.height), top["households"].to_list()[::-1], color="#558")
        ax.set_yticks(range(top.height), labels)
        ax.set(xlabel="assigned households", title="Top reasons")

    return draw


def reasons_section(ranked_list: pl.DataFrame) -> str:
    """The reasons most often behind the assigned households, in the catalog's words."""
    top = top_reasons(ranked_list)
    shown = top.rename(
        {
            "ko": "사유 (reason)",
            "en": "reason (English)",
            "households": "배정 가구 (assigned households)",
        }
    )
    chart = png(reasons_chart(top)) if top.height else ""
    return f"<h2>주요 사유 (top reasons)</h2>{chart}{table(shown)}"


def changes_section(ranked_list: pl.DataFrame, previous: pl.DataFrame | None) -> str:
    """Who is new on the lists and who dropped off since the last published night."""
    new = ranked_list.filter(pl.col("new_since_last_run"))
    if previous is None or "assigned" not in previous.columns:
        return f"<h2>변동 (since last run)</h2><p>첫 실행 (no earlier night): {new.height} new.</p>"
    before = set(previous.filter(pl.col("assigned"))["household_key"])
    dropped = ranked_list.filter(pl.col("household_key").is_in(list(before)) & ~pl.col("assigned"))
    why = (
        dropped.group_by(pl.col("excluded_reason").fill_null("not picked / result in"))
        .len()
        .sort("excluded_reason")
        .rename({"len": "households"})
    )
    shown = ["household_key", "emd_code", "score", "tier", "exploration"]
    return (
        f"<h2>변동 (since last run)</h2><p>신규 (new): {new.height} · "
        f"제외됨 (dropped off): {dropped.height}</p>{table(why)}"
        f"<h3>신규 상위 20 (top 20 new)</h3>{table(new.select(shown).head(20))}"
    )


def feeds_section(feeds: list[dict]) -> str:
    """Per feed: freshness and tonight's counts (the manifest's `feeds`)."""
    keep = (
        "feed",
        "status",
        "forced_stale",
        "files",
        "rows_loaded",
        "rows_quarantined",
        "rejected",
    )
    rows = [{k: f.get(k) for k in keep if k in f} for f in feeds]
    return f"<h2>자료 신선도 (feed freshness and quarantine)</h2>{table(rows)}"


def model_section(artifacts: Path) -> str:
    """The champion's quality and calibration, and its fairness table; or say there is none."""
    root = artifacts / "models"
    try:
        champion = json.loads((root / "champion.json").read_text(encoding="utf-8"))["model_id"]
        meta = json.loads((root / champion / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return "<h2>모델 (model)</h2><p>baseline scorer — no trained model yet.</p>"
    metrics = meta.get("metrics", {}) if isinstance(meta.get("metrics"), dict) else {}
    quality = [{"model": name, **numbers(values)} for name, values in metrics.items()]
    quality = [row for row in quality if len(row) > 1]
    fairness_path = root / champion / "fairness.parquet"
    fairness = (
        table(pl.read_parquet(fairness_path).head(60))
        if fairness_path.exists()
        else "<p class='note'>no fairness table</p>"
    )
    return (
        f"<h2>모델 (champion {escape(champion)})</h2><p>trained on {escape(str(meta.get('windows', '')))}"
        f"</p>{table(quality)}<h3>공정성 (fairness)</h3>{fairness}"
    )


def numbers(values: object, prefix: str = "") -> dict:
    """The numbers of a metrics dict, nested dicts flattened one level (`at_capacity.precision`)."""
    if not isinstance(values, dict):
        return {}
    found: dict = {}
    for key, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            found[prefix + key] = value
        elif isinstance(value, dict) and not prefix:
            found |= numbers(value, f"{key}.")
    return found
