"""`generate`: the synthetic world, households in chunks, written in the agencies' own formats.

Reads like a table of contents: the schedule first, then each chunk of households (life events,
crises, what the agencies see, the legacy outreach) appended to every file, then the file-level
mess and the truth. Same seed and arguments, same bytes.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import polars as pl

from synth import deliver, events, names, snapshots
from synth.crisis import crisis_process
from synth.households import household_chunk
from synth.mess import MessLog, damage_files
from synth.outreach_history import legacy_visits, service_spells
from synth.schedule import ENCODING, build_schedule
from synth.signals import signals
from synth.writers import Sink, gzip_text_files

CHUNK = 50_000


def generate(
    out: Path,
    households: int,
    months: int,
    end: str,
    seed: int,
    mess: float,
    compress: bool = False,
) -> dict:
    """Write inbox/, feedback/ and truth/ under `out`; return summary figures. With `compress`,
    the text deliveries are `.csv.gz` and `.jsonl.gz` (the same rows, the same mess)."""
    started = time.perf_counter()
    out = Path(out)
    _refuse_existing(out)
    chunks = -(-households // CHUNK)
    plan_seq, post_seq, *chunk_seqs = np.random.SeedSequence(seed).spawn(2 + chunks)
    plan = build_schedule(end, months, np.random.default_rng(plan_seq), mess)
    sinks = deliver.Outputs(
        plan, Sink(out / "inbox"), Sink(out / "feedback"), Sink(out / "truth"), MessLog(mess)
    )
    used = np.empty(0, np.int64)
    visits = []
    for i, seq in enumerate(chunk_seqs):
        gidx = np.arange(i * CHUNK, min((i + 1) * CHUNK, households))
        used, chunk_visits = _chunk(np.random.default_rng(seq), sinks, gidx, seed, used)
        visits.append(chunk_visits)
    sinks.inbox.close()
    sinks.truth.close()
    damage_files(np.random.default_rng(post_seq), out / "inbox", plan, mess, sinks.log)
    _record_file_events(sinks)
    if compress:
        _compress_inbox(out / "inbox", sinks.log)
    (out / "truth" / "mess.json").write_text(
        json.dumps(sinks.log.summary(), ensure_ascii=False, indent=1) + "\n"
    )
    return _summary(out, households, len(used), pl.concat(visits), started)


def _chunk(
    rng: np.random.Generator, out: deliver.Outputs, gidx: np.ndarray, seed: int, used: np.ndarray
):
    """Generate and write one chunk of households; the updated resident-number set, its visits."""
    plan = out.plan
    c = household_chunk(rng, gidx, plan.start, len(plan.months), seed)
    rrn12, used = _unique(rng, c.persons["rrn12"].to_numpy(), used)
    c.persons = c.persons.with_columns(rrn=names.rrn_text(rrn12, rng))
    head_rrn = c.persons.filter(pl.col("relation") == "head")["rrn"].to_numpy().astype(str)
    calendar = np.array([m.month for m in plan.months])
    cr = crisis_process(rng, c, np.isin(calendar, [12, 1, 2]))
    sig = signals(rng, c, cr, calendar)
    jobs, refs = deliver.daily_frames(rng, c, cr, sig, plan, head_rrn)
    spells = events.benefit_spells(rng, c, cr, sig["stress"], plan.months)
    visits = legacy_visits(rng, c, cr, sig, refs, spells, plan)
    if visits.height:
        spells = pl.concat([spells, service_spells(rng, visits)])
    deliver.write_monthly(rng, out, c, cr, sig, head_rrn)
    deliver.write_snapshots(rng, out, c, spells)
    deliver.write_daily(rng, out, "employment", snapshots.employment_frame(jobs, head_rrn))
    deliver.write_daily(rng, out, "referrals", snapshots.referrals_frame(refs, c.household_no))
    deliver.write_visits(out, visits)
    deliver.write_truth(out, c, cr)
    return used, visits.select("outcome") if visits.height else pl.DataFrame(
        schema={"outcome": pl.String}
    )


def _unique(
    rng: np.random.Generator, rrn12: np.ndarray, used: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Redraw the five random digits of resident numbers already taken; the new taken set."""
    rrn12 = rrn12.copy()
    while True:
        _, first = np.unique(rrn12, return_index=True)
        clash = np.ones(len(rrn12), bool)
        clash[first] = False
        clash |= np.isin(rrn12, used)
        if not clash.any():
            return rrn12, np.concatenate([used, rrn12])
        rrn12[clash] = rrn12[clash] // 100_000 * 100_000 + rng.integers(
            0, 100_000, int(clash.sum())
        )


def _refuse_existing(out: Path) -> None:
    """Never write a world over another one."""
    for sub in ("inbox", "truth", "feedback"):
        if (out / sub).exists() and any((out / sub).iterdir()):
            raise FileExistsError(
                f"{out / sub} is not empty: remove it (or choose another --out) to write a new world"
            )


def _record_file_events(out: deliver.Outputs) -> None:
    """Add the written files that were in the wrong encoding or corrected to the mess log."""
    for d in out.plan.deliveries() + [d for days in out.plan.daily.values() for d in days.values()]:
        if d.name() not in out.inbox.started:
            continue
        promised = ENCODING.get(d.feed, "utf-8")
        if d.encoding is not None and d.encoding.replace("-sig", "") != promised.replace(
            "-sig", ""
        ):
            out.log.files.append(
                {"kind": "wrong_encoding", "file": d.name(), "encoding": d.encoding}
            )
        if d.corrected:
            out.log.files.append({"kind": "corrected_v2", "file": d.name(2), "replaces": d.name()})
    out.log.files.extend(out.plan.file_events)
    out.log.files.sort(
        key=lambda e: (e["kind"], e.get("file", ""), e.get("feed", ""), e.get("ym", ""))
    )


def _compress_inbox(inbox: Path, log: MessLog) -> None:
    """Every CSV and JSON Lines delivery as its `.gz`; the mess log names the files so."""
    renamed = gzip_text_files(inbox)
    log.rows = defaultdict(Counter, {renamed.get(p, p): k for p, k in log.rows.items()})
    for event in log.files:
        for key in ("file", "same_as", "replaces"):
            if event.get(key) in renamed:
                event[key] = renamed[event[key]]


def _summary(
    out: Path, households: int, persons: int, visits: pl.DataFrame, started: float
) -> dict:
    """The figures `sagak synth` prints."""
    files = sorted(p for p in (out / "inbox").rglob("*") if p.is_file())
    days = sorted(p.name.split("_")[1][:8] for p in files)
    hit = visits.filter(pl.col("outcome") == "confirmed_crisis").height / max(visits.height, 1)
    return {
        "households": households,
        "persons": persons,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
        "first_delivery": f"{days[0][:4]}-{days[0][4:6]}-{days[0][6:]}" if days else None,
        "last_delivery": f"{days[-1][:4]}-{days[-1][4:6]}-{days[-1][6:]}" if days else None,
        "legacy_visits": visits.height,
        "legacy_hit_rate": round(hit, 3),
        "seconds": round(time.perf_counter() - started, 1),
    }
