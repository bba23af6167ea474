"""A console without tracebacks while the log file keeps them."""

from __future__ import annotations

import logging

from cli.logs import log_failure, log_to_file, one_line
from sagak.settings import get_settings


def test_one_line_keeps_the_first_line_or_the_type():
    assert one_line(ValueError("teams.yml: bad\n  in line 2")) == "teams.yml: bad"
    assert one_line(KeyError()) == "KeyError"


def test_the_console_loses_the_traceback_the_log_file_keeps_it(tmp_path, capsys, monkeypatch):
    console = logging.StreamHandler()  # stderr, as Prefect's console handler
    root, failures = logging.getLogger(), logging.getLogger("sagak.failures")
    monkeypatch.setattr(root, "handlers", [console])  # this test's handlers only
    monkeypatch.setattr(failures, "handlers", [])
    path = log_to_file(get_settings(tmp_path))
    try:
        raise OSError("share went away")
    except OSError as err:
        logging.getLogger("sagak.test").error("step failed", exc_info=err)
        log_failure("nightly 2026-10-30", err)
    again = log_to_file(get_settings(tmp_path / "other"))
    shown = capsys.readouterr().err
    assert "step failed" in shown and "Traceback" not in shown
    logged = path.read_text(encoding="utf-8")
    assert "step failed" in logged and "nightly 2026-10-30 failed" in logged
    assert logged.count("Traceback") == 2 and "OSError: share went away" in logged
    assert "nightly 2026-10-30" not in shown  # the failure's traceback goes to the file only
    sagak_files = [h for h in root.handlers if getattr(h, "sagak", False)]
    assert [h.baseFilename for h in sagak_files] == [str(again)]  # one home's file at a time
    for h in sagak_files:
        h.close()
