"""`make bench`: time and peak memory of synth and one nightly run at a scale tier.

Each stage runs as its own process so its peak RSS is its own (getrusage of the waited child).
Usage: python -m bench.run [--households 100000] [--months 24] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAGAK = str(Path(sys.executable).with_name("sagak"))


def measure(cmd: list[str]) -> dict:
    """Run `cmd`; its wall seconds and peak RSS in MiB."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            log.seek(0)
            raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{log.read().decode()[-2000:]}")
    return {"seconds": round(seconds, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def tree_bytes(path: Path) -> int:
    """Bytes of every file under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--keep", type=Path, help="keep the world in this folder")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="sagak-bench-"))
    common = ["--households", str(args.households), "--months", str(args.months)]
    results = {"households": args.households, "months": args.months, "machine": machine()}
    results["synth"] = measure([SAGAK, "synth", *common, "--end", "2026-10", "--out", str(home)])
    results["synth"]["bytes"] = tree_bytes(home)
    results["nightly"] = measure([SAGAK, "nightly", "--as-of", "latest", "--home", str(home)])
    print(json.dumps(results, indent=2))
    out = Path(__file__).parent / "results" / f"{args.households}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    if not args.keep:
        shutil.rmtree(home)


def machine() -> str:
    """A one-line description of this machine."""
    cores = len(os.sched_getaffinity(0))
    mem = resource.getpagesize() * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {cores} cores, {mem:.0f} GiB, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
