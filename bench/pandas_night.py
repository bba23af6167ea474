"""A plain pandas night: what a data analyst would write without sagak, for `make bench` to set
sagak's first nightly after the load against (issue 20: no slower than this at 200k).

It reads the agencies' raw files in the inbox with pandas (docs/feeds.md: CP949 or UTF-8 with a
BOM, gzip, JSON Lines, Parquet; Korean or English headers, thousands separators, `-` and blanks,
a corrected `_v2` over its `_v1`, duplicate rows), only the deliveries dated on or before the
night and only those the night's windows need, and makes for the night:

- membership: the latest registry snapshot on or before the night: person -> household, the
  household's team (emd_code of its living members), living members, the head's age, an
  older person living alone, a member with a disability;
- per monthly feed, over the data months of the 3, 6 and 12 months ending with the night's
  month (rows of people mapped to their household now): most arrears months (electricity,
  water, gas, health insurance, pension, telecom, rent), cut-offs (electricity incl. current
  limiter, water, gas), longest credit delinquency, catastrophic medical costs;
- job loss in the last 90 and 365 days, referrals in the last 30 and 90 days, active benefits
  and a benefit ended in the last year with none active, from the latest benefits snapshot;
- a rule score: the documented weighted sum of sagak's baseline (models/baseline.py, copied
  here as numbers, not imported): points earned over points possible;
- exclusions: every member deceased, a benefit active; then per team (emd_code) the households
  ranked by score, the top `--capacity` picked.

Writes <out>/ranked.parquet (every household) and <out>/lists/<emd_code>.parquet (each team's
ranked eligible households, `picked` on its top ones). Prints JSON: seconds, households, teams,
picked. It uses no sagak code. Usage:
    python -m bench.pandas_night SAGAK_HOME [--as-of 2026-10-29] [--out DIR] [--capacity 25]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import time
from datetime import date
from pathlib import Path

import pandas as pd

NAME = re.compile(r"^(?P<feed>[a-z]+)_(?P<date>\d{8})(?:_v(?P<v>\d+))?\.(?P<ext>csv|jsonl|parquet)")
# the Korean headers the agencies may use (docs/feeds.md), to the English names
KOREAN = {
    "주민번호": "rrn",
    "기준년월": "ym",
    "체납개월수": "arrears_months",
    "체납금액": "arrears_amount",
    "단전여부": "cutoff",
    "전류제한여부": "current_limiter",
    "사용량kwh": "usage_kwh",
}
MONTHLY = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
# feed -> (its arrears-months column, its prefix in the features)
ARREARS = {
    "kepco": ("arrears_months", "power"),
    "water": ("arrears_months", "water"),
    "gas": ("arrears_months", "gas"),
    "nhis": ("premium_arrears_months", "nhis"),
    "nps": ("contribution_arrears_months", "nps"),
    "telecom": ("arrears_months", "telecom"),
    "housing": ("arrears_months", "housing"),
}
# the baseline's rule: feature -> (weight, cap); no cap: a yes/no signal
WEIGHTS = {
    "power_cutoff_12m": (3.0, None),
    "gas_cutoff_12m": (2.0, None),
    "water_cutoff_12m": (2.0, None),
    "power_arrears_months_max_3m": (1.5, 6),
    "gas_arrears_months_max_3m": (1.0, 6),
    "water_arrears_months_max_3m": (1.0, 6),
    "nhis_arrears_months_max_6m": (2.0, 6),
    "referrals_90d": (2.5, 2),
    "housing_arrears_months_max_3m": (1.5, 6),
    "job_loss_365d": (1.5, None),
    "nhis_catastrophic_medical_12m": (1.0, None),
    "telecom_arrears_months_max_3m": (1.0, 6),
    "credit_delinquency_days_max_3m": (1.0, 180),
    "benefit_ended_no_new": (1.0, None),
    "elderly_alone": (0.5, None),
    "any_disabled": (0.3, None),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home", type=Path, help="SAGAK_HOME whose inbox is read")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 29))
    parser.add_argument("--out", type=Path, help="output folder (default: HOME/pandas_night)")
    parser.add_argument("--capacity", type=int, default=25, help="picks per team")
    args = parser.parse_args()
    start = time.perf_counter()
    done = night(args.home / "inbox", pd.Timestamp(args.as_of), args.capacity)
    out = args.out or args.home / "pandas_night"
    write(done, out)
    seconds = round(time.perf_counter() - start, 2)
    print(json.dumps({"seconds": seconds, **counts(done)}), flush=True)


# ---- reading the inbox ----------------------------------------------------------------------


def deliveries(inbox: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per delivery file on or before the night: feed, date, path; a `_v2` replaces the
    earlier version of the same feed and date."""
    rows = []
    for path in inbox.glob("*/*"):
        match = NAME.match(path.name)
        if match and match["feed"] == path.parent.name:
            day = pd.to_datetime(match["date"], format="%Y%m%d", errors="coerce")
            rows.append((match["feed"], day, int(match["v"] or 1), path))
    files = pd.DataFrame(rows, columns=["feed", "date", "version", "path"])
    files = files[files["date"].notna() & (files["date"] <= as_of)]
    files = files.sort_values(["feed", "date", "version"])
    return files.drop_duplicates(["feed", "date"], keep="last")


