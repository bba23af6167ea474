"""Many teams' sheets are written by worker processes: the same bytes, rows and hashes, in team
order, as when this process writes them one by one (outreach/sheet_pool.py)."""

from datetime import date

import polars as pl

from outreach import sheet_pool
from outreach.manifest import sha256_file
from outreach.teams import Team


def jobs(folder, n: int = 6):
    out = []
    for i in range(n):
        code = f"48170{51000 + i}"
        team = Team(code, "48170", f"동{i}", f"Dong {i}", 25)
        visits = pl.DataFrame(
            {
                "emd_code": [code] * (i + 1),
                "team_rank": list(range(1, i + 2)),
                "household_key": [f"h{i}-{k}" for k in range(i + 1)],
                "name": ["홍길동"] * (i + 1),
                "phone": ["010-1234-5678"] * (i + 1),
                "address": [f"진주시 문산읍 {k}" for k in range(i + 1)],
                "members": [1] * (i + 1),
                "head_age": [70 + k for k in range(i + 1)],
                "living_alone": [True] * (i + 1),
                "reasons_ko": [["단전", "건강보험료 5개월 체납"]] * (i + 1),
            }
        )
        out.append((team, date(2026, 10, 29), visits, folder / f"{code}.xlsx", "ko"))
    return out


def test_pooled_sheets_are_the_sheets_written_here(tmp_path, monkeypatch):
    here, pooled = tmp_path / "here", tmp_path / "pooled"
    here.mkdir(), pooled.mkdir()
    monkeypatch.setattr(sheet_pool, "POOLED_FROM", 10**9)
    one_by_one = sheet_pool.write_all(jobs(here))
    monkeypatch.setattr(sheet_pool, "POOLED_FROM", 2)
    monkeypatch.setattr(sheet_pool, "WORKERS", 2)
    by_workers = sheet_pool.write_all(jobs(pooled))
    assert by_workers == one_by_one
    assert [rows for rows, _ in by_workers] == [1, 2, 3, 4, 5, 6]
    for (_, _, _, path, _), (_, sha) in zip(jobs(pooled), by_workers, strict=True):
        assert sha256_file(path) == sha
        assert path.read_bytes() == (here / path.name).read_bytes()
