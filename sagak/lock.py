"""One writer per SAGAK_HOME: an advisory lock file the warehouse writers take before they write.

Readers take it shared for the moment they read, so no writer opens the warehouse under them;
while a writer holds it they read the copy the last writer left (sagak.warehouse).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sagak.settings import Settings
from sagak.warehouse import publish_reader_copy

DEFAULT_WAIT_SECONDS = 30 * 60
WAIT_ENV = "SAGAK_LOCK_WAIT"
POLL_SECONDS = 0.5

# lock files this process holds, with how many nested writers hold each (a backfill's nights)
_held: dict[Path, tuple[int, int]] = {}


class LockTimeout(RuntimeError):
    """Another writer held the SAGAK_HOME lock for longer than we were willing to wait."""


def lock_path(settings: Settings) -> Path:
    """SAGAK_HOME/sagak.lock."""
    return settings.lock


def wait_seconds(value: float | None = None) -> float:
    """The wait limit: `value`, else $SAGAK_LOCK_WAIT (seconds), else 30 minutes."""
    if value is not None:
        return value
    raw = os.environ.get(WAIT_ENV)
    if not raw:
        return DEFAULT_WAIT_SECONDS
    try:
        return float(raw)
    except ValueError as err:
        raise ValueError(f"{WAIT_ENV}: expected a number of seconds, got {raw!r}") from err


def holder(path: Path) -> dict:
    """Who holds (or last held) the lock, as written in the lock file: pid, command, started."""
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(record: dict) -> str:
    """'pid 123 (sagak nightly --as-of 2026-10-30) since 2026-11-23T02:00:01+00:00 on host'."""
    if not record:
        return "a reader (sagak ledger, quarantine or monitor) or an unknown process"
    return (
        f"pid {record.get('pid')} ({record.get('command')}) "
        f"since {record.get('started')} on {record.get('host')}"
    )


@contextmanager
def warehouse_lock(settings: Settings, what: str, wait: float | None = None) -> Iterator[Path]:
    """Hold SAGAK_HOME's writer lock for the block; wait up to `wait` seconds for another holder.

    Re-entrant within a process (backfill holds it around its nights). Raises LockTimeout naming
    the lock file and its holder when the wait runs out. A block that ends well refreshes the
    readers' copy before letting go (after a failure they keep the copy of the last success).
    """
    path = lock_path(settings)
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        try:
            yield path
            leave_reader_copy(settings)
        finally:
            _held[path] = (fd, _held[path][1] - 1)
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait_seconds(wait))
        _write_holder(fd, what)
        _held[path] = (fd, 1)
        try:
            yield path
            leave_reader_copy(settings)
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def leave_reader_copy(settings: Settings) -> None:
    """Refresh the readers' copy; a failure is logged, never raised (the writer's work stands,
    and readers keep the previous copy)."""
    try:
        publish_reader_copy(settings)
    except Exception as err:  # a damaged or busy warehouse, a full disk: readers keep the last
        logging.getLogger(__name__).warning("readers' copy not refreshed: %s", err)


@contextmanager
def reading_lock(settings: Settings) -> Iterator[str | None]:
    """Hold SAGAK_HOME's lock shared while a reader reads the warehouse: a writer waits the
    moment it takes. Yields None, or — holding nothing — the writer that holds it, described."""
    path = lock_path(settings)
    fd = _open_for_reading(path) if path not in _held else None
    if fd is None:  # this process writes, or nobody can write here (no lock file, read-only)
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            writer = describe(holder(path))
        else:
            writer = None
        try:
            yield writer
        finally:
            if writer is None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_for_reading(path: Path) -> int | None:
    """The lock file opened (created beside an existing warehouse); None if it cannot be."""
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
        try:
            return os.open(path, flags, 0o644)
        except OSError:
            continue
    return None


def _acquire(fd: int, path: Path, wait: float) -> None:
    """flock `fd` exclusively, polling until `wait` seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"another sagak run is writing to {path.parent}: lock file {path} is held by "
                    f"{describe(holder(path))}; waited {wait:g} s (--lock-wait or ${WAIT_ENV})"
                ) from None
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))


def _write_holder(fd: int, what: str) -> None:
    """Write this process as the holder: pid, command line, what it runs, start time, host."""
    record = {
        "pid": os.getpid(),
        "command": f"{_command_line()}: {what}",
        "started": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "host": socket.gethostname(),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)


def _command_line() -> str:
    """How this process was started, shortened to the program's name and its arguments."""
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