def read_file(path: Path) -> pd.DataFrame:
    """A delivery as a frame of text columns with English lower-case names; empty if unreadable."""
    try:
        if ".parquet" in path.name:
            frame = pd.read_parquet(path)
        else:
            text = decode(path)
            if ".jsonl" in path.name:
                frame = read_json_lines(text)
            else:
                frame = pd.read_csv(
                    io.StringIO(text), dtype=str, keep_default_na=False, on_bad_lines="skip"
                )
    except (ValueError, OSError, EOFError, pd.errors.ParserError):
        return pd.DataFrame()
    frame.columns = [KOREAN.get(c, c) for c in (str(c).strip().lower() for c in frame.columns)]
    return frame


def decode(path: Path) -> str:
    """The text of a CSV or JSON Lines file (gzip undone): UTF-8 (BOM dropped), else CP949."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        import gzip

        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp949")


def read_json_lines(text: str) -> pd.DataFrame:
    """JSON Lines; if a line is broken, the lines that parse."""
    try:
        return pd.read_json(io.StringIO(text), lines=True, dtype=False)
    except ValueError:
        good = []
        for line in text.splitlines():
            try:
                good.append(json.loads(line))
            except ValueError:
                continue
        return pd.DataFrame(good)


def read_feed(files: pd.DataFrame, feed: str, since: pd.Timestamp) -> pd.DataFrame:
    """Every row of a feed's files delivered from `since`, duplicate rows dropped."""
    paths = files.loc[(files["feed"] == feed) & (files["date"] >= since), "path"]
    frames = [f for f in map(read_file, paths) if len(f)]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True).astype(str).drop_duplicates()


def latest(files: pd.DataFrame, feed: str) -> pd.DataFrame:
    """The latest readable full snapshot of a feed (registry, benefits)."""
    for path in files.loc[files["feed"] == feed, "path"].iloc[::-1]:
        frame = read_file(path)
        if len(frame):
            return frame.astype(str).drop_duplicates()
    return pd.DataFrame()


def column(rows: pd.DataFrame, name: str) -> pd.Series:
    """A column of the rows as text; all missing if no file had it."""
    if name in rows:
        return rows[name]
    return pd.Series(pd.NA, index=rows.index, dtype="str")


def number(values: pd.Series) -> pd.Series:
    """Numbers as written: thousands separators, blanks and `-` (missing), text (missing)."""
    return pd.to_numeric(values.str.replace(",", "", regex=False).str.strip(), errors="coerce")


def yes(values: pd.Series) -> pd.Series:
    """Y/N (or True/False from Parquet) as a boolean."""
    return values.str.strip().str.upper().isin(["Y", "TRUE", "1"])


