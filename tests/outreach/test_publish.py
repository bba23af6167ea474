import json

import openpyxl
import polars as pl
import pytest

import outreach.publish
from outreach.manifest import sha256_file
from outreach.publish import publish
from outreach.sheets import FIRST_ROW, HEADERS
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN, UNLISTED

DELIVERIES = [{"file_id": "f-may", "feed": "registry", "delivery_date": AS_OF, "status": "loaded"}]


def night(settings):
    return settings.outreach_dir(AS_OF.isoformat())


def run(con, settings):
    return publish(con, settings, AS_OF, "baseline-v1", DELIVERIES)


def sheet_records(path):
    """The household rows of a sheet as dicts keyed by header."""
    ws = openpyxl.load_workbook(path).active
    rows = ws.iter_rows(min_row=FIRST_ROW, values_only=True)
    return [dict(zip(HEADERS, row, strict=True)) for row in rows]


def sheet_keys(settings, emd_code):
    """The household keys on a team's sheet, in sheet order."""
    path = night(settings) / "sheets" / f"{emd_code}.xlsx"
    return [r["가구키 (household_key)"] for r in sheet_records(path)]


def test_a_team_sheet_holds_only_its_own_households(con, settings):
    run(con, settings)
    assert sheet_keys(settings, MUNSAN) == ["h1", "h3"]
    assert sheet_keys(settings, JIPHYEON) == ["h2"]
    assert not {"h2", "h5"} & set(sheet_keys(settings, MUNSAN))
    jiphyeon = sheet_records(night(settings) / "sheets" / f"{JIPHYEON}.xlsx")
    assert jiphyeon[0]["성명"] == "가구h2-f-may"


def test_sheet_has_visit_details_and_empty_fill_in_columns(con, settings):
    run(con, settings)
    first = sheet_records(night(settings) / "sheets" / f"{MUNSAN}.xlsx")[0]
    assert first["순위"] == 1
    assert first["가구"] == "1명 · 78세 · 1인"
    assert first["선정 사유"] == "최근 6개월 내 단전"
    assert first["주소"] == "진주시 h1로 f-may"
    assert [first[h] for h in ("방문일", "방문자", "결과", "food", "메모")] == [None] * 5


def test_ranked_parquet_has_every_household_and_no_contact_details(con, settings):
    run(con, settings)
    ranked = pl.read_parquet(night(settings) / "ranked.parquet")
    assert ranked["household_key"].to_list() == ["h1", "h2", "h3", "h4", "h5"]
    assert ranked["rank"].to_list() == [1, 2, 3, 4, 5]
    assert not {"name", "phone", "address", "rrn"} & set(ranked.columns)
    assert ranked.columns == [
        "household_key",
        "emd_code",
        "sigungu_code",
        "score",
        "tier",
        "rank",
        "team_rank",
        "reasons",
        "reasons_ko",
        "reasons_en",
        "excluded_reason",
        "assigned",
        "exploration",
        "new_since_last_run",
    ]
    assert ranked["assigned"].to_list() == [True, True, True, False, True]
    assert ranked["new_since_last_run"].to_list() == [True, True, True, False, True]
    contact_values = {
        v
        for row in con.sql("select name, phone, address from sagak_contacts.contacts").fetchall()
        for v in row
    }
    cells = {str(v) for column in ranked.columns for v in ranked[column].explode().to_list()}
    assert not contact_values & cells
    assert {"h1", "utility_cutoff_6m"} <= cells  # the check does see values that are there


def test_sheet_rows_respect_default_capacity(con, settings):
    manifest = run(con, settings)
    assert sheet_keys(settings, MUNSAN) == ["h1", "h3"]  # h4 is third, beyond capacity 2
    munsan = manifest["teams"]["teams"][0]
    assert (munsan["capacity"], munsan["households"], munsan["listed"]) == (2, 3, 2)


def test_sheet_rows_respect_a_capacity_override(con, settings):
    teams = settings.teams_file
    teams.write_text(teams.read_text().replace("Munsan-eup}", "Munsan-eup, capacity: 1}"))
    manifest = run(con, settings)
    assert sheet_keys(settings, MUNSAN) == ["h1"]
    assert manifest["teams"]["teams"][0]["capacity"] == 1
    assert manifest["teams"]["teams"][1]["capacity"] == 2


def test_formula_looking_text_stays_text(con, settings):
    run(con, settings)
    ws = openpyxl.load_workbook(night(settings) / "sheets" / f"{MUNSAN}.xlsx").active
    row = FIRST_ROW + 1  # h3, whose name, address, phone and reason look like formulas
    cells = {h: ws.cell(row=row, column=i) for i, h in enumerate(HEADERS, start=1)}
    expected = {
        "성명": "=1+2",
        "주소": "@SUM(A1) 진주시",
        "연락처": "+82-10-0000-0003",
        "선정 사유": "=1+2 개월 체납",
        "최근 제보 내용": '=HYPERLINK("http://x")',
    }
    for header, value in expected.items():
        assert (cells[header].value, cells[header].data_type) == (value, "s")
    assert cells["순위"].data_type == "n"


def test_sheet_shows_the_latest_referral_concern_known_at_the_night(con, settings):
    run(con, settings)
    path = night(settings) / "sheets" / f"{MUNSAN}.xlsx"
    records = {r["가구키 (household_key)"]: r for r in sheet_records(path)}
    assert records["h3"]["최근 제보 내용"] == '=HYPERLINK("http://x")'
    assert records["h1"]["최근 제보 내용"] is None  # delivered after the night


