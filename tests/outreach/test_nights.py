"""Earlier nights never change a later one; the publish swap leaves a whole night at every step."""

import json
import os
import shutil
from datetime import timedelta

import pytest

import outreach.nights
from outreach.assignments import rewind_assignments
from outreach.feedback import store_feedback
from outreach.manifest import sha256_file
from outreach.nights import (
    NightRefused,
    refuse_earlier,
    remove_leftovers,
    require_deliveries,
)
from outreach.publish import publish
from tests.outreach.conftest import AS_OF, MUNSAN
from tests.outreach.test_feedback import by_no, fill
from tests.outreach.test_publish import DELIVERIES, sheet_keys

EARLIER = AS_OF - timedelta(days=2)


def run(con, settings, night=AS_OF):
    return publish(con, settings, night, "baseline-v1", DELIVERIES)


def assignments(con):
    return con.sql("select * from assignments order by all").fetchall()


def files(settings, night=AS_OF):
    """relpath → bytes of every file of a published night."""
    folder = settings.outreach_dir(night.isoformat())
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def whole(settings, night=AS_OF) -> bool:
    """The night's manifest exists and every file it lists is there with its hash."""
    folder = settings.outreach_dir(night.isoformat())
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return all(sha256_file(folder / p) == sha for p, sha in manifest["files"].items())
    except (FileNotFoundError, NotADirectoryError):
        return False


def hidden(settings):
    return sorted(p.name for p in settings.outreach.iterdir() if p.name.startswith("."))


def test_an_earlier_night_leaves_the_later_nights_assignments_sheets_and_round_trip(
    con, settings, tmp_path
):
    run(con, settings)
    made, published = assignments(con), files(settings)
    run(con, settings, EARLIER)
    assert assignments(con) == made
    assert files(settings) == published
    assert sheet_keys(settings, MUNSAN) == ["h1", "h3"]
    returned = fill(
        settings.outreach_dir(AS_OF.isoformat()) / "sheets" / f"{MUNSAN}.xlsx",
        tmp_path / "back.xlsx",
        [("confirmed_crisis", AS_OF + timedelta(days=1), "food"), ("unreachable", None, None)],
    )
    result = store_feedback(con, returned, by_no, AS_OF + timedelta(days=3))
    assert (result.stored, result.errors) == (2, [])


def test_an_earlier_night_is_published_from_the_assignments_as_they_stood(con, settings):
    run(con, settings, EARLIER)
    first = files(settings, EARLIER)
    con.execute(  # a result for h1 comes back; the later night closes its assignment
        "insert into visits (household_key, emd_code, assigned_date, visit_date, outcome, "
        "reported_on) values ('h1', ?, ?, ?, 'not_in_need', ?)",
        [MUNSAN, EARLIER, AS_OF, AS_OF],
    )
    run(con, settings)
    made = assignments(con)
    assert ("h1", MUNSAN, EARLIER, 1, False, "closed", AS_OF, "not_in_need") in made
    run(con, settings, EARLIER)
    assert assignments(con) == made
    again = files(settings, EARLIER)
    assert again["ranked.parquet"] == first["ranked.parquet"]  # h1 still open that night
    assert sheet_keys(settings, MUNSAN) == ["h3", "h4"]
    shadows = "select count(*) from duckdb_tables() where temporary and table_name = 'assignments'"
    assert con.execute(shadows).fetchone() == (0,)


def test_the_newest_night_still_reruns_to_the_same_assignments(con, settings):
    run(con, settings, EARLIER)
    run(con, settings)
    made = assignments(con)
    run(con, settings)
    assert assignments(con) == made


def test_rewind_refuses_to_delete_a_later_nights_assignments(con, settings):
    run(con, settings)
    rewind_assignments(con, AS_OF)  # the newest night itself may be rewound
    run(con, settings)
    with pytest.raises(ValueError, match=f"night {AS_OF} made assignments"):
        rewind_assignments(con, EARLIER)


def test_a_night_with_no_household_scored_publishes_nothing(con, settings):
    con.execute("delete from household_scores")
    with pytest.raises(NightRefused, match="no household scored"):
        run(con, settings)
    assert not settings.outreach_dir(AS_OF.isoformat()).exists()


def test_a_night_before_every_delivery_is_refused(con):
    require_deliveries(con, AS_OF)
    with pytest.raises(NightRefused, match="the first is dated 2024-04-30"):
        require_deliveries(con, AS_OF - timedelta(days=365))


def test_an_earlier_night_is_refused_unless_forced(con, settings):
    refuse_earlier(settings.outreach, EARLIER, force=False)  # nothing published yet
    run(con, settings)
    with pytest.raises(NightRefused, match=f"published night {AS_OF}.*--force"):
        refuse_earlier(settings.outreach, EARLIER, force=False)
    refuse_earlier(settings.outreach, EARLIER, force=True)
    refuse_earlier(settings.outreach, AS_OF, force=False)  # the same night: a rerun
    refuse_earlier(settings.outreach, AS_OF + timedelta(days=1), force=False)


