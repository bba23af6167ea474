"""The report's teams: a summary per city (시군구), then each city's teams (읍면동) by name —
households, open assignments, capacity, tonight's picks, spare visits and the tier mix — and
the spare capacity per city. Names come from teams.yml; a code not in it is shown as the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import polars as pl

from outreach.teams import Teams
from report.charts import bars, hangul_font, png
from report.html import table

TIER_BANDS = ((16, 20), (11, 15), (6, 10), (1, 5))
BAND_NAMES = tuple(f"tier {low}-{high}" for low, high in TIER_BANDS)
BAND_COLORS = ("#b22", "#e73", "#eb5", "#9bd")
# the manifest's per-team numbers summed per city, with their column titles
TEAM_NUMBERS = {
    "households": "가구 (households)",
    "assigned": "배정 (assigned, open)",
    "capacity": "정원 (capacity)",
    "picked": "오늘 배정 (picked tonight)",
    "spare": "여유 (spare)",
    "waiting": "대기 (waiting at/above floor)",
}
FROM_MANIFEST = ("capacity", "picked", "spare", "waiting")  # the others: from the ranked list
UNKNOWN = "teams.yml에 없음 / not in teams.yml"


@dataclass(frozen=True)
class Places:
    """Names of teams (emd_code) and cities (sigungu_code) as (ko, en), in teams.yml order."""

    teams: dict[str, tuple[str, str]]
    cities: dict[str, tuple[str, str]]

    def team(self, code: str) -> str:
        """'문산읍 (Munsan-eup)'; a code not in teams.yml says so."""
        ko, en = self.teams.get(code, (None, None))
        return f"{ko} ({en})" if ko else f"{code} ({UNKNOWN})"

    def city(self, code: str | None) -> str:
        """'진주시 (Jinju)'; a code not in teams.yml says so."""
        ko, en = self.cities.get(code or "", (None, None))
        return f"{ko} ({en})" if ko else f"{code or '?'} ({UNKNOWN})"

    def city_label(self, code: str | None) -> str:
        """A chart's label of a city: Korean with a Hangul font, else English, else the code."""
        ko, en = self.cities.get(code or "", (None, None))
        return (ko if hangul_font() else en) or code or "?"


def places(config: Teams | None) -> Places:
    """The names of teams.yml (none without one)."""
    if config is None:
        return Places({}, {})
    return Places(
        {t.emd_code: (t.name_ko, t.name_en) for t in config.teams},
        {c.sigungu_code: (c.name_ko, c.name_en) for c in config.cities},
    )


def tier_mix(ranked_list: pl.DataFrame) -> pl.DataFrame:
    """Per team: `emd_code, sigungu_code, households, assigned` and assigned per tier band."""
    bands = [
        pl.col("tier").is_between(low, high).and_(pl.col("assigned")).sum().alias(name)
        for (low, high), name in zip(TIER_BANDS, BAND_NAMES, strict=True)
    ]
    return ranked_list.group_by("emd_code").agg(
        pl.col("sigungu_code").drop_nulls().first(),
        pl.len().alias("households"),
        pl.col("assigned").sum().alias("assigned"),
        *bands,
    )


def team_numbers(ranked_list: pl.DataFrame, night: dict, names: Places) -> pl.DataFrame:
    """Per team, cities in teams.yml order and teams in the night's order: `emd_code,
    sigungu_code`, TEAM_NUMBERS (capacity columns 0 when the night has none) and the bands."""
    entries = night.get("teams", {}).get("teams", [])
    manifest = pl.DataFrame(
        [{"emd_code": t["emd_code"], **{k: t.get(k, 0) for k in FROM_MANIFEST}} for t in entries],
        schema={"emd_code": pl.String} | dict.fromkeys(FROM_MANIFEST, pl.Int64),
    )
    team_order = {t["emd_code"]: i for i, t in enumerate(entries)}
    city_order = {code: i for i, code in enumerate(names.cities)}
    return (
        tier_mix(ranked_list)
        .join(manifest, on="emd_code", how="left")
        .with_columns(pl.col(FROM_MANIFEST).fill_null(0))
        .with_columns(
            pl.col("sigungu_code").replace_strict(city_order, default=len(city_order)).alias("_c"),
            pl.col("emd_code").replace_strict(team_order, default=len(team_order)).alias("_t"),
        )
        .sort(["_c", "sigungu_code", "_t", "emd_code"], nulls_last=True)
        .select("emd_code", "sigungu_code", *TEAM_NUMBERS, *BAND_NAMES)
    )


def city_summary(teams: pl.DataFrame, names: Places) -> pl.DataFrame:
    """One row per city, in the order of `teams`: its name, its teams and their numbers summed."""
    summed = teams.group_by("sigungu_code", maintain_order=True).agg(
        pl.len().alias("팀 (teams)"), pl.col(*TEAM_NUMBERS, *BAND_NAMES).sum()
    )
    return summed.select(
        pl.col("sigungu_code")
        .map_elements(names.city, return_dtype=pl.String)
        .alias("시군구 (city)"),
        pl.exclude("sigungu_code"),
    ).rename(TEAM_NUMBERS)


