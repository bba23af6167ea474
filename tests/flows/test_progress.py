"""Progress lines of long steps."""

from __future__ import annotations

import re

from flows.progress import clock, line


def test_a_progress_line_has_the_step_the_counts_and_the_seconds():
    text = line("features", f"{18952:,} households", clock())
    assert re.fullmatch(r"features: 18,952 households \(\d+\.\d s\)", text)