def day(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD dates; impossible ones missing."""
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


# ---- the night ------------------------------------------------------------------------------


def night(inbox: Path, as_of: pd.Timestamp, capacity: int) -> pd.DataFrame:
    """Every household of the latest registry snapshot: its features, score, exclusion, rank."""
    files = deliveries(inbox, as_of)
    people, households = membership(latest(files, "registry"), as_of)
    month = as_of.to_period("M")
    first_month = (month - 11).to_timestamp()
    features = [households]
    for feed in MONTHLY:
        rows = read_feed(files, feed, first_month)
        features.append(monthly(feed, rows, people, month))
    features.append(
        employment(read_feed(files, "employment", as_of - pd.Timedelta(days=365)), people, as_of)
    )
    features.append(referrals(read_feed(files, "referrals", as_of - pd.Timedelta(days=90)), as_of))
    features.append(benefits(latest(files, "benefits"), as_of))
    table = pd.concat(features, axis=1).reindex(households.index)
    table["score"] = score(table)
    return lists(table, capacity)


def membership(registry: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.Series, pd.DataFrame]:
    """(rrn -> household_no, per household: emd_code, all_deceased and composition features)."""
    registry = registry.drop_duplicates("rrn")
    birth = day(registry["birth_date"])
    age = (
        as_of.year
        - birth.dt.year
        - ((birth.dt.month * 100 + birth.dt.day) > (as_of.month * 100 + as_of.day))
    )
    living = ~yes(registry["deceased"])
    frame = pd.DataFrame(
        {
            "household_no": registry["household_no"],
            "emd_code": registry["emd_code"].where(living),
            "living": living,
            "head_age": age.where(registry["relation"].str.strip() == "head"),
            "disabled": yes(registry["disabled"]) & living,
        }
    )
    grouped = frame.groupby("household_no")
    households = pd.DataFrame(
        {
            "emd_code": grouped["emd_code"].min(),
            "n_members": grouped["living"].sum(),
            "head_age": grouped["head_age"].max(),
            "any_disabled": grouped["disabled"].any().astype(int),
        }
    )
    households["all_deceased"] = households["n_members"] == 0
    households["elderly_alone"] = (
        (households["n_members"] == 1) & (households["head_age"] >= 65)
    ).astype(int)
    return registry.set_index("rrn")["household_no"], households


def monthly(feed: str, rows: pd.DataFrame, people: pd.Series, month: pd.Period) -> pd.DataFrame:
    """A monthly feed's features per household over the 3, 6 and 12 data months to `month`."""
    if rows.empty or "ym" not in rows:
        return pd.DataFrame()
    ym = pd.to_datetime(column(rows, "ym").str.strip(), format="%Y%m", errors="coerce")
    back = (month.year - ym.dt.year) * 12 + (month.month - ym.dt.month)
    key = column(rows, "household_no") if feed == "housing" else column(rows, "rrn").map(people)
    data = pd.DataFrame({"household_no": key, "back": back})
    if feed in ARREARS:
        data["arrears"] = number(column(rows, ARREARS[feed][0]))
    if feed in ("kepco", "water", "gas"):
        data["cutoff"] = yes(column(rows, "cutoff"))
        if feed == "kepco":
            data["cutoff"] |= yes(column(rows, "current_limiter"))
    if feed == "nhis":
        data["flag"] = yes(column(rows, "catastrophic_medical"))
    if feed == "credit":
        data["days"] = number(column(rows, "delinquency_days"))
    data = data[data["household_no"].notna() & data["back"].between(0, 11)]
    prefix = ARREARS.get(feed, (None, "credit"))[1]
    out = {}
    for window in (3, 6, 12):
        grouped = data[data["back"] < window].groupby("household_no")
        if "arrears" in data:
            out[f"{prefix}_arrears_months_max_{window}m"] = grouped["arrears"].max()
        if "cutoff" in data:
            out[f"{prefix}_cutoff_{window}m"] = grouped["cutoff"].any().astype(int)
        if "flag" in data:
            out[f"{prefix}_catastrophic_medical_{window}m"] = grouped["flag"].any().astype(int)
        if "days" in data:
            out[f"credit_delinquency_days_max_{window}m"] = grouped["days"].max()
    return pd.DataFrame(out)


def employment(rows: pd.DataFrame, people: pd.Series, as_of: pd.Timestamp) -> pd.DataFrame:
    """Job loss of a member in the last 90 and 365 days."""
    if rows.empty:
        return pd.DataFrame()
    days_ago = (as_of - day(rows["event_date"])).dt.days
    lost = rows[(rows["event"].str.strip() == "job_loss") & days_ago.between(0, 364)]
    lost = pd.DataFrame({"household_no": lost["rrn"].map(people), "days_ago": days_ago})
    grouped = lost.dropna(subset=["household_no"]).groupby("household_no")["days_ago"]
    return pd.DataFrame(
        {"job_loss_365d": grouped.size().gt(0).astype(int), "job_loss_90d": grouped.min().lt(90)}
    ).astype(int)


def referrals(rows: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Referrals dated in the last 30 and 90 days."""
    if rows.empty:
        return pd.DataFrame()
    days_ago = (as_of - day(rows["referral_date"])).dt.days
    recent = pd.DataFrame({"household_no": rows["household_no"], "in_90d": days_ago.between(0, 89)})
    recent["in_30d"] = days_ago.between(0, 29)
    grouped = recent[recent["in_90d"]].groupby("household_no")
    return pd.DataFrame(
        {"referrals_90d": grouped["in_90d"].sum(), "referrals_30d": grouped["in_30d"].sum()}
    )


def benefits(snapshot: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """From the latest benefits snapshot: programmes active now, one ended in the last year."""
    if snapshot.empty:
        return pd.DataFrame()
    start, end = day(snapshot["start_date"]), day(snapshot["end_date"])
    active = (start <= as_of) & (end.isna() | (end > as_of))
    ended = end.notna() & (end <= as_of) & ((as_of - end).dt.days < 365)
    frame = pd.DataFrame(
        {"household_no": snapshot["household_no"], "active": active, "ended": ended}
    )
    grouped = frame.groupby("household_no")
    out = pd.DataFrame(
        {"benefit_active": grouped["active"].any(), "benefit_ended": grouped["ended"].any()}
    )
    out["benefit_ended_no_new"] = out["benefit_ended"] & ~out["benefit_active"]
    return out[["benefit_active", "benefit_ended_no_new"]].astype(int)


def score(table: pd.DataFrame) -> pd.Series:
    """The rule: points earned over points possible, each signal capped at its weight."""
    points = pd.Series(0.0, index=table.index)
    for name, (weight, cap) in WEIGHTS.items():
        if name not in table:
            continue
        value = pd.to_numeric(table[name], errors="coerce").fillna(0).astype(float)
        points += (value.clip(0, 1) if cap is None else (value / cap).clip(0, 1)) * weight
    return (points / sum(w for w, _ in WEIGHTS.values())).round(6)


def lists(table: pd.DataFrame, capacity: int) -> pd.DataFrame:
    """Exclusions, the rank within the team, and the team's top `capacity` picked."""
    table = table.reset_index(names="household_no")
    active = table.get("benefit_active", pd.Series(0, index=table.index)).fillna(0).astype(bool)
    table["excluded_reason"] = None
    table.loc[active, "excluded_reason"] = "benefit_active"
    table.loc[table["all_deceased"], "excluded_reason"] = "deceased"
    table = table.sort_values(["emd_code", "score", "household_no"], ascending=[True, False, True])
    eligible = table["excluded_reason"].isna() & (table["score"] > 0)
    table["rank"] = pd.NA
    table.loc[eligible, "rank"] = table[eligible].groupby("emd_code").cumcount() + 1
    table["rank"] = table["rank"].astype("Int64")
    table["picked"] = table["rank"].le(capacity).fillna(False).astype(bool)
    return table


def write(table: pd.DataFrame, out: Path) -> None:
    """ranked.parquet and one list per team with households."""
    (out / "lists").mkdir(parents=True, exist_ok=True)
    table.to_parquet(out / "ranked.parquet", index=False)
    columns = ["household_no", "emd_code", "rank", "score", "picked"]
    for emd_code, team in table[table["emd_code"].notna()].groupby("emd_code"):
        ranked = team[team["rank"].notna()].sort_values("rank")
        ranked[columns].to_parquet(out / "lists" / f"{emd_code}.parquet", index=False)


def counts(table: pd.DataFrame) -> dict:
    """What the night made."""
    return {
        "households": int(len(table)),
        "teams": int(table["emd_code"].nunique()),
        "picked": int(table["picked"].sum()),
    }


if __name__ == "__main__":
    main()
