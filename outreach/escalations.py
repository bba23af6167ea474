"""The escalation list: households unreachable twice, for each city's case managers.

They leave the teams' lists (excluded_reason `escalated`) and go, with their contact details,
to `escalations/<sigungu_code>.xlsx`: one workbook per city, so a city sees only its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from outreach.sheets import SheetWriter, safe_code
from sagak.warehouse import sql_text

# (header, width, source column)
ESCALATION_COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("읍면동", 12, "emd_code"),
    ("가구키 (household_key)", 20, "household_key"),
    ("성명", 10, "name"),
    ("연락처", 15, "phone"),
    ("주소", 36, "address"),
    ("부재 횟수", 9, "unreachable_times"),
    ("마지막 시도", 12, "last_attempt"),
    ("위험 등급", 9, "tier"),
    ("선정 사유", 44, "reasons_ko"),
    ("조치 (타 채널·합동 방문)", 30, ""),
)
NOTICE = "개인정보 포함 — 시군구 통합사례관리 담당자 외 열람·복사·반출 금지."


def escalations(con: duckdb.DuckDBPyConnection, as_of: date) -> pl.DataFrame:
    """Households unreachable twice by as_of, with contacts (needs view household_contacts)."""
    return con.sql(sql_text("outreach/escalations.sql"), params={"as_of": as_of}).pl()


def write_escalations(city: str, as_of: date, rows: pl.DataFrame, path: Path) -> int:
    """Write one city's escalation workbook; returns the households on it."""
    out = SheetWriter(path, "에스컬레이션", as_of, f"sagak escalations sigungu_code={city}")
    out.put(1, 1, f"{city} 2회 이상 부재 가구 (통합사례관리 연계) — 기준일 {as_of}", bold=True)
    out.put(2, 1, NOTICE, bold=True, font_color="#C00000")
    for column, (header, _, _) in enumerate(ESCALATION_COLUMNS, start=1):
        out.put(3, column, header, bold=True)
    for offset, record in enumerate(rows.iter_rows(named=True)):
        for column, (_, _, source) in enumerate(ESCALATION_COLUMNS, start=1):
            value = record.get(source) if source else None
            if source == "reasons_ko":
                value = "\n".join(value or []) or None
            out.put(4 + offset, column, value, text_wrap=True, valign="top")
    out.widths([width for _, width, _ in ESCALATION_COLUMNS])
    out.print_setup(3, NOTICE)
    out.close()
    return rows.height


def escalation_files(folder: Path, as_of: date, rows: pl.DataFrame) -> dict[str, int]:
    """escalations/<sigungu_code>.xlsx per city with escalations; relpath → households."""
    written = {}
    for (city,), frame in sorted(rows.partition_by("sigungu_code", as_dict=True).items()):
        code = safe_code(str(city))
        relpath = f"escalations/{code}.xlsx"
        (folder / "escalations").mkdir(exist_ok=True)
        written[relpath] = write_escalations(code, as_of, frame, folder / relpath)
    return written
