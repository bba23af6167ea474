"""A bench result as a Markdown table: one row per stage, with its ratio to the scan floor and,
for the history load and the first nightly, to the floor issue 20 sets each of them."""

from __future__ import annotations

STAGES = {
    "synth": "synth (the months of deliveries)",
    "history": "first load of the history (ingest up to 2026-10-29)",
    "catch_up": "staging catch-up of a copied warehouse (one-off)",
    "load_floor": "load floor: bare DuckDB load of the same inbox files (text, key hashed, stored)",
    "floor": "scan floor: bare DuckDB scan + group-by of the staged rows",
    "pandas_night": "plain pandas night (raw inbox -> features, rule score, team lists)",
    "training": "training (`sagak train --as-of 2026-10-29`)",
    "previous_night": "the night before (`sagak nightly --as-of 2026-10-29`, first after the load)",
    "increment": "nightly increment (`sagak nightly --as-of 2026-10-30`)",
}
# stage -> (its ratio in the result, what it is a ratio to, the target of issue 20)
AGAINST = {
    "history": ("x_load_floor", "load floor", 2.0),
    "previous_night": ("x_pandas_night", "pandas night", 1.0),
}


def markdown(result: dict) -> str:
    """The Markdown table of one tier's result."""
    floor = (result.get("floor") or {}).get("seconds")
    lines = [
        f"**{result['households']:,} households, {result['months']} months** — {result['machine']}",
        "",
        "| stage | wall s | CPU s | peak RSS (tree) | × scan floor | against its floor |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for key, label in STAGES.items():
        stage = result.get(key)
        if not stage:
            continue
        plain = key not in ("floor", "load_floor", "pandas_night")
        ratio = f"{stage['seconds'] / floor:,.0f}" if floor and plain else ""
        failed = "" if stage.get("exit", 0) == 0 else f" (failed, exit {stage['exit']})"
        memory = f"{stage['peak_rss_mib']:,} MiB" if "peak_rss_mib" in stage else ""
        cpu = f"{stage['cpu_seconds']:,.1f}" if "cpu_seconds" in stage else ""
        lines.append(
            f"| {label}{failed} | {stage['seconds']:,.1f} | {cpu} | {memory} | {ratio} "
            f"| {against(key, stage)} |"
        )
    lines += floor_notes(result)
    lines += night_lines(result.get("increment") or {})
    lines += ["", *(f"- {note}" for note in result.get("notes", []))] if result.get("notes") else []
    return "\n".join(lines) + "\n"


def against(key: str, stage: dict) -> str:
    """`5.2× load floor (target ≤ 2×: missed)` for a stage issue 20 sets a floor for."""
    if key not in AGAINST or stage.get(AGAINST[key][0]) is None:
        return ""
    ratio, name, target = stage[AGAINST[key][0]], AGAINST[key][1], AGAINST[key][2]
    met = "met" if ratio <= target else "missed"
    return f"**{ratio:,.2f}×** {name} (target ≤ {target:g}×: {met})"


def floor_notes(result: dict) -> list[str]:
    """What the load floor read, and how its seconds and the pandas night's are counted."""
    notes = []
    load = result.get("load_floor") or {}
    if load.get("rows") is not None:
        notes.append(
            f"load floor: {load['rows']:,} rows of {load['files']:,} files "
            f"({len(load.get('skipped') or [])} unreadable left out); its seconds are the load's "
            f"own, without the process start ({load.get('process_seconds', 0):,.1f} s with it)"
        )
    if result.get("pandas_night", {}).get("reported"):
        reported = result["pandas_night"]["reported"]
        notes.append(
            f"pandas night: {reported.get('households', 0):,} households scored, "
            f"{reported.get('teams', 0):,} team lists; the whole process, as the nightly's"
        )
    return ["", *(f"- {note}" for note in notes)] if notes else []


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
