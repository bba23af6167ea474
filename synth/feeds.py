"""Monthly agency feeds as frames, one data month of one chunk at a time (FEEDS.md columns).

CSV feeds come out as all-string frames (so messy values can be injected into any field),
Parquet feeds as typed Arrow tables, JSON Lines feeds as string frames of JSON tokens.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from synth.households import Chunk

KEPCO_HEADER = (
    "주민번호",
    "기준년월",
    "체납개월수",
    "체납금액",
    "단전여부",
    "전류제한여부",
    "사용량kWh",
)
NHIS_SCHEMA = pa.schema(
    [("rrn", pa.string()), ("ym", pa.string()), ("premium_arrears_months", pa.int16()),
     ("premium_arrears_amount", pa.int64()), ("catastrophic_medical", pa.bool_()),
     ("medical_oop_amount", pa.int64())]
)  # fmt: skip
NPS_SCHEMA = pa.schema(
    [("rrn", pa.string()), ("ym", pa.string()), ("contribution_arrears_months", pa.int16()),
     ("emergency_loan", pa.bool_())]
)  # fmt: skip
HOUSING_KEYS = ("household_no", "ym", "kind", "arrears_months", "arrears_amount")


def yn(values: np.ndarray) -> np.ndarray:
    """Booleans as 'Y'/'N'."""
    return np.where(values, "Y", "N")


def thousands(values: np.ndarray) -> pl.Series:
    """Non-negative integers with thousands separators: 1234000 -> '1,234,000'."""
    s = pl.Series(np.abs(values).astype(np.int64))
    groups = [(s // 10**9), (s // 10**6) % 1000, (s // 1000) % 1000, s % 1000]
    text = pl.select(
        pl.when(s >= 10**9)
        .then(pl.format("{},{},{},{}", groups[0], *(_pad(g) for g in groups[1:])))
        .when(s >= 10**6)
        .then(pl.format("{},{},{}", groups[1], _pad(groups[2]), _pad(groups[3])))
        .when(s >= 1000)
        .then(pl.format("{},{}", groups[2], _pad(groups[3])))
        .otherwise(s.cast(pl.String))
    ).to_series()
    return text


def _pad(group: pl.Series) -> pl.Expr:
    """A three-digit group, zero-padded."""
    return pl.lit(group).cast(pl.String).str.zfill(3)


CREDIT_MIN, CREDIT_MAX = 1_000_000, 20_000_000


def _str(values: np.ndarray) -> np.ndarray:
    """Any array as strings."""
    return np.asarray(values).astype(str)


def monthly_rows(feed: str, c: Chunk, sig: dict, present: np.ndarray, m: int) -> np.ndarray:
    """Household indices reported in data month m: only those with something to report."""
    col = sig.get(f"{feed}_arrears")
    arrears = col[:, m] > 0 if col is not None else np.zeros(c.n, bool)
    debt = sig["credit_amount"][:, m]
    report = {
        "kepco": present | ((c.head_death < m) & (m <= c.head_death + 2)),
        "water": arrears | sig["water_cutoff"][:, m],
        "gas": c.has_gas & (arrears | sig["gas_cutoff"][:, m] | sig["gas_drop"][:, m]),
        "nhis": arrears | sig["nhis_catastrophic"][:, m],
        "nps": arrears | sig["nps_loan"][:, m],
        "telecom": arrears,
        # the credit bureau reports only debts of 1,000,000 to 20,000,000 KRW (FEEDS.md)
        "credit": arrears & (debt >= CREDIT_MIN) & (debt <= CREDIT_MAX),
        "housing": arrears,
    }[feed]
    keep = report & (present if feed != "kepco" else True)
    return np.flatnonzero(keep)


def monthly_frame(
    feed: str, c: Chunk, sig: dict, rrn: np.ndarray, ym: str, m: int, rows: np.ndarray
):
    """The feed's rows for data month m: a string frame (CSV/JSONL) or an Arrow table (Parquet)."""
    g = {k: v[rows, m] for k, v in sig.items() if v.ndim == 2}
    who = rrn[rows]
    n = len(rows)
    if feed == "kepco":
        return pl.DataFrame(
            [pl.Series(KEPCO_HEADER[0], who), pl.Series(KEPCO_HEADER[1], [ym] * n),
             pl.Series(KEPCO_HEADER[2], _str(g["kepco_arrears"])),
             thousands(g["kepco_amount"]).alias(KEPCO_HEADER[3]),
             pl.Series(KEPCO_HEADER[4], yn(g["kepco_cutoff"])),
             pl.Series(KEPCO_HEADER[5], yn(g["kepco_limiter"])),
             pl.Series(KEPCO_HEADER[6], _str(g["kepco_kwh"]))]
        )  # fmt: skip
    if feed in ("water", "gas"):
        cols = {"rrn": who, "ym": [ym] * n, "arrears_months": _str(g[f"{feed}_arrears"]),
                "arrears_amount": _str(g[f"{feed}_amount"]), "cutoff": yn(g[f"{feed}_cutoff"])}  # fmt: skip
        if feed == "gas":
            cols["usage_m3"] = np.char.mod("%.1f", g["gas_m3"])
        return pl.DataFrame(cols)
    if feed == "telecom":
        return pl.DataFrame({"rrn": who, "ym": [ym] * n, "arrears_months": _str(g["telecom_arrears"]),
                             "arrears_amount": _str(g["telecom_amount"])})  # fmt: skip
    if feed == "credit":
        return pl.DataFrame({"rrn": who, "ym": [ym] * n, "delinquent_amount": _str(g["credit_amount"]),
                             "delinquency_days": _str(g["credit_days"]),
                             "debt_relief_dropped": yn(g["credit_dropped"])})  # fmt: skip
    if feed == "housing":
        kind = np.where(c.public_rent[rows], '"public_rent"', '"mgmt_fee"')
        return pl.DataFrame({"household_no": _quote(c.household_no[rows]), "ym": _quote(np.full(n, ym)),
                             "kind": kind, "arrears_months": _str(g["housing_arrears"]),
                             "arrears_amount": _str(g["housing_amount"])})  # fmt: skip
    return _parquet_frame(feed, g, who, ym, n)


