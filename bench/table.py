"""A bench result as a Markdown table: one row per stage, with its ratio to the floor."""

from __future__ import annotations

STAGES = {
    "synth": "synth (the months of deliveries)",
    "history": "first load of the history (ingest up to 2026-10-29)",
    "catch_up": "staging catch-up of a copied warehouse (one-off)",
    "floor": "floor: bare DuckDB scan + group-by of the staged rows",
    "training": "training (`sagak train --as-of 2026-10-29`)",
    "previous_night": "the night before (`sagak nightly --as-of 2026-10-29`, first after the load)",
    "increment": "nightly increment (`sagak nightly --as-of 2026-10-30`)",
}


def markdown(result: dict) -> str:
    """The Markdown table of one tier's result."""
    floor = (result.get("floor") or {}).get("seconds")
    lines = [
        f"**{result['households']:,} households, {result['months']} months** — {result['machine']}",
        "",
        "| stage | wall s | CPU s | peak RSS (tree) | × floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in STAGES.items():
        stage = result.get(key)
        if not stage:
            continue
        ratio = f"{stage['seconds'] / floor:,.0f}" if floor and key != "floor" else ""
        failed = "" if stage.get("exit", 0) == 0 else f" (failed, exit {stage['exit']})"
        memory = f"{stage['peak_rss_mib']:,} MiB" if "peak_rss_mib" in stage else ""
        cpu = f"{stage['cpu_seconds']:,.1f}" if "cpu_seconds" in stage else ""
        lines.append(f"| {label}{failed} | {stage['seconds']:,.1f} | {cpu} | {memory} | {ratio} |")
    lines += night_lines(result.get("increment") or {})
    lines += ["", *(f"- {note}" for note in result.get("notes", []))] if result.get("notes") else []
    return "\n".join(lines) + "\n"


def night_lines(night: dict) -> list[str]:
    """The split of the nightly increment: tasks, ingest steps, Prefect and process overhead."""
    tasks, steps = night.get("tasks") or {}, night.get("ingest_steps") or {}
    if not tasks:
        return []
    lines = ["", "| nightly increment, split | s |", "|---|---:|"]
    lines += [f"| task {name} | {seconds:,.1f} |" for name, seconds in tasks.items()]
    lines += [f"| … ingest step {name} | {seconds:,.1f} |" for name, seconds in steps.items()]
    overhead = night["seconds"] - sum(tasks.values())
    lines.append(f"| Prefect + process start-up (wall − tasks) | {overhead:,.1f} |")
    share = night.get("overhead_share")
    if share is not None:
        lines.append(f"| validation + publishing + Prefect, share of the night | {share:.0%} |")
    return lines
