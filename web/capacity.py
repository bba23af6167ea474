"""Spare capacity as the pages show it, read from the night's manifest (outreach/manifest.py):
per team its free visits tonight, the picks made, the visits left spare and why; per city the
spare visits and the households at or above their team's risk floor still waiting elsewhere."""

from __future__ import annotations


def why_spare(team: dict) -> str | None:
    """The i18n key of why a team has visits free or spare tonight, or None when it has none to
    explain: every visit taken by open assignments, only households below the risk floor left,
    or no eligible household left at all."""
    if team["free"] == 0:
        return "why_full"
    if team["spare"] == 0:
        return None
    return "why_floor" if team["below_floor"] > 0 else "why_none_eligible"


def team_capacity(manifest: dict, emd_code: str | None) -> dict | None:
    """The manifest's entry of one team with `why`, or None (unknown team, or a night
    published before spare capacity was recorded)."""
    for team in manifest.get("teams", {}).get("teams", []):
        if team["emd_code"] == emd_code and "spare" in team:
            return team | {"why": why_spare(team)}
    return None


def spare_by_city(manifest: dict, city_names: dict[str, str]) -> list[dict] | None:
    """Per city (the manifest's order): its spare visits, teams with some, households waiting,
    and its teams with `why`; None for a night published before spare capacity was recorded."""
    summary = manifest.get("spare_capacity")
    if summary is None:
        return None
    teams = [t for t in manifest.get("teams", {}).get("teams", []) if "spare" in t]
    return [
        city
        | {
            "name": city_names.get(city["sigungu_code"]) or city["sigungu_code"] or "",
            "teams": [
                team | {"why": why_spare(team)}
                for team in teams
                if team["sigungu_code"] == city["sigungu_code"]
            ],
        }
        for city in summary["by_city"]
    ]