def test_sheet_log_gets_one_line_per_sheet(con, settings):
    run(con, settings)
    log = settings.outreach / "sheet_log.jsonl"
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["emd_code"] for line in lines] == [MUNSAN, JIPHYEON, UNLISTED]
    first = lines[0]
    assert first["path"] == f"outreach/{AS_OF}/sheets/{MUNSAN}.xlsx"
    assert first["sha256"] == sha256_file(settings.home / first["path"])
    assert (first["as_of"], first["rows"]) == (AS_OF.isoformat(), 2)
    run(con, settings)
    assert len(log.read_text().splitlines()) == 6  # appended, never rewritten


def test_manifest_shape_and_hashes(con, settings):
    returned = run(con, settings)
    manifest = json.loads((night(settings) / "manifest.json").read_text())
    assert manifest == returned
    assert manifest["scorer"] == "baseline-v1"
    assert manifest["as_of"] == "2024-05-31"
    assert manifest["deliveries"][0]["delivery_date"] == "2024-05-31"
    assert [t["emd_code"] for t in manifest["teams"]["teams"]] == [MUNSAN, JIPHYEON, UNLISTED]
    assert manifest["teams"]["count"] == 3
    assert manifest["teams"]["teams"][0]["name"] == "문산읍"
    assert manifest["unknown_teams"] == [UNLISTED]
    assert manifest["counts"]["households_scored"] == 5
    assert manifest["counts"]["listed_by_team"] == {MUNSAN: 2, JIPHYEON: 1, UNLISTED: 1}
    assert sorted(manifest["files"]) == ["ranked.parquet", "report.html"] + [
        f"sheets/{code}.xlsx" for code in (MUNSAN, JIPHYEON, UNLISTED)
    ] + ["web/assignments.parquet", "web/households.parquet", "web/outcomes.parquet"]
    assert manifest["model_id"] == "baseline-v1"
    assert manifest["counts"]["assigned"] == 4
    assert manifest["counts"]["excluded_by_reason"] == {}
    for relpath, sha in manifest["files"].items():
        assert sha256_file(night(settings) / relpath) == sha
    assert "4817053000" not in manifest["counts"]["listed_by_team"]  # no households, no sheet


def test_unknown_team_still_gets_a_sheet_named_by_its_code(con, settings):
    run(con, settings)
    wb = openpyxl.load_workbook(night(settings) / "sheets" / f"{UNLISTED}.xlsx")
    assert wb.active["A1"].value.startswith(f"{UNLISTED} ({UNLISTED})")
    assert sheet_keys(settings, UNLISTED) == ["h5"]


def test_rerun_gives_the_same_list_and_manifest(con, settings):
    first = run(con, settings)
    ranked_sha = sha256_file(night(settings) / "ranked.parquet")
    second = run(con, settings)
    assert sha256_file(night(settings) / "ranked.parquet") == ranked_sha

    def stable(manifest):
        files = {k: v for k, v in manifest["files"].items() if not k.endswith(".xlsx")}
        return {**manifest, "published_at": None, "files": files}

    assert stable(first) == stable(second)
    assert stable(first)["files"] == {
        "ranked.parquet": ranked_sha,
        "report.html": sha256_file(night(settings) / "report.html"),
    } | {
        f"web/{name}": sha256_file(night(settings) / "web" / name)
        for name in ("assignments.parquet", "households.parquet", "outcomes.parquet")
    }


def test_failure_leaves_the_previous_outputs_untouched(con, settings, monkeypatch):
    run(con, settings)
    before = {p.name: p.read_bytes() for p in night(settings).rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outreach.publish, "write_sheet", broken)
    con.execute("update household_scores set score = 0.0")
    with pytest.raises(RuntimeError, match="disk full"):
        run(con, settings)
    after = {p.name: p.read_bytes() for p in night(settings).rglob("*") if p.is_file()}
    assert after == before
    hidden = [p.name for p in settings.outreach.iterdir() if p.name.startswith(".")]
    assert hidden == [night(settings).readlink().name]  # only the night's own folder is left


def test_a_new_night_replaces_the_old_one(con, settings):
    run(con, settings)
    con.execute("delete from household_scores where household_key = 'h5'")
    manifest = run(con, settings)
    assert not (night(settings) / "sheets" / f"{UNLISTED}.xlsx").exists()
    assert manifest["unknown_teams"] == []


def test_web_tables_hold_open_assignments_features_and_no_contacts(con, settings):
    run(con, settings)
    folder = night(settings) / "web"
    assignments = pl.read_parquet(folder / "assignments.parquet")
    assert assignments.columns == [
        "household_key",
        "emd_code",
        "assigned_on",
        "team_rank",
        "exploration",
    ]
    assert sorted(assignments["household_key"]) == ["h1", "h2", "h3", "h5"]
    assert set(assignments["assigned_on"]) == {AS_OF}
    households = pl.read_parquet(folder / "households.parquet")
    assert households["household_key"].to_list() == ["h1", "h2", "h3", "h4", "h5"]
    assert {"rank", "tier", "benefit_active"} <= set(households.columns)
    assert not {"reasons", "reasons_ko", "reasons_en"} & set(households.columns)
    outcomes = pl.read_parquet(folder / "outcomes.parquet")
    assert not {"name", "phone", "address"} & set(outcomes.columns)
