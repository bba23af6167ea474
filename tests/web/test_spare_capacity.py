"""Spare capacity on the web (issue 17, point 5): the analysts' overview and list, the team page.

A night of the outreach tests' five-household warehouse, published for real, with Jiphyeon's
risk floor at 20: its one eligible household (tier 16) is below it, so both its visits are
spare, while Munsan's tier-8 household waits unpicked in the same city."""

from __future__ import annotations

import re

import duckdb
import pytest

from outreach.publish import publish
from sagak.settings import Settings
from tests.outreach import conftest as tiny
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN
from tests.outreach.test_publish import DELIVERIES
from tests.web.conftest import create_users, live_server, login


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    home = tmp_path_factory.mktemp("spare_home")
    floors = tiny.TEAMS_YML.replace(
        "name_en: Jiphyeon-myeon}", "name_en: Jiphyeon-myeon, risk_floor: 20}"
    )
    (home / "teams.yml").write_text(floors, encoding="utf-8")
    settings = Settings(home=home)
    con = duckdb.connect()
    for ddl in (tiny.SCORES, tiny.REGISTRY, tiny.CONTACTS, tiny.DELIVERIES, tiny.FEATURES):
        con.execute(ddl)
    con.execute(tiny.REFERRALS)
    for file_id, delivered in tiny.SNAPSHOTS.items():
        tiny.add_snapshot(con, file_id, delivered)
    publish(con, settings, AS_OF, "baseline-v1", DELIVERIES)
    con.close()
    create_users(settings, MUNSAN, JIPHYEON)
    with live_server(settings) as served:
        yield served


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id, tags dropped, spaces collapsed."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|tr|h2)>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_analysts_overview_shows_spare_visits_per_city_and_team(url):
    analyst = login(url, "analyst")
    analyst.get("/lang?to=en&next=/capacity")
    page = analyst.get("/capacity").text
    assert text_of(page, "spare-total") == "Spare visits in all: 3 · 2 teams"
    city = text_of(page, "city-48170")
    assert city.startswith("Jinju — Spare 3 · 2 teams")
    assert city.endswith("still unpicked in the city 1")  # Munsan's h4, tier 8
    #                 capacity, floor, free, picked, spare, below floor, waiting, why
    assert text_of(page, f"team-{JIPHYEON}") == (
        "Jiphyeon-myeon (4817052000) 2 20 2 0 2 1 0 "
        "left free: only households below the risk floor are left"
    )
    assert text_of(page, f"team-{MUNSAN}") == "Munsan-eup (4817051000) 2 1 2 2 0 0 1"
    listing = analyst.get("/list").text
    assert text_of(listing, "spare-line") == "Spare visits tonight: 3 · 2 teams — see the teams"


def test_a_team_sees_its_free_visits_tonight_and_why_they_are_spare(url):
    team = login(url, "team_b")  # Jiphyeon
    team.get("/lang?to=en&next=/team")
    line = text_of(team.get("/team").text, "capacity")
    assert line == (
        "Visits tonight: Capacity 2 · Free 2 · Picked tonight 0 · Spare 2 · Risk floor (tier) 20 "
        "— left free: only households below the risk floor are left (1)"
    )
    full = login(url, "team_a")  # Munsan: both visits picked, nothing spare, nothing to explain
    assert "capacity-why" not in full.get("/team").text


def test_only_analysts_see_the_overview(url):
    assert login(url, "team_a").get("/capacity").status_code == 403
