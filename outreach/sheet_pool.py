"""The teams' visit sheets written by worker processes when there are many of them.

A sheet is Python's work cell by cell (XlsxWriter): about 25 ms a team, 14 s for the 580
teams of a 1M-household country, one core. With many teams, WORKERS processes (started
fresh, `spawn`: the night's process holds DuckDB's and polars' threads, which a fork would
copy mid-flight) write them, each from its own team's rows; a sheet's bytes depend only on
those, so they are the same bytes whichever process writes them.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

import polars as pl

from outreach.manifest import sha256_file
from outreach.sheets import write_sheet
from outreach.teams import Team

# from this many teams on, worker processes write the sheets (starting them costs ~0.4 s)
POOLED_FROM = 64
WORKERS = max(1, min(4, os.cpu_count() or 1))

SheetJob = tuple[Team, date, pl.DataFrame, Path, str]


def write_one(job: SheetJob) -> tuple[int, str]:
    """(households on the sheet, its sha256): one team's sheet written to its path."""
    team, as_of, visits, path, lang = job
    rows = write_sheet(team, as_of, visits, path, lang)
    return rows, sha256_file(path)


def write_all(jobs: list[SheetJob]) -> list[tuple[int, str]]:
    """`write_one` of every job, in order: here, or by WORKERS processes for many jobs."""
    if len(jobs) < POOLED_FROM or WORKERS < 2:
        return [write_one(job) for job in jobs]
    chunk = max(1, len(jobs) // (WORKERS * 8))  # few round trips, the last ones short
    with ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn")) as pool:
        return list(pool.map(write_one, jobs, chunksize=chunk))
