"""The `sagak` process ends with its command's status, its exit handlers run, its output
flushed and its threads finished, without the interpreter's teardown (cli/exit.py)."""

import subprocess
import sys
import textwrap

from cli.exit import exit_status

PROBE = textwrap.dedent(
    """
    import atexit, sys, threading, time
    from cli.main import main
    atexit.register(lambda: print("exit handler ran", flush=False))
    def late():
        time.sleep(0.3)
        print("thread finished", flush=False)
    threading.Thread(target=late).start()
    print("buffered", end="", flush=False)
    class Teardown:
        def __del__(self):
            print("torn down", file=sys.stderr)
    kept = Teardown()  # a module global: freed only by the interpreter's teardown
    sys.argv = ["sagak", *sys.argv[1:]]
    main()
    print("not reached")
    """
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )


def test_a_command_that_succeeds_ends_with_status_0_and_everything_said():
    done = run("--help")
    assert done.returncode == 0, done.stderr
    assert "buffered" in done.stdout and "Usage" in done.stdout
    assert "thread finished" in done.stdout and "exit handler ran" in done.stdout
    assert "not reached" not in done.stdout
    assert "torn down" not in done.stderr  # the teardown skipped


def test_a_bad_command_keeps_its_status_and_its_message():
    done = run("no-such-command")
    assert done.returncode == 2
    assert "no-such-command" in done.stderr and "exit handler ran" in done.stdout


def test_exit_status_as_python_gives_it(capsys):
    assert [exit_status(c) for c in (None, 0, 2, 256 + 3)] == [0, 0, 2, 3]
    assert exit_status("stopped: no inbox") == 1
    assert "stopped: no inbox" in capsys.readouterr().err
