"""The application keeps serving while a nightly run writes, switches nights atomically, and a
result entered on the web reaches the next night exactly as a returned sheet would."""

from __future__ import annotations

import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import duckdb
import polars as pl
import pytest

from tests.web.conftest import csrf_of, live_server, login

SERVED = re.compile(r'id="served-night">([0-9-]+)<')


@dataclass
class Requests:
    """Every request made while the night ran: (start, end, path, status, night served)."""

    done: list[tuple[float, float, str, int, str | None]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def keep_asking(url: str, record: Requests) -> None:
    analyst, team = login(url, "analyst"), login(url, "team_a")
    paths = [(analyst, "/list"), (analyst, "/list?page=2&status=assigned"), (team, "/team")]
    while not record.stop.is_set():
        for client, path in paths:
            started = time.time()
            response = client.get(path)
            match = SERVED.search(response.text)
            record.done.append(
                (started, time.time(), path, response.status_code, match and match.group(1))
            )
        time.sleep(0.05)


@pytest.fixture(scope="module")
def next_night(world, tmp_path_factory):
    """A copy of the world: a result entered on the web, then the next night run by the real
    nightly flow while another thread keeps making requests."""
    from flows.nightly import nightly
    from sagak.settings import get_settings

    home = tmp_path_factory.mktemp("web_night") / "home"
    shutil.copytree(world.settings.home, home, ignore=shutil.ignore_patterns("sagak.lock"))
    settings = get_settings(home)
    key = pl.read_parquet(
        settings.outreach_dir(world.night.isoformat()) / "web" / "assignments.parquet"
    ).filter(pl.col("emd_code") == world.team_a)["household_key"][-1]
    record = Requests()
    with live_server(settings) as url:
        team = login(url, "team_a")
        visit = (world.night + timedelta(days=1)).isoformat()
        form = {"household_key": key, "outcome": "not_in_need", "visit_date": visit}
        token = csrf_of(team.get("/team/results").text)
        saved = team.post("/team/results", data=form | {"csrf_token": token, "services": "food"})
        assert saved.status_code == 303, saved.text
        asker = threading.Thread(target=keep_asking, args=(url, record), daemon=True)
        asker.start()
        time.sleep(1.0)
        started = time.time()
        nightly(as_of=world.next_night, home=str(home))
        finished = time.time()
        time.sleep(1.5)
        record.stop.set()
        asker.join(timeout=30)
    manifest = settings.outreach_dir(world.next_night.isoformat()) / "manifest.json"
    return settings, key, record, started, finished, manifest.stat().st_mtime


def test_every_request_during_the_night_succeeds(world, next_night):
    _, _, record, started, finished, _ = next_night
    during = [r for r in record.done if started <= r[0] and r[1] <= finished]
    assert len(during) >= 5, "too few requests while the night ran"
    assert [r for r in record.done if r[3] != 200] == []


def test_the_new_night_is_served_only_once_published_and_then_always(world, next_night):
    _, _, record, started, _, published = next_night
    old, new = world.night.isoformat(), world.next_night.isoformat()
    served = [r[4] for r in record.done]
    assert set(served) == {old, new}
    for begin, end, _, _, night in record.done:
        if night == new:
            assert end >= published  # never before the manifest existed
        if begin > published + 1.0:
            assert night == new  # and every request after it switched
    first_new = served.index(new)
    assert all(night == new for night in served[first_new + 3 :])
    assert [r for r in record.done if r[0] >= started and r[4] == old]  # old one served meanwhile


def test_a_web_result_reaches_the_next_night_like_a_returned_sheet(world, next_night):
    settings, key, *_ = next_night
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        stored = con.execute(
            "select emd_code, outcome, services, visit_date, reported_on, source_file "
            "from visit_results where household_key = ?",
            [key],
        ).fetchall()
        status = con.execute(
            "select status, outcome from assignments where household_key = ? and emd_code = ?",
            [key, world.team_a],
        ).fetchall()
    assert len(stored) == 1
    emd, outcome, services, visit, reported, source = stored[0]
    assert (emd, outcome, services) == (world.team_a, "not_in_need", ["food"])
    assert visit == world.night + timedelta(days=1) and reported == world.next_night
    assert source.startswith("web_") and source.endswith(".csv")
    assert ("closed", "not_in_need") in status
    outcomes = pl.read_parquet(
        settings.outreach_dir(world.next_night.isoformat()) / "web" / "outcomes.parquet"
    )
    assert outcomes.filter(pl.col("household_key") == key)["outcome"].to_list() == ["not_in_need"]
