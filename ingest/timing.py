"""Seconds spent per ingest step in this process, logged once per ingest run (logger sagak.ingest).

`make bench` reads the line to split a night's ingest into reading, typing and validation.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

LOGGER = logging.getLogger("sagak.ingest")
LOGGER.setLevel(logging.INFO)  # shown where a handler is attached (Prefect extra loggers)
SECONDS: Counter[str] = Counter()


@contextmanager
def step(name: str) -> Iterator[None]:
    """Add the wall seconds of the block to step `name`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        SECONDS[name] += time.perf_counter() - start


def log_steps(files: int) -> str:
    """Log (and return) `ingest steps: <n> files; read=1.23s ...`, then start counting afresh."""
    parts = " ".join(f"{name}={seconds:.2f}s" for name, seconds in SECONDS.items())
    line = f"ingest steps: {files} files; {parts}".rstrip("; ")
    LOGGER.info(line)
    SECONDS.clear()
    return line
