"""`make bench`: wall time and peak memory (RSS of the process tree) per stage and tier.

A tier is a synthetic world of N households and 24 months of deliveries ending 2026-10:
  synth      `sagak synth`
  history    first load of the history: `sagak ingest --as-of 2026-10-29`
  load_floor a bare DuckDB load of the same inbox files: every delivery read as text, its key
             hashed, the rows stored (bench/load_floor.py); the history's ratio to it is
             `x load floor` (issue 20: first load <= 2x)
  floor      the scan floor: a bare DuckDB scan and group-by of the staged rows (bench/floor.py)
  pandas_night  (200k and 100k) a plain pandas script that reads the raw inbox and makes the
             canonical features, a rule score and per-team lists for 2026-10-29
             (bench/pandas_night.py); `previous` is compared to it (issue 20: no slower)
  training   `sagak train --as-of 2026-10-29`
  previous   the night before (`sagak nightly --as-of 2026-10-29`), as every night follows one
  increment  one night, Prefect and all: `sagak nightly --as-of 2026-10-30` (the last
             delivery night: that night's new deliveries -> ingest -> features -> score ->
             publish), split per task and ingest step, against a running Prefect server
             (bench/prefect_server.py), as a scheduled night under `sagak serve` runs
Each stage is its own process; results go to bench/results/<tier>.json and <tier>.md.

Usage: python -m bench.run [--tiers 100k,1m] [--with-10m] [--root DIR] [--keep]
       python -m bench.run --tiers 1m --from-home DIR   (reuse the world `sagak synth` made
       in DIR instead of synth: its inbox is linked, never written; with --loaded, its
       warehouse too, already loaded up to 2026-10-29, instead of the history load)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
from pathlib import Path

from bench.measure import measure
from bench.prefect_runs import task_seconds
from bench.prefect_server import prefect_server
from bench.table import markdown
from sagak.settings import get_settings

SAGAK = str(Path(sys.executable).with_name("sagak"))
PYTHON = sys.executable
TIERS = {"100k": 100_000, "200k": 200_000, "1m": 1_000_000, "10m": 10_000_000}
MONTHS, END = 24, "2026-10"
HISTORY_NIGHT, LAST_NIGHT = "2026-10-29", "2026-10-30"
BYTES_PER_HOUSEHOLD = 12_000  # inbox ~10 kB per household (1M: 9.5 GB) + warehouse
# DuckDB's memory limit per tier (SAGAK_MEMORY_LIMIT): below the tier's peak-memory target
MEMORY_LIMITS = {"100k": "2GB", "200k": "2GB", "1m": "3GB", "10m": "8GB"}
# tiers whose night is also made by the plain pandas script (it holds the inbox in memory)
PANDAS_TIERS = ("100k", "200k")
RESULTS = Path(__file__).parent / "results"
VALIDATION_STEPS = ("validate_rows", "validate_gx")
STEP_LINE = re.compile(r"ingest steps: \d+ files; (.*)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--tiers", default="100k,200k,1m", help="comma-separated: 100k, 200k, 1m, 10m"
    )
    parser.add_argument("--with-10m", action="store_true", help="also run the 10M tier")
    parser.add_argument("--root", type=Path, help="folder for the worlds (default: a temp dir)")
    parser.add_argument("--from-home", type=Path, help="copy this loaded world (one tier only)")
    parser.add_argument(
        "--loaded", action="store_true", help="with --from-home: reuse its loaded warehouse too"
    )
    parser.add_argument("--keep", action="store_true", help="keep the worlds")
    parser.add_argument("--no-training", action="store_true", help="skip the training stage")
    parser.add_argument(
        "--months",
        type=int,
        default=MONTHS,
        help="months of history (not 24: a different measurement, results/<tier>-<N>months)",
    )
    args = parser.parse_args()
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    tiers += ["10m"] if args.with_10m and "10m" not in tiers else []
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        parser.error(f"--tiers: expected some of {', '.join(TIERS)}, got {', '.join(unknown)}")
    if args.from_home and len(tiers) != 1:
        parser.error("--from-home: expected exactly one tier in --tiers")
    root = args.root or Path(tempfile.mkdtemp(prefix="sagak-bench-"))
    for tier in tiers:
        result = run_tier(
            tier,
            root / tier,
            args.from_home,
            args.loaded,
            args.keep,
            not args.no_training,
            args.months,
        )
        write(tier if args.months == MONTHS else f"{tier}-{args.months}months", result)
        if not args.keep:
            shutil.rmtree(root / tier, ignore_errors=True)


def run_tier(
    tier: str,
    home: Path,
    from_home: Path | None,
    loaded: bool = False,
    keep: bool = False,
    training: bool = True,
    months: int = MONTHS,
) -> dict:
    """Every stage of one tier in `home`; the result dict."""
    households = TIERS[tier]
    env = os.environ | {
        "SAGAK_MEMORY_LIMIT": os.environ.get("SAGAK_MEMORY_LIMIT") or MEMORY_LIMITS[tier],
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_LOGGING_EXTRA_LOGGERS": "sagak.ingest",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # on a loaded machine the ephemeral server can take longer than the default 20 s
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    }
    result = {"households": households, "months": months, "machine": machine()}
    result["memory_limit"] = env["SAGAK_MEMORY_LIMIT"]
    logs = home / "bench-logs"
    if from_home:
        copy_world(from_home, home, loaded)
        logs.mkdir(parents=True, exist_ok=True)
        result["from_home"] = str(from_home)
        if loaded:
            result["catch_up"] = stage(logs, "catch_up", ingest(home, HISTORY_NIGHT), env)
        else:
            result["history"] = stage(logs, "history", ingest(home, HISTORY_NIGHT), env)
    else:
        check_disk(home, households)
        logs.mkdir(parents=True, exist_ok=True)
        synth = [SAGAK, "synth", "--households", str(households), "--months", str(months)]
        synth += ["--end", END, "--out", str(home)]
        result["synth"] = stage(logs, "synth", synth, env)
        result["synth"]["inbox_bytes"] = tree_bytes(home / "inbox")
        result["history"] = stage(logs, "history", ingest(home, HISTORY_NIGHT), env)
    if "history" in result:
        result["load_floor"] = load_floor(logs, home, env)
        result["history"] |= against(result["history"], result["load_floor"], "x_load_floor")
    result["floor"] = floor(logs, home, env)
    if tier in PANDAS_TIERS:
        result["pandas_night"] = pandas_night(logs, home, env)
    train = [SAGAK, "train", "--as-of", HISTORY_NIGHT, "--home", str(home)]
    if training:
        result["training"] = stage(logs, "training", train, env)
    if keep:
        keep_state(home, home / "before-increment")
    previous = [SAGAK, "nightly", "--as-of", HISTORY_NIGHT, "--home", str(home)]
    night = [SAGAK, "nightly", "--as-of", LAST_NIGHT, "--home", str(home)]
    server_log = get_settings(home).prefect_server_log
    server_log.parent.mkdir(parents=True, exist_ok=True)
    with prefect_server(env, server_log) as served:
        # the night before, as in production every night follows one: its features, scores
        # and feed profiles are what the increment carries over
        first = stage(logs, "previous_night", previous, served)
        result["previous_night"] = night_split(first, home, logs, "previous_night")
        result["increment"] = night_split(stage(logs, "increment", night, served), home, logs)
    result["increment"]["prefect"] = "a running server (prefect server start), as under sagak serve"
    if "pandas_night" in result:
        pandas = result["pandas_night"]
        result["previous_night"] |= against(result["previous_night"], pandas, "x_pandas_night")
    return result


def ingest(home: Path, night: str) -> list[str]:
    """The ingest command of the history load."""
    return [SAGAK, "ingest", "--as-of", night, "--home", str(home)]


def stage(logs: Path, name: str, cmd: list[str], env: dict) -> dict:
    """Measure one stage; its output stays in bench-logs/<name>.log."""
    print(f"bench: {name}: {' '.join(cmd)}", flush=True)
    measured = measure(cmd, logs / f"{name}.log", env)
    print(f"bench: {name}: {json.dumps(measured)}", flush=True)
    if measured["exit"]:
        print((logs / f"{name}.log").read_text()[-3000:], file=sys.stderr)
    return measured


def floor(logs: Path, home: Path, env: dict) -> dict:
    """The floor stage, with the seconds DuckDB itself reported (the process start excluded)."""
    measured = stage(logs, "floor", [PYTHON, "-m", "bench.floor", str(home)], env)
    if measured["exit"] == 0:
        reported = json.loads(last_json_line((logs / "floor.log").read_text()))
        measured |= {"process_seconds": measured["seconds"], **reported}
    return measured


def load_floor(logs: Path, home: Path, env: dict) -> dict:
    """The load floor stage (its DuckDB file in the world, removed after), with the seconds the
    load itself took (the process start excluded) as its `seconds`."""
    out = home / "load_floor.duckdb"
    cmd = [PYTHON, "-m", "bench.load_floor", str(home), "--as-of", HISTORY_NIGHT]
    measured = stage(logs, "load_floor", [*cmd, "--out", str(out)], env)
    out.unlink(missing_ok=True)
    if measured["exit"] == 0:
        reported = json.loads(last_json_line((logs / "load_floor.log").read_text()))
        measured |= {"process_seconds": measured["seconds"], **reported}
    return measured


def pandas_night(logs: Path, home: Path, env: dict) -> dict:
    """The plain pandas night of 2026-10-29, the whole process timed (as the nightly is)."""
    cmd = [PYTHON, "-m", "bench.pandas_night", str(home), "--as-of", HISTORY_NIGHT]
    measured = stage(logs, "pandas_night", [*cmd, "--out", str(home / "pandas_night")], env)
    if measured["exit"] == 0:
        reported = json.loads(last_json_line((logs / "pandas_night.log").read_text()))
        measured |= {"reported": reported}
    return measured


def against(measured: dict, floor: dict, name: str) -> dict:
    """`{name: measured seconds / floor seconds}`, if both ran."""
    if measured.get("exit") or floor.get("exit") or not floor.get("seconds"):
        return {}
    return {name: round(measured["seconds"] / floor["seconds"], 2)}


def last_json_line(log: str) -> str:
    """The last line of a log that is a JSON object (what a bench script prints last)."""
    return next(line for line in reversed(log.splitlines()) if line.startswith("{"))


def night_split(measured: dict, home: Path, logs: Path, name: str = "increment") -> dict:
    """The split of the night just run (the newest flow run) per Prefect task and ingest step,
    and the overhead share."""
    tasks = task_seconds(home / "prefect" / "prefect.db")
    steps = ingest_steps((logs / f"{name}.log").read_text())
    measured |= {"tasks": tasks, "ingest_steps": steps}
    if tasks and measured["seconds"]:
        prefect = measured["seconds"] - sum(tasks.values())
        validation = sum(steps.get(s, 0.0) for s in VALIDATION_STEPS)
        overhead = validation + tasks.get("publish", 0.0) + prefect
        measured["overhead_share"] = round(overhead / measured["seconds"], 3)
    return measured


def ingest_steps(log: str) -> dict[str, float]:
    """The `ingest steps:` line of a nightly's log as step -> seconds."""
    found = STEP_LINE.findall(log)
    if not found:
        return {}
    pairs = (part.split("=") for part in found[-1].split())
    return {name: float(value.rstrip("s")) for name, value in pairs}