def legacy(settings):
    """Turn the night into a plain folder, as an older sagak left it."""
    link = settings.outreach_dir(AS_OF.isoformat())
    folder = link.parent / os.readlink(link)
    link.unlink()
    folder.rename(link)


STEPS = ("rename", "replace", "symlink")


def watch_steps(monkeypatch, settings, on_step):
    """Call on_step(name) before and after each file-system step (rename, replace, symlink,
    exchange, rmtree) of the publish."""
    for name in STEPS:
        real = getattr(os, name)

        def step(*args, _real=real, _name=name, **kwargs):
            on_step(_name)
            result = _real(*args, **kwargs)
            on_step(_name)
            return result

        monkeypatch.setattr(os, name, step)
    for module, name in ((outreach.nights, "exchange"), (shutil, "rmtree")):
        real = getattr(module, name)

        def other(*args, _real=real, _name=name, **kwargs):
            on_step(_name)
            result = _real(*args, **kwargs)
            on_step(_name)
            return result

        monkeypatch.setattr(module, name, other)


@pytest.mark.parametrize("older", [False, True], ids=["link", "folder of an older sagak"])
def test_every_step_of_the_swap_leaves_a_whole_night(con, settings, monkeypatch, older):
    run(con, settings)
    if older:
        legacy(settings)
    seen = []

    def check(name):
        seen.append((name, whole(settings)))

    watch_steps(monkeypatch, settings, check)
    con.execute("update household_scores set score = score / 2")
    run(con, settings)
    assert {"rename", "replace" if not older else "exchange"} <= {name for name, _ in seen}
    assert [name for name, ok in seen if not ok] == []
    monkeypatch.undo()
    assert whole(settings) and len(hidden(settings)) == 1


class Killed(BaseException):
    """A kill -9 stand-in: raised at a step, with no clean-up running after it."""


def kill_at(monkeypatch, settings, at: int) -> list[str]:
    """Raise Killed before the publish's `at`-th file-system step (rmtree then does nothing,
    as no clean-up runs after a kill); the steps seen."""
    seen = []

    def step(name):
        seen.append(name)
        if len(seen) == 2 * at + 1:
            raise Killed(name)

    watch_steps(monkeypatch, settings, step)
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)
    return seen


@pytest.mark.parametrize("older", [False, True], ids=["link", "folder of an older sagak"])
def test_a_kill_at_any_step_leaves_a_whole_night_and_the_next_run_removes_the_rest(
    con, settings, monkeypatch, older
):
    run(con, settings)
    killed_at = []
    for at in range(10):
        if older:
            legacy(settings)
        seen = kill_at(monkeypatch, settings, at)
        con.execute("update household_scores set score = score / 2")
        try:
            run(con, settings)
        except Killed as kill:
            killed_at.append(str(kill))
        monkeypatch.undo()
        assert whole(settings), (at, seen)
        run(con, settings)
        assert whole(settings)
        assert hidden(settings) == [os.readlink(settings.outreach_dir(AS_OF.isoformat()))], (
            at,
            seen,
        )
    assert {"rename", "symlink", "replace" if not older else "exchange"} <= set(killed_at)


def test_a_kill_between_the_fallback_renames_is_repaired_by_the_next_run(
    con, settings, monkeypatch
):
    run(con, settings)
    legacy(settings)
    before = files(settings)
    monkeypatch.setattr(outreach.nights, "exchange", lambda a, b: False)  # e.g. not Linux

    def killed(*args, **kwargs):
        raise Killed("replace")

    monkeypatch.setattr(os, "replace", killed)
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)
    with pytest.raises(Killed):
        run(con, settings)
    monkeypatch.undo()
    assert not settings.outreach_dir(AS_OF.isoformat()).exists()  # the one window left
    assert [n for n in hidden(settings) if ".old-" in n]
    remove_leftovers(settings.outreach)
    assert files(settings) == before and hidden(settings) == []


def test_leftovers_with_names_and_phones_are_removed_by_the_next_run(con, settings):
    run(con, settings)
    for name in (f".{AS_OF}.tmp-k1ll3d", f".{AS_OF}.old-0ld", f".{AS_OF}.v-unused"):
        (settings.outreach / name / "sheets").mkdir(parents=True)
        (settings.outreach / name / "sheets" / f"{MUNSAN}.xlsx").write_bytes(b"names, phones")
    os.symlink(f".{AS_OF}.v-unused", settings.outreach / f".{AS_OF}.link-half")
    run(con, settings)
    assert hidden(settings) == [os.readlink(settings.outreach_dir(AS_OF.isoformat()))]
    assert whole(settings)


def test_the_web_serves_the_linked_night_once(con, settings):
    from web.nights import Nights

    run(con, settings, EARLIER)
    run(con, settings)
    run(con, settings)
    nights = Nights(settings.outreach)
    assert nights.names() == [AS_OF.isoformat(), EARLIER.isoformat()]
    assert nights.current().manifest["as_of"] == AS_OF.isoformat()
    assert nights.history_files("ranked.parquet") == [
        str(settings.outreach_dir(n.isoformat()) / "ranked.parquet") for n in (AS_OF, EARLIER)
    ]
