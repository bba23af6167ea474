"""The summary `sagak nightly` prints: the households scored and the first team's top picks."""

from __future__ import annotations

from datetime import date

import polars as pl

from cli.summary import print_summary
from sagak.settings import get_settings


def test_the_summary_counts_every_household_and_shows_the_first_teams_assigned_top(
    tmp_path, capsys
):
    settings = get_settings(tmp_path)
    night = date(2026, 10, 30)
    out = settings.outreach_dir(night.isoformat())
    out.mkdir(parents=True)
    n = 30
    pl.DataFrame(
        {
            "household_key": [f"h{i:02d}" for i in range(n)],
            "emd_code": ["A" if i % 2 else "B" for i in range(n)],
            "team_rank": [i // 2 + 1 for i in range(n)],
            "assigned": [i % 3 != 0 for i in range(n)],
            "score": [1 - i / 100 for i in range(n)],
            "reasons_ko": [[f"이유 {i}"] for i in range(n)],
        }
    ).write_parquet(out / "ranked.parquet")
    manifest = {"scorer": "m1", "teams": {"teams": [{"emd_code": "A", "name": "가동"}]}}
    print_summary(settings, night, manifest)
    printed = capsys.readouterr().out
    assert "30 households scored by m1" in printed
    listed = [
        line.split()[1] for line in printed.splitlines() if line.startswith("  ") and ". h" in line
    ]
    # team A: the odd households; the assigned ones (not a multiple of 3), by team rank
    assert listed == ["h01", "h05", "h07", "h11", "h13", "h17", "h19", "h23", "h25", "h29"]
    assert "이유 1" in printed and "이유 3" not in printed
