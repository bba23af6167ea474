"""What `sagak train` and `sagak models` print."""

from __future__ import annotations

import json

import typer

from models.estimate import EXPECTED_OFF_TRUTH

SHOWN = ("precision_at_capacity", "recall_at_capacity", "roc_auc", "pr_auc", "brier", "ece")


def _figures(metrics: dict) -> str:
    """One line of validation figures."""
    parts = [f"{k}={metrics[k]:.3f}" for k in SHOWN if metrics.get(k) is not None]
    return " ".join(parts)


def headline(metrics: dict) -> list[str]:
    """The expected precision of the teams' picks (mean calibrated probability), the estimate
    from the visits with its interval and parts, and why the labelled-only figure is not it."""
    listed = metrics.get("list")
    if not listed:
        return []  # a model trained before the estimate existed
    lines = []
    if listed.get("expected") is not None:
        lines.append(
            f"  expected precision of the teams' picks: {listed['expected']:.3f} (mean calibrated "
            "probability; validation dates, households the nights could list, each team's "
            f"capacity; model-based: {EXPECTED_OFF_TRUTH} off the synthetic truth on five worlds)"
        )
    if listed["estimate"] is None:
        lines.append("  from the visits: none (no random visit among the picks)")
    else:
        lines += [
            f"  from the visits: {listed['estimate']:.3f} "
            f"(95% interval {listed['low']:.3f}-{listed['high']:.3f}; unbiased for what a visit "
            "confirms on its day, noisy: a few dozen random visits)",
            f"      {listed['chosen_share']:.0%} of the picks were visited by the rules: "
            f"{listed['chosen_rate']:.3f} confirmed (n={listed['chosen_labels']}); the others "
            f"from the random visits among them: {listed['chance_rate']:.3f} "
            f"(n={listed['chance_labels']})",
        ]
    if listed["labelled_only"] is not None:
        lines.append(
            f"  labelled picks only: {listed['labelled_only']:.3f} — biased upward: it counts "
            "only visited households, most picked by the old rules for their obvious signs"
        )
    return lines


def print_training(meta: dict) -> None:
    """The trained model, its windows, its headline figure, every candidate's figures and the
    promotion verdict."""
    windows = meta["windows"]
    typer.echo(f"model {meta['model_id']} ({meta['kind']} {meta['params']})")
    typer.echo(
        f"  train {windows['train'][0]}..{windows['train'][-1]} "
        f"(results known by {windows['train_known_by']}), "
        f"validate {', '.join(windows['validation'])}; capacity {meta['config']['capacity']}"
    )
    metrics = meta["metrics"]
    for line in headline(metrics["champion_calibrated"]):
        typer.echo(line)
    typer.echo("  labelled rows only (biased upward), precision at capacity over all listable:")
    typer.echo(f"  baseline            {_figures(metrics['baseline'])}")
    for c in metrics["candidates"]:
        typer.echo(f"  {c['kind']:<9} {json.dumps(c['params'])}\n      {_figures(c['metrics'])}")
    typer.echo(f"  champion calibrated {_figures(metrics['champion_calibrated'])}")
    explored = metrics["champion_calibrated"]["exploration"]
    typer.echo(f"  on the random share {_figures(explored)} (n={explored['n']})")
    verdict = meta["promotion"]
    typer.echo(f"  {'promoted' if verdict['promoted'] else 'not promoted'}: {verdict['reason']}")
    typer.echo(f"  trained in {meta['training_seconds']} s")


def print_models(models: list[dict], as_json: bool) -> None:
    """One line per registered model, the champion starred."""
    rows = [
        {
            "model_id": m["model_id"],
            "champion": m["champion"],
            "trained_at": m["trained_at"],
            "validation": m["windows"]["validation"],
            "expected_precision_of_picks": m["metrics"]["champion_calibrated"]
            .get("list", {})
            .get("expected"),
            "estimated_precision_of_picks": m["metrics"]["champion_calibrated"]
            .get("list", {})
            .get("estimate"),
            "estimate_interval": [
                m["metrics"]["champion_calibrated"].get("list", {}).get(k) for k in ("low", "high")
            ],
            "precision_at_capacity": m["metrics"]["champion_calibrated"]["precision_at_capacity"],
            "baseline_precision_at_capacity": m["metrics"]["baseline"]["precision_at_capacity"],
            "retrain": m.get("retrain"),
        }
        for m in models
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        typer.echo("no models registered (run `sagak train`)")
    for r in rows:
        mark = "*" if r["champion"] else " "
        low, high = r["estimate_interval"]
        expected = (
            f"expected precision of picks {r['expected_precision_of_picks']:.3f}; "
            if r["expected_precision_of_picks"] is not None
            else ""
        )
        estimate = (
            f"from the visits {r['estimated_precision_of_picks']:.3f} ({low:.3f}-{high:.3f}); "
            if r["estimated_precision_of_picks"] is not None
            else ""
        )
        typer.echo(
            f"{mark} {r['model_id']}  trained {r['trained_at']}  validation "
            f"{r['validation'][0]}..{r['validation'][-1]}  {expected}{estimate}labelled only, biased "
            f"upward: precision@capacity {r['precision_at_capacity']:.3f} "
            f"(baseline {r['baseline_precision_at_capacity']:.3f})"
        )
        if r["retrain"]:
            flag = r["retrain"]
            typer.echo(f"    retrain suggested since {flag['flagged_on']}: {flag['reason']}")


FAIRNESS_SHOWN = ("group_size", "pprev", "precision", "fnr", "fpr", "precision_disparity")


def outcome_audit_path(artifacts, scorer: str, night) -> tuple[object, str]:
    """(fairness.parquet, night) of a scorer's outcome audit: `night`'s, or the latest one."""
    from models.fairness_outcomes import OUTCOMES_DIR
    from models.registry import registry_dir

    root = registry_dir(artifacts) / scorer / OUTCOMES_DIR
    nights = sorted(p.name for p in root.glob("*") if (p / "fairness.parquet").exists())
    if night is not None and night.isoformat() not in nights:
        shown = ", ".join(nights[-5:]) or "none yet"
        typer.echo(
            f"error: --night {night}: no outcome audit of {scorer} that night "
            f"(audited nights: {shown})",
            err=True,
        )
        raise typer.Exit(code=2)
    if not nights:
        typer.echo(
            f"error: no outcome audit of {scorer} under {root} yet (the nightly writes one once "
            "visit results of a list it published have come back)",
            err=True,
        )
        raise typer.Exit(code=2)
    chosen = night.isoformat() if night is not None else nights[-1]
    return root / chosen / "fairness.parquet", chosen


def print_fairness(
    model_id: str, path, as_json: bool, scope: str = "validation period, top k = capacity"
) -> None:
    """The fairness table of one model: one line per attribute value, flagged ones marked."""
    import polars as pl

    if not path.exists():
        typer.echo(f"error: no fairness audit at {path} (retrain the model)", err=True)
        raise typer.Exit(code=2)
    table = pl.read_parquet(path)
    if as_json:
        typer.echo(json.dumps(table.to_dicts(), indent=2, default=str))
        return
    typer.echo(f"fairness audit of {model_id} ({scope})")
    for r in table.to_dicts():
        figures = " ".join(
            f"{k}={r[k]:.3f}" if isinstance(r[k], float) else f"{k}={r[k]}" for k in FAIRNESS_SHOWN
        )
        mark = "!" if r["flagged"] else " "
        typer.echo(f"{mark} {r['attribute_name']}={r['attribute_value']:<24} {figures}")
