"""Leave the `sagak` process without tearing the interpreter down object by object.

After a night, the interpreter holds some 450,000 objects (Prefect, scikit-learn, polars,
DuckDB); Python's own exit collects and frees them module by module, which took 1.3 s of a
200k first night's 28 s. Nothing of the work depends on that: every file is closed by `with`
blocks and every DuckDB connection on leaving its block. So once the command has returned,
`leave` does what the interpreter's exit does that matters — waits for the threads it would
wait for, runs the exit handlers (Prefect's log shipping, logging's flush), flushes the
standard streams — and ends the process with the command's exit status.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading


def exit_status(code: object) -> int:
    """The process status of `SystemExit(code)`, as Python gives it (a text is printed)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def leave(code: object) -> None:
    """End the process with `SystemExit(code)`'s status, skipping the interpreter's teardown."""
    status = exit_status(code)
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()  # as the interpreter's exit would
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(status)