def _quote(values: np.ndarray) -> np.ndarray:
    """Strings as JSON string tokens (values here never need escaping)."""
    return np.char.add(np.char.add('"', values.astype(str)), '"')


def _parquet_frame(feed: str, g: dict, who: np.ndarray, ym: str, n: int) -> pl.DataFrame:
    """nhis / nps rows as a typed frame matching the Arrow schema."""
    if feed == "nhis":
        return pl.DataFrame(
            {"rrn": who, "ym": [ym] * n, "premium_arrears_months": g["nhis_arrears"].astype(np.int16),
             "premium_arrears_amount": g["nhis_amount"].astype(np.int64),
             "catastrophic_medical": g["nhis_catastrophic"], "medical_oop_amount": g["nhis_oop"]}
        )  # fmt: skip
    return pl.DataFrame(
        {"rrn": who, "ym": [ym] * n, "contribution_arrears_months": g["nps_arrears"].astype(np.int16),
         "emergency_loan": g["nps_loan"]}
    )  # fmt: skip


def missing_values(rng: np.random.Generator, feed: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Water and gas leave some values unknown, written as an empty field or '-' (FEEDS.md)."""
    if feed not in ("water", "gas") or frame.height == 0:
        return frame
    cols = ["arrears_amount", "cutoff"] + (["usage_m3"] if feed == "gas" else [])
    out = []
    for col in cols:
        blank = rng.random(frame.height) < 0.01
        token = np.where(rng.random(frame.height) < 0.5, "", "-")
        out.append(pl.Series(col, np.where(blank, token, frame[col].to_numpy())))
    return frame.with_columns(out)


def jsonl_lines(frame: pl.DataFrame) -> pl.Series:
    """One JSON object per row from a frame of JSON tokens, keys in column order."""
    parts: list[pl.Expr | str] = []
    for i, name in enumerate(frame.columns):
        parts += [pl.lit(("{" if i == 0 else ", ") + f'"{name}": '), pl.col(name)]
    return frame.select(pl.concat_str([*parts, pl.lit("}")]).alias("line"))["line"]
