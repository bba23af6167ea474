"""The report's monitoring section: findings, feeds forced stale, and four charts — volumes per
feed over the last 60 nights, PSI per feature, list overlap, live precision against validation.
"""

from __future__ import annotations

from datetime import date

from report.charts import png
from report.html import table

TOP_FEATURES = 25


def monitoring_section(data: dict | None, forced: list[dict]) -> str:
    """The section's HTML; a note when the night was not monitored."""
    if not data:
        return "<h2>모니터링 (monitoring)</h2><p class='note'>not monitored tonight</p>"
    history = data.get("history", [])
    findings = [
        {k: r[k] for k in ("severity", "check_name", "subject", "message")}
        for r in data.get("findings", [])
    ]
    parts = [
        "<h2>모니터링 (monitoring)</h2>",
        "<h3>강제 만료 자료 (feeds forced stale tonight)</h3>",
        table([{"feed": f["feed"], "reason": f["reason"]} for f in forced]),
        "<h3>발견 사항 (findings)</h3>",
        table(findings),
        _chart(volumes_chart, _volumes(data.get("volumes", [])), data.get("span")),
        _chart(psi_chart, data.get("feature_psi", [])),
        _chart(overlap_chart, _series(history, "list_overlap"), data.get("span")),
        _chart(live_chart, _latest(history, "live_precision")),
    ]
    return "".join(parts)


def _chart(draw, rows, span: tuple[date, date] | None = None) -> str:
    """The chart of `rows` (nights on the x axis within `span`), nothing when there are none."""

    def drawn(ax):
        draw(ax, rows)
        if span:
            ax.set_xlim(*span)

    return png(drawn) if rows else ""


def _series(history: list[dict], check: str) -> dict[str, list[tuple[date, float]]]:
    """subject -> [(night, value)] of one check, nights in order, judged rows only."""
    series: dict[str, list[tuple[date, float]]] = {}
    for r in history:
        if r["check_name"] == check and r["value"] is not None:
            series.setdefault(r["subject"], []).append((r["night"], r["value"]))
    return series


def _volumes(rows: list[dict]) -> dict[str, list[tuple[date, float]]]:
    """feed -> [(delivery date, rows received)], in date order."""
    series: dict[str, list[tuple[date, float]]] = {}
    for r in rows:
        series.setdefault(r["feed"], []).append((r["delivery_date"], r["rows_received"]))
    return series


def _latest(history: list[dict], check: str) -> list[dict]:
    """The rows of one check on the latest night it was measured."""
    rows = [r for r in history if r["check_name"] == check and r["value"] is not None]
    last = max((r["night"] for r in rows), default=None)
    return [r for r in rows if r["night"] == last]


def volumes_chart(ax, series: dict) -> None:
    for feed, points in sorted(series.items()):
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=".", label=feed)
    ax.set(
        yscale="log", ylabel="rows received", title="Volumes per feed and delivery, last 60 nights"
    )
    ax.legend(fontsize=6, ncol=4)
    ax.tick_params(axis="x", labelsize=7)


def psi_chart(ax, rows: list[dict]) -> None:
    shown = sorted(rows, key=lambda r: (-r["value"], r["subject"]))[:TOP_FEATURES][::-1]
    ax.barh([r["subject"] for r in shown], [r["value"] for r in shown], color="#558")
    for bound, color in ((0.1, "#eb5"), (0.25, "#b22")):
        ax.axvline(bound, color=color, linestyle="--")
    ax.set(xlabel="PSI vs the champion's validation period", title="PSI per feature (top 25)")
    ax.tick_params(axis="y", labelsize=6)


def overlap_chart(ax, series: dict) -> None:
    points = series.get("all", [])
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#446")
    ax.set(ylim=(0, 1.05), ylabel="Jaccard", title="Top of the list: overlap with last night")
    ax.tick_params(axis="x", labelsize=7)


def live_chart(ax, rows: list[dict]) -> None:
    ordered = sorted(rows, key=lambda r: r["subject"])
    labels = [r["subject"].split()[0] for r in ordered]
    ax.bar(labels, [r["value"] for r in ordered], color="#c33", label="live precision")
    ax.plot(
        labels,
        [r["baseline"] for r in ordered],
        color="#222",
        marker="_",
        linestyle="none",
        markersize=30,
        label="validation",
    )
    ax.set(ylim=(0, 1), ylabel="confirmed share", title="Live precision by week of assignment")
    ax.legend(fontsize=7)
    ax.tick_params(axis="x", labelsize=7, rotation=45)
