"""Task retries: file and network I/O is retried with backoff; a validation failure never is."""

from __future__ import annotations

import duckdb
from prefect.tasks import exponential_backoff

from sagak.warehouse import is_damaged

# not transient: retrying cannot make a missing file appear or a permission appear
PERMANENT_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def is_transient(exc: BaseException | None) -> bool:
    """An I/O error worth retrying: OSError (network, NFS, disk) or a DuckDB I/O error — not a
    damaged warehouse file (sagak.warehouse.DAMAGED), which no retry mends."""
    if isinstance(exc, PERMANENT_OS_ERRORS) or is_damaged(exc):
        return False
    return isinstance(exc, OSError | duckdb.IOException)


def transient(task, task_run, state) -> bool:
    """Prefect retry_condition_fn: retry only when the task failed on a transient I/O error."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        exc = state.result(raise_on_failure=False)
    return is_transient(exc if isinstance(exc, BaseException) else None)


# 10 s, 20 s, 40 s between the attempts
IO_RETRIES = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=10),
    "retry_jitter_factor": 0.2,
    "retry_condition_fn": transient,
}