def copy_world(source: Path, home: Path, loaded: bool) -> None:
    """A private copy of a world made by `sagak synth` (its inbox linked, never written); if
    `loaded`, with its warehouse, contacts, secret and models (the history is loaded)."""
    if not (source / "inbox").is_dir():
        raise SystemExit(f"--from-home: expected {source}/inbox (a world from `sagak synth`)")
    if loaded and not (source / "warehouse.duckdb").exists():
        raise SystemExit(f"--loaded: expected {source}/warehouse.duckdb (a loaded world)")
    home.mkdir(parents=True, exist_ok=True)
    names = ("warehouse.duckdb", "contacts.duckdb") if loaded else ()
    for name in names:
        if (source / name).exists():
            shutil.copy2(source / name, home / name)
    for name in ("secrets", "artifacts") if loaded else ():
        if (source / name).is_dir():
            shutil.copytree(source / name, home / name, dirs_exist_ok=True)
    if (source / "feedback").is_dir():
        shutil.copytree(source / "feedback", home / "feedback", dirs_exist_ok=True)
    (home / "inbox").symlink_to((source / "inbox").resolve())


def keep_state(home: Path, folder: Path) -> None:
    """Copy the world's state as of the history night (warehouse, contacts, secret, models), so
    `--from-home <folder> --loaded` can time the increment again."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("warehouse.duckdb", "contacts.duckdb"):
        if (home / name).exists():
            shutil.copy2(home / name, folder / name)
    for name in ("secrets", "artifacts", "feedback"):
        if (home / name).is_dir():
            shutil.copytree(home / name, folder / name, dirs_exist_ok=True)
    if not (folder / "inbox").exists():
        (folder / "inbox").symlink_to((home / "inbox").resolve())


def check_disk(home: Path, households: int) -> None:
    """Stop before synth when the world would not fit on the disk."""
    home.mkdir(parents=True, exist_ok=True)
    needed, free = households * BYTES_PER_HOUSEHOLD, shutil.disk_usage(home).free
    if needed > free:
        raise SystemExit(
            f"bench: {households:,} households need ~{needed / 2**30:.0f} GiB under {home}, "
            f"{free / 2**30:.0f} GiB free: pass --root on a larger disk"
        )


def tree_bytes(path: Path) -> int:
    """Bytes of every file under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write(tier: str, result: dict) -> None:
    """bench/results/<tier>.json and <tier>.md; the table is printed too."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{tier}.json").write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    (RESULTS / f"{tier}.md").write_text(table)
    print(table, flush=True)


def machine() -> str:
    """A one-line description of this machine."""
    cores = len(os.sched_getaffinity(0))
    mem = resource.getpagesize() * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {cores} cores, {mem:.0f} GiB, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
