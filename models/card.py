"""The model card: model_card.md and a self-contained model_card.html with its plots."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np
import polars as pl

from models.estimate import EXPECTED_OFF_TRUTH
from models.fairness import FLAG_HIGH, FLAG_LOW, FLAG_RULE, RATES

MAX_IMPORTANCE_ROWS = 2000  # a speed-only knob: importance on a sample of validation rows
CARD_METRICS = ("precision_at_capacity", "recall_at_capacity", "roc_auc", "pr_auc", "brier", "ece")


def _png(fig) -> str:
    """A matplotlib figure as a base64 PNG data URI (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def calibration_plot(labelled: pl.DataFrame) -> str:
    """Observed crisis rate against mean probability, ten bins by probability."""
    import matplotlib.pyplot as plt

    bins = labelled.with_columns((pl.col("probability") * 10).floor().clip(0, 9).alias("bin"))
    points = bins.group_by("bin").agg(pl.col("probability").mean(), pl.col("label").mean())
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.plot([0, 1], [0, 1], ls="--", c="grey")
    ax.plot(points.sort("bin")["probability"], points.sort("bin")["label"], marker="o")
    ax.set(xlabel="predicted probability", ylabel="observed share in crisis", title="Calibration")
    return _png(fig)


def precision_at_k_plot(labelled: pl.DataFrame) -> str:
    """Precision among the labelled households in the top k, model vs baseline, by k share."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for column, name in (("probability", "model"), ("baseline", "baseline")):
        y = labelled.sort(column, descending=True)["label"].to_numpy()
        k = np.arange(1, len(y) + 1)
        ax.plot(k / len(y), np.cumsum(y) / k, label=name)
    ax.set(xlabel="share of labelled households listed", ylabel="precision", title="Precision at k")
    ax.legend()
    return _png(fig)


def importance_plot(importance: pl.DataFrame) -> str:
    """The 15 most important features (permutation importance on validation)."""
    import matplotlib.pyplot as plt

    top = importance.head(15).reverse()
    fig, ax = plt.subplots(figsize=(5, 4.5))
    ax.barh(top["feature"], top["importance"])
    ax.set(xlabel="drop in PR-AUC when permuted", title="Feature importance")
    return _png(fig)


def permutation_table(model, x: np.ndarray, y: np.ndarray, names: list[str], seed: int):
    """`feature, importance`: permutation importance (PR-AUC) on validation, largest first."""
    from sklearn.inspection import permutation_importance

    keep = np.random.default_rng(seed).permutation(len(y))[:MAX_IMPORTANCE_ROWS]
    result = permutation_importance(
        model, x[keep], y[keep], scoring="average_precision", n_repeats=1, random_state=seed
    )
    table = pl.DataFrame({"feature": names, "importance": result.importances_mean})
    return table.sort("importance", descending=True)


def metrics_rows(meta: dict) -> list[tuple[str, dict]]:
    """(name, metrics) for the baseline, every candidate and the calibrated champion."""
    m = meta["metrics"]
    rows = [("baseline", m["baseline"])]
    rows += [(f"{c['kind']} {c['params']}", c["metrics"]) for c in m["candidates"]]
    rows += [("chosen, calibrated", m["champion_calibrated"])]
    rows += [("chosen, random share only", m["champion_calibrated"]["exploration"])]
    return rows


def _fmt(value) -> str:
    return "" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


HOW_CHOSEN = (
    "Why it is built this way (measured against the synthetic truth on worlds of three seeds, "
    "never the seed it was tuned on; `python -m bench.lists_vs_truth`): labels exist only for "
    "visited households, and nine in ten visits were picked by the old rules. A visit model "
    "alone learns who the rules picked. So it is blended with an evidence model that learns, "
    "over every household the night could list, whether a referral or a livelihood or "
    "emergency benefit followed (labels that need no visit); both learn and are judged only "
    "on the households a night could list (no benefit, no recent visit, not escalated). "
    "Weighting the random visits by their inverse selection probability (250) was measured "
    "worse than giving them the rule-picked rows' total weight: too few of them."
)


def headline_lines(meta: dict) -> list[str]:
    """The card's leading figure: the expected precision of the teams' picks (a model trained
    before it existed: the estimate from the random visits), then that estimate with its
    interval as the check, and what the labelled-only figure is worth."""
    listed = meta["metrics"]["champion_calibrated"].get("list")
    if not listed:
        return []
    lines = []
    if listed.get("expected") is not None:
        lines += [
            f"**Expected precision of the teams' picks: {listed['expected']:.3f}** — the mean "
            "calibrated probability of each team's top picks (its capacity, households the "
            "night could list) on the validation dates: the share of them the model expects to "
            f"be in crisis. {EXPECTED_BIAS}",
            "",
        ]
    lines += [random_visit_check(listed), "", LABELLED_ONLY.format(listed["labelled_only"] or 0)]
    return lines + ["", HOW_CHOSEN]


EXPECTED_BIAS = (
    "It is model-based, so it is only as right as the calibration: against the synthetic "
    f"truth of the same picks on five worlds it was off by {EXPECTED_OFF_TRUTH}."
)
LABELLED_ONLY = (
    "The labelled-only figure ({:.3f}, and `precision_at_capacity` in the table below) is "
    "**biased upward**: it counts only visited households, most picked by the rules for their "
    "obvious signs."
)


def random_visit_check(listed: dict) -> str:
    """The stratified estimate from the visits (models.estimate) as a sentence."""
    if listed["estimate"] is None:
        return (
            "**From the visits:** not estimable (no random visit among the picks of the "
            "validation period)."
        )
    return (
        f"**From the visits: {listed['estimate']:.3f}** (95% interval {listed['low']:.3f}-"
        f"{listed['high']:.3f}). {listed['chosen_share']:.0%} of the picks were visited by the "
        f"rules ({listed['chosen_rate']:.3f} confirmed, n={listed['chosen_labels']}); the rest "
        f"are estimated from the random visits among them ({listed['chance_rate']:.3f}, "
        f"n={listed['chance_labels']}), the only unbiased view of households the rules skip. "
        "Unbiased for what a visit confirms, but a visit confirms only a crisis present on its "
        "day, and a few dozen random visits carry most of it: on two of five worlds it read "
        "0.06-0.10 where the truth was about 0.18."
    )


def markdown(meta: dict, fairness: pl.DataFrame, importance: pl.DataFrame) -> str:
    """model_card.md: what, when, how well, for whom, and its flagged disparities."""
    w = meta["windows"]
    lines = [
        f"# Model card: {meta['model_id']}",
        "",
        *headline_lines(meta),
        "",
        f"- Kind: visit model {meta['kind']} {meta['params']}, blended with the evidence model "
        f"(boosted trees {meta['config'].get('evidence', '')}); calibrated by "
        f"{meta['config']['calibration']}.",
        f"- Trained on as-of dates {w['train'][0]}..{w['train'][-1]} with results known by "
        f"{w['train_known_by']}; validated on {', '.join(w['validation'])} "
        f"(results known by {w['validation_known_by']}); label window {w['label_window_days']} days.",
        f"- Capacity (visits per cycle, teams.yml): {meta['config']['capacity']}.",
        f"- Selective labels: {meta['config']['weighting']}.",
        f"- Promotion: {meta.get('promotion', {}).get('reason', '')}.",
        "",
        "## Validation (labelled rows; biased upward)",
        "",
        "| scorer | " + " | ".join(CARD_METRICS) + " | n |",
        "|---" * (len(CARD_METRICS) + 2) + "|",
    ]
    for name, m in metrics_rows(meta):
        values = " | ".join(_fmt(m.get(k)) for k in CARD_METRICS)
        lines.append(f"| {name} | {values} | {m.get('n', '')} |")
    lines += ["", "## Most important features", ""]
    lines += [f"- {r['feature']}: {r['importance']:.4f}" for r in importance.head(10).to_dicts()]
    flagged = fairness.filter(pl.col("flagged"))
    lines += ["", "## Fairness", "", f"Rule: a group is {FLAG_RULE} (Aequitas definitions).", ""]
    for r in flagged.to_dicts():
        outside = [
            f"{rate.upper() if rate != 'precision' else rate} {_fmt(r[f'{rate}_disparity'])}"
            for rate in RATES
            if r[f"{rate}_disparity"] is not None
            and not FLAG_LOW <= r[f"{rate}_disparity"] <= FLAG_HIGH
        ]
        lines.append(
            f"- **{r['attribute_name']} = {r['attribute_value']}** (n={r['group_size']}, "
            f"reference {r['reference']}): {', '.join(outside)}"
        )
    if flagged.is_empty():
        lines.append("- No group is flagged.")
    return "\n".join(lines) + "\n"


def html_card(md: str, plots: dict[str, str], fairness: pl.DataFrame) -> str:
    """model_card.html: the Markdown text, the plots and the full fairness table, offline."""
    shown = ["attribute_name", "attribute_value", "group_size", "pprev", "precision", "fnr"]
    shown += ["fpr", "precision_disparity", "fnr_disparity", "calibration_gap", "flagged"]
    head = "".join(f"<th>{c}</th>" for c in shown)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(r[c]))}</td>" for c in shown) + "</tr>"
        for r in fairness.to_dicts()
    )
    images = "".join(f'<h2>{t}</h2><img alt="{t}" src="{uri}">' for t, uri in plots.items())
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>model card</title>'
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "td,th{border:1px solid #ccc;padding:2px 6px}pre{white-space:pre-wrap}</style></head><body>"
        f"<pre>{html.escape(md)}</pre>{images}"
        f"<h2>Fairness table</h2><table><tr>{head}</tr>{body}</table></body></html>"
    )


def write_card(folder: Path, meta: dict, fairness: pl.DataFrame, validation, importance) -> None:
    """Write model_card.md and model_card.html into the model's folder."""
    import matplotlib

    matplotlib.use("Agg")
    labelled = validation.filter(pl.col("label").is_not_null())
    plots = {
        "Calibration": calibration_plot(labelled),
        "Precision at k": precision_at_k_plot(labelled),
        "Feature importance": importance_plot(importance),
    }
    md = markdown(meta, fairness, importance)
    (folder / "model_card.md").write_text(md, encoding="utf-8")
    (folder / "model_card.html").write_text(html_card(md, plots, fairness), encoding="utf-8")
