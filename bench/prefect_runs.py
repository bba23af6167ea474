"""Seconds per task of the last nightly flow run, from the Prefect database the bench gave it.

The bench runs `sagak nightly` with PREFECT_HOME under the world, so the ephemeral server's
SQLite database there holds exactly the bench's runs.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

QUERY = (Path(__file__).parent / "prefect_tasks.sql").read_text(encoding="utf-8")


def task_seconds(database: Path) -> dict[str, float]:
    """Task name (without Prefect's `-abc` suffix) -> wall seconds, for the newest flow run."""
    if not database.exists():
        return {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute(QUERY).fetchall()
    seconds: dict[str, float] = {}
    for name, start, end in rows:
        if start is None or end is None:
            continue
        task = re.sub(r"-[0-9a-f]{3}$", "", name)
        took = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        seconds[task] = round(seconds.get(task, 0.0) + took, 2)
    return seconds
