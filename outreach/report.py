"""report.html: the analysts' morning page — one self-contained file, pictures inline, offline.

No contact details: it is built from ranked.parquet (pseudonymous keys), the manifest and the
model registry's metadata only. Charts are PNGs embedded as data URIs; labels are codes and
English (matplotlib's default font has no Hangul), Korean is in the HTML text.
"""

from __future__ import annotations

import base64
import io
import json
from html import escape
from pathlib import Path

import numpy as np
import polars as pl

from sagak.settings import Settings

TIER_BANDS = ((16, 20), (11, 15), (6, 10), (1, 5))
TOP_REASONS = 12
CSS = """
body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:right}th{background:#e8eef8}td:first-child,th:first-child{text-align:left}
h2{border-bottom:2px solid #446;padding-bottom:3px;margin-top:1.8em}.note{color:#666}
img{max-width:100%}
"""


def write_report(
    path: Path,
    night: dict,
    ranked_list: pl.DataFrame,
    previous: pl.DataFrame | None,
    settings: Settings,
    monitoring: dict | None = None,
) -> Path:
    """Write report.html for the night; the same inputs give the same bytes. `monitoring`:
    what monitoring.stages.report_data gives (no section when None)."""
    from monitoring.report import monitoring_section

    forced = (night.get("monitoring") or {}).get("forced_stale", [])
    sections = [
        summary_section(night, ranked_list),
        scores_section(ranked_list),
        teams_section(ranked_list),
        spare_section(night),
        reasons_section(ranked_list),
        changes_section(ranked_list, previous),
        feeds_section(night.get("feeds", [])),
        model_section(settings.artifacts),
    ]
    if monitoring is not None:
        sections.append(monitoring_section(monitoring, forced))
    title = f"sagak — {night['as_of']} 야간 보고서 (nightly report)"
    page = (
        f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{''.join(sections)}</body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


def table(frame: pl.DataFrame | list[dict]) -> str:
    """An HTML table of a frame or a list of records (values escaped)."""
    records = frame.to_dicts() if isinstance(frame, pl.DataFrame) else frame
    if not records:
        return "<p class='note'>(없음 / none)</p>"
    columns = list(records[0])
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in records
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def cell(value: object) -> str:
    """A table cell's text: numbers rounded, lists joined, None blank."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def png(draw) -> str:
    """Run `draw(ax)` on a new figure; the PNG as an <img> with a data URI.

    A bare Figure (no pyplot, no global state) with a fixed layout: pyplot's import and
    tight_layout were most of the report's time at 1M households."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), dpi=90)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9)
    draw(fig.subplots())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode()
    return f"<img alt='chart' src='data:image/png;base64,{data}'>"


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


def tier_mix(ranked_list: pl.DataFrame) -> pl.DataFrame:
    """Per team: households, assigned, and assigned per tier band (tier 16–20 … 1–5)."""
    bands = [
        pl.col("tier")
        .is_between(low, high)
        .and_(pl.col("assigned"))
        .sum()
        .alias(f"tier {low}-{high}")
        for low, high in TIER_BANDS
    ]
    return (
        ranked_list.group_by("emd_code")
        .agg(pl.len().alias("households"), pl.col("assigned").sum().alias("assigned"), *bands)
        .sort("emd_code")
    )


def teams_section(ranked_list: pl.DataFrame) -> str:
    """List size and tier mix per team: a stacked bar chart and the table."""
    mix = tier_mix(ranked_list)
    band_names = [f"tier {low}-{high}" for low, high in TIER_BANDS]

    def draw(ax):
        bottom = [0] * mix.height
        for name, color in zip(band_names, ("#b22", "#e73", "#eb5", "#9bd"), strict=True):
            values = mix[name].to_list()
            ax.bar(range(mix.height), values, bottom=bottom, color=color, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set(
            xlabel="team (emd_code order)",
            ylabel="assigned",
            title="List size and tier mix per team",
        )
        ax.legend(fontsize=7)

    return f"<h2>팀별 목록 (list size and tier mix per team)</h2>{png(draw)}{table(mix)}"


def spare_lines(night: dict) -> list[str]:
    """One line per city with spare capacity: its spare visits, the teams that have them (with
    their floor and the households the floor held back) and the households at or above their
    team's floor still waiting in the city's other teams, most first."""
    teams = [t for t in night.get("teams", {}).get("teams", []) if "spare" in t]
    lines = []
    for city in night.get("spare_capacity", {}).get("by_city", []):
        if city["spare"] <= 0:
            continue
        here = [t for t in teams if t["sigungu_code"] == city["sigungu_code"]]
        spare = ", ".join(
            f"{t['name']} ({t['emd_code']}) {t['spare']} — floor {t['risk_floor']}, "
            f"{t['below_floor']} below it"
            for t in here
            if t["spare"] > 0
        )
        waiting = sorted(
            (t for t in here if t["spare"] == 0 and t["waiting"] > 0),
            key=lambda t: (-t["waiting"], t["emd_code"]),
        )
        where = ", ".join(f"{t['name']} ({t['emd_code']}) {t['waiting']}" for t in waiting[:5])
        lines.append(
            f"{city['sigungu_code']}: 여유 {city['spare']}회 (spare visits) in "
            f"{city['teams_with_spare']} teams: {spare}. 다른 팀에서 대기 중인 기준 이상 가구 "
            f"(households at or above their team's floor still unpicked in other teams): "
            f"{sum(t['waiting'] for t in waiting)}" + (f" — {where}" if where else "")
        )
    return lines


def spare_section(night: dict) -> str:
    """Spare capacity per city, so an office can move visits where the risk is."""
    summary = night.get("spare_capacity")
    if summary is None:
        return ""
    lines = spare_lines(night)
    body = (
        "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
        if lines
        else "<p>여유 없음 (every team's free capacity was used).</p>"
    )
    return (
        f"<h2>여유 방문 (spare capacity: {summary['total']} visits in "
        f"{summary['teams_with_spare']} teams)</h2><p class='note'>Visits a team's risk floor, or "
        "a want of eligible households, left unused tonight (free capacity − picks).</p>"
        f"{body}"
    )


def reasons_section(ranked_list: pl.DataFrame) -> str:
    """The reasons most often behind the assigned households."""
    top = (
        ranked_list.filter(pl.col("assigned"))
        .select(pl.col("reasons").explode())
        .drop_nulls()
        .group_by("reasons")
        .len()
        .sort(["len", "reasons"], descending=[True, False])
        .head(TOP_REASONS)
        .rename({"reasons": "reason", "len": "assigned households"})
    )

    def draw(ax):
        ax.barh(
            top["reason"].to_list()[::-1], top["assigned households"].to_list()[::-1], color="#558"
        )
        ax.set(xlabel="assigned households", title="Top reasons")

    chart = png(draw) if top.height else ""
    return f"<h2>주요 사유 (top reasons)</h2>{chart}{table(top)}"


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
