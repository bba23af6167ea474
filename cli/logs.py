"""A CLI that fails with one line while the log file keeps it all, tracebacks included."""

from __future__ import annotations

import copy
import logging
import traceback
from pathlib import Path

from sagak.settings import Settings

FAILURE_LOGGER = "sagak.failures"


def log_file(settings: Settings) -> Path:
    """SAGAK_HOME/logs/sagak.log: every run's log lines, failures with their full traceback."""
    return settings.log_file


class _NoTraceback(logging.Formatter):
    """Formats a record as `inner` would, without its traceback."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        bare = copy.copy(record)
        bare.exc_info, bare.exc_text, bare.stack_info = None, None, None
        return self.inner.format(bare)


def log_to_file(settings: Settings) -> Path:
    """Send every log line to the log file; the console keeps its lines but not tracebacks."""
    path = log_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    root, failures = logging.getLogger(), logging.getLogger(FAILURE_LOGGER)
    for old in [h for h in root.handlers if getattr(h, "sagak", False)]:
        root.removeHandler(old)  # one SAGAK_HOME per process: an earlier home's file goes
        failures.removeHandler(old)
        old.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.sagak = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s - %(message)s"))
    root.addHandler(handler)
    failures.propagate = False
    failures.addHandler(handler)
    for h in (*root.handlers, *logging.getLogger("prefect").handlers):
        console = isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
        if console and not isinstance(h.formatter, _NoTraceback):
            h.setFormatter(_NoTraceback(h.formatter))
    return path


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, with its type when the message is bare."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def log_failure(what: str, exc: BaseException) -> None:
    """Write the full traceback of a failed command to the log file only, then let go of the
    frames' locals (open DuckDB connections would otherwise outlive the interpreter)."""
    logging.getLogger(FAILURE_LOGGER).error("%s failed", what, exc_info=exc)
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__
