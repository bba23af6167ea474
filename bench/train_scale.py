"""Where `sagak train` spends its time: training rows (features), candidates, calibration.

Reads the warehouse read-only (the training rows live in temp tables) and prints each stage's
wall and CPU seconds, the row counts and the peak memory. Timings on a shared machine are
contended: compare CPU seconds. Usage: python -m bench.train_scale --home DIR [--as-of D]
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date

from models.promotion import first_registry_date
from models.temporal import temporal_split
from models.train import TrainConfig, best, calibrated_winner, candidates, split_rows
from outreach.teams import team_capacities
from sagak.settings import get_settings
from sagak.warehouse import warehouse


def stage(name: str, started: tuple[float, float]) -> tuple[float, float]:
    """Print a stage's wall and CPU seconds since `started`; the clocks now."""
    wall, cpu = time.monotonic(), time.process_time()
    print(f"{name}: wall {wall - started[0]:.1f} s, cpu {cpu - started[1]:.1f} s", flush=True)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=None)
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: latest registry)")
    args = parser.parse_args()
    settings = get_settings(args.home)
    with warehouse(settings, read_only=True) as con:
        found = con.sql("select max(delivery_date) from stg_registry").fetchall()[0][0]
        as_of = date.fromisoformat(args.as_of) if args.as_of else found
        config = TrainConfig(
            as_of=as_of.isoformat(), capacity=sum(team_capacities(settings.teams_file).values())
        )
        clocks = time.monotonic(), time.process_time()
        split = temporal_split(first_registry_date(con), as_of, config.n_validation)
        train, valid = split_rows(con, split, config.seed)
        clocks = stage(f"training rows ({train.height} train, {valid.height} validation)", clocks)
        results = candidates(train, valid, config)
        clocks = stage(f"{len(results)} candidates fitted and scored", clocks)
        calibrated_winner(best(results), valid, config)
        stage("calibration", clocks)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory: {peak} MiB")


if __name__ == "__main__":
    main()
