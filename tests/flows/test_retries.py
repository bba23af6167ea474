"""Task retries: a transient OSError is retried, a validation failure is not (real Prefect)."""

from __future__ import annotations

import duckdb
import pytest
from prefect import flow, task

from flows.retries import IO_RETRIES, is_transient
from outreach.teams import TeamsFileError

FAST = IO_RETRIES | {"retry_delay_seconds": 0, "retry_jitter_factor": None}


def test_transient_means_io_that_may_heal():
    assert is_transient(OSError(5, "Input/output error"))
    assert is_transient(ConnectionResetError())
    assert is_transient(TimeoutError())
    assert is_transient(duckdb.IOException("Could not set lock on file"))
    assert not is_transient(FileNotFoundError("inbox/kepco"))
    assert not is_transient(PermissionError("secrets/key"))
    assert not is_transient(TeamsFileError("teams.yml: capacity must be a number"))
    assert not is_transient(ValueError("bad value"))
    assert not is_transient(None)


def run_failing(error: Exception, fail_times: int) -> tuple[list[int], object]:
    """Run a task that raises `error` the first `fail_times` calls; (calls, result or error)."""
    calls: list[int] = []

    @task(**FAST)
    def flaky() -> str:
        calls.append(len(calls) + 1)
        if len(calls) <= fail_times:
            raise error
        return "done"

    @flow
    def night() -> str:
        return flaky()

    try:
        return calls, night()
    except Exception as exc:  # the flow re-raises the task's error
        return calls, exc


def test_a_transient_os_error_is_retried(prefect_server):
    calls, result = run_failing(OSError(5, "Input/output error"), fail_times=2)
    assert calls == [1, 2, 3]
    assert result == "done"


def test_a_validation_error_is_not_retried(prefect_server):
    calls, result = run_failing(TeamsFileError("teams.yml: capacity must be a number"), 1)
    assert calls == [1]
    assert isinstance(result, TeamsFileError)


def test_retries_give_up_after_three(prefect_server):
    calls, result = run_failing(ConnectionResetError("share went away"), fail_times=10)
    assert calls == [1, 2, 3, 4]
    assert isinstance(result, ConnectionResetError)


@pytest.mark.parametrize("name", ["ingest", "visits", "features", "score", "publish"])
def test_every_io_task_of_the_night_retries_on_io_only(name):
    import flows.nightly as nightly

    tasks = {t.name: t for t in vars(nightly).values() if hasattr(t, "retry_condition_fn")}
    assert tasks[name].retries == 3
    assert tasks[name].retry_condition_fn is IO_RETRIES["retry_condition_fn"]