def team_rows(teams: pl.DataFrame, names: Places) -> pl.DataFrame:
    """The teams of `teams` by name (no codes), with their numbers."""
    return teams.select(
        pl.col("emd_code").map_elements(names.team, return_dtype=pl.String).alias("읍면동 (team)"),
        *TEAM_NUMBERS,
        *BAND_NAMES,
    ).rename(TEAM_NUMBERS)


def teams_section(ranked_list: pl.DataFrame, night: dict, names: Places) -> str:
    """The summary per city, then the chart and one table of teams per city."""
    teams = team_numbers(ranked_list, night, names)
    parts = [
        "<h2>시군구별 요약 (summary per city)</h2>",
        table(city_summary(teams, names)),
        "<h2>팀별 목록 (list size and tier mix per team)</h2>",
        png(teams_chart(teams, names)) if teams.height else "",
    ]
    for (code,), city in teams.group_by("sigungu_code", maintain_order=True):
        parts.append(f"<h3>{escape(names.city(code))}</h3>{table(team_rows(city, names))}")
    return "".join(parts)


def teams_chart(teams: pl.DataFrame, names: Places):
    """Draws the assigned households per team stacked by tier band, capacity as a tick, the
    teams grouped by city (the city's name under its teams)."""

    def draw(ax):
        x = list(range(teams.height))
        bottom = [0] * teams.height
        for name, color in zip(BAND_NAMES, BAND_COLORS, strict=True):
            values = teams[name].to_list()
            bars(ax, x, values, bottom, color=color, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        if teams["capacity"].sum():
            ax.plot(x, teams["capacity"], "_", color="#222", markersize=6, label="capacity")
        starts = (
            teams.with_row_index()
            .group_by("sigungu_code", maintain_order=True)
            .agg(pl.col("index").min().alias("first"), pl.col("index").max().alias("last"))
        )
        for first in starts["first"].to_list()[1:]:
            ax.axvline(first - 0.5, color="#333", linewidth=1.5, zorder=3)
        ax.set_xticks(
            [(f + last) / 2 for f, last in zip(starts["first"], starts["last"], strict=True)],
            [names.city_label(code) for code in starts["sigungu_code"]],
        )
        top = max([*bottom, *teams["capacity"].to_list(), 1])
        ax.set(xlim=(-0.6, teams.height - 0.4), ylim=(0, top * 1.08), ylabel="assigned households")
        ax.set_title("List size and tier mix per team, by city")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))

    return draw


def spare_lines(night: dict, names: Places) -> list[str]:
    """One line per city with spare capacity: its spare visits, the teams that have them (with
    their floor and the households the floor held back) and the households at or above their
    team's floor still waiting in the city's other teams, most first."""
    teams = [t for t in night.get("teams", {}).get("teams", []) if "spare" in t]
    lines = []
    for city in night.get("spare_capacity", {}).get("by_city", []):
        if city["spare"] <= 0:
            continue
        here = [t for t in teams if t["sigungu_code"] == city["sigungu_code"]]
        spare = ", ".join(
            f"{t['name']} ({t['emd_code']}) {t['spare']} — floor {t['risk_floor']}, "
            f"{t['below_floor']} below it"
            for t in here
            if t["spare"] > 0
        )
        waiting = sorted(
            (t for t in here if t["spare"] == 0 and t["waiting"] > 0),
            key=lambda t: (-t["waiting"], t["emd_code"]),
        )
        where = ", ".join(f"{t['name']} ({t['emd_code']}) {t['waiting']}" for t in waiting[:5])
        lines.append(
            f"{names.city(city['sigungu_code'])}: 여유 {city['spare']}회 (spare visits) in "
            f"{city['teams_with_spare']} teams: {spare}. 다른 팀에서 대기 중인 기준 이상 가구 "
            f"(households at or above their team's floor still unpicked in other teams): "
            f"{sum(t['waiting'] for t in waiting)}" + (f" — {where}" if where else "")
        )
    return lines


def spare_section(night: dict, names: Places) -> str:
    """Spare capacity per city, so an office can move visits where the risk is."""
    summary = night.get("spare_capacity")
    if summary is None:
        return ""
    lines = spare_lines(night, names)
    body = (
        "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
        if lines
        else "<p>여유 없음 (every team's free capacity was used).</p>"
    )
    return (
        f"<h2>여유 방문 (spare capacity: {summary['total']} visits in "
        f"{summary['teams_with_spare']} teams)</h2><p class='note'>Visits a team's risk floor, or "
        "a want of eligible households, left unused tonight (free capacity − picks).</p>"
        f"{body}"
    )
