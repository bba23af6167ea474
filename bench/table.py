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
    lines += night_lines(result.get("previous_night") or {}, result.get("increment") or {})
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


def night_lines(first: dict, increment: dict) -> list[str]:
    """The split of the first night and of the increment: tasks, ingest steps, Prefect and
    process overhead (a column per night that has one)."""
    nights = [(label, n) for label, n in (("first night", first), ("increment", increment))]
    nights = [(label, n) for label, n in nights if n.get("tasks")]
    if not nights:
        return []
    head = " | ".join(f"{label}, s" for label, _ in nights)
    lines = ["", f"| split of the night | {head} |", "|---|" + "---:|" * len(nights)]

    def row(label: str, values: list) -> str:
        cells = " | ".join("" if v is None else f"{v:,.1f}" for v in values)
        return f"| {label} | {cells} |"

    tasks = list(dict.fromkeys(t for _, n in nights for t in n["tasks"]))
    lines += [row(f"task {t}", [n["tasks"].get(t) for _, n in nights]) for t in tasks]
    steps = list(dict.fromkeys(s for _, n in nights for s in n.get("ingest_steps") or {}))
    lines += [
        row(f"… ingest step {s}", [(n.get("ingest_steps") or {}).get(s) for _, n in nights])
        for s in steps
    ]
    overheads = [n["seconds"] - sum(n["tasks"].values()) for _, n in nights]
    lines.append(row("Prefect + process start-up (wall − tasks)", overheads))
    shares = [n.get("overhead_share") for _, n in nights]
    if any(s is not None for s in shares):
        cells = " | ".join("" if s is None else f"{s:.0%}" for s in shares)
        lines.append(f"| validation + publishing + Prefect, share of the night | {cells} |")
    return lines
