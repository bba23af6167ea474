"""The synthetic world: formats of every feed, determinism, mess, teams, realism."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
import yaml

from sagak.settings import DEFAULT_HOME, FEEDS
from synth.names import check_digit
from synth.regions import teams_config
from synth.world import generate

ARGS = {"households": 300, "months": 4, "end": "2026-10", "seed": 7}
RRN = r"^\d{6}-\d{7}$"
KEPCO_HEADER = "주민번호,기준년월,체납개월수,체납금액,단전여부,전류제한여부,사용량kWh"


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """A tiny perfectly clean world."""
    out = tmp_path_factory.mktemp("clean")
    generate(out, mess=0.0, **ARGS)
    return out


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> tuple[Path, dict]:
    """A tiny very messy world and its summary."""
    out = tmp_path_factory.mktemp("messy")
    summary = generate(out, households=600, months=6, end="2026-10", seed=3, mess=0.2)
    return out, summary


def files(world: Path, feed: str) -> list[Path]:
    return sorted((world / "inbox" / feed).glob("*"))


def csv(path: Path, encoding: str = "utf-8") -> pl.DataFrame:
    return pl.read_csv(
        path.read_bytes().decode(encoding).lstrip("\ufeff").encode(), infer_schema=False
    )


def test_every_feed_delivered_with_its_name(clean):
    for feed in FEEDS:
        found = files(clean, feed)
        assert found, feed
        assert all(p.name.startswith(f"{feed}_2026") for p in found)


def test_nothing_dated_after_the_end(clean):
    days = [p.stem.split("_")[1] for p in (clean / "inbox").glob("*/*")]
    assert max(days) <= "20261031" and min(days) >= "20260701"


def test_kepco_is_cp949_with_korean_header_and_thousands(clean):
    raw = files(clean, "kepco")[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp949")
    assert text.splitlines()[0] == KEPCO_HEADER
    frame = csv(files(clean, "kepco")[0], "cp949")
    amounts = frame["체납금액"].filter(frame["체납금액"].str.len_chars() > 3)
    assert amounts.str.contains(",").all()


def test_kepco_lists_every_head_every_month(clean):
    heads = csv(files(clean, "registry")[0]).filter(pl.col("relation") == "head").height
    assert csv(files(clean, "kepco")[0], "cp949").height == pytest.approx(heads, rel=0.02)


def test_water_starts_with_bom_others_do_not(clean):
    assert files(clean, "water")[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert not files(clean, "gas")[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert csv(files(clean, "gas")[0]).columns[-1] == "usage_m3"


def test_parquet_schemas_are_exact(clean):
    nhis = pq.read_schema(files(clean, "nhis")[0])
    assert [(f.name, str(f.type)) for f in nhis] == [
        ("rrn", "string"), ("ym", "string"), ("premium_arrears_months", "int16"),
        ("premium_arrears_amount", "int64"), ("catastrophic_medical", "bool"),
        ("medical_oop_amount", "int64"),
    ]  # fmt: skip
    nps = pq.read_schema(files(clean, "nps")[0])
    assert [str(f.type) for f in nps] == ["string", "string", "int16", "bool"]


def test_jsonl_feeds_have_the_documented_keys(clean):
    line = json.loads(files(clean, "housing")[0].read_text().splitlines()[0])
    assert list(line) == ["household_no", "ym", "kind", "arrears_months", "arrears_amount"]
    assert isinstance(line["arrears_months"], int)
    event = json.loads(files(clean, "employment")[0].read_text().splitlines()[0])
    assert list(event) == ["rrn", "event_date", "event", "industry"]


def test_rrn_check_digits_are_all_wrong(clean):
    rrn = csv(files(clean, "registry")[-1])["rrn"]
    assert rrn.str.contains(RRN).all()
    digits = rrn.str.replace("-", "").cast(pl.Int64).to_numpy()
    assert (check_digit(digits // 10) != digits % 10).all()
    assert rrn.n_unique() == len(rrn)


def test_registry_ids_and_one_head_per_household(clean):
    for path in files(clean, "registry"):
        reg = csv(path)
        assert reg["household_no"].str.contains(r"^\d{11}$").all()
        assert reg["emd_code"].str.contains(r"^\d{10}$").all()
        heads = reg.group_by("household_no").agg((pl.col("relation") == "head").sum().alias("n"))
        assert (heads["n"] == 1).all(), path
        assert set(reg["relation"]) <= {"head", "spouse", "child", "parent", "sibling", "other"}
        assert set(reg["deceased"]) <= {"Y", "N"} and set(reg["sex"]) <= {"M", "F"}


def test_clean_world_has_no_malformed_rows(clean):
    assert json.loads((clean / "truth" / "mess.json").read_text())["row_totals"] == {}
    for feed in ("water", "gas", "telecom", "credit"):
        for path in files(clean, feed):
            frame = csv(path, "utf-8")
            assert (
                frame["rrn"].str.contains(RRN).all()
                and frame["ym"].str.contains(r"^20\d{2}(0[1-9]|1[0-2])$").all()
            )
            numbers = frame.select(pl.exclude("rrn", "ym", "cutoff", "debt_relief_dropped"))
            for col in numbers.columns:  # blanks and '-' are the documented missing values
                values = numbers[col].fill_null("-").filter(numbers[col].fill_null("-") != "-")
                assert values.cast(pl.Float64, strict=False).is_not_null().all(), (path, col)
                assert (values.cast(pl.Float64) >= 0).all()
    credit = pl.concat([csv(p) for p in files(clean, "credit")])
    amounts = credit["delinquent_amount"].cast(pl.Int64)
    assert credit.height and amounts.is_between(1_000_000, 20_000_000).all()
    referrals = pl.concat([csv(p) for p in files(clean, "referrals")])
    assert not referrals["concern"].str.contains(r"^[=+\-@]").any()


def test_messy_world_records_what_it_injected(messy):
    world, _ = messy
    log = json.loads((world / "truth" / "mess.json").read_text())
    assert {"bad_ym", "malformed_rrn", "duplicate_row", "negative_amount"} <= set(log["row_totals"])
    truncated = {e["file"] for e in log["files"] if e["kind"] == "truncated"}
    checked = 0
    for path_name, kinds in log["rows"].items():
        if (
            path_name.split("/")[0] in ("telecom", "credit")
            and "bad_ym" in kinds
            and path_name not in truncated
        ):
            frame = csv(world / "inbox" / path_name)
            # every recorded bad month is in the file (a duplicated bad row may add one)
            assert frame.filter(pl.col("ym").str.ends_with("13")).height >= kinds["bad_ym"]
            checked += 1
    assert checked
    kinds = {e["kind"] for e in log["files"]}
    assert {"wrong_encoding", "corrected_v2", "duplicate_file"} <= kinds


def test_messy_files_are_what_the_log_says(messy):
    world, _ = messy
    log = json.loads((world / "truth" / "mess.json").read_text())
    for event in log["files"]:
        if event["kind"] == "duplicate_file":
            same = [(world / "inbox" / event[k]).read_bytes() for k in ("file", "same_as")]
            assert same[0] == same[1]
        if event["kind"] == "corrected_v2":
            assert (world / "inbox" / event["file"]).exists() and (
                world / "inbox" / event["replaces"]
            ).exists()
        if (
            event["kind"] == "wrong_encoding"
            and event["encoding"] == "cp949"
            and event["file"].startswith("registry")
        ):
            with pytest.raises(UnicodeDecodeError):
                (world / "inbox" / event["file"]).read_bytes().decode("utf-8")


def test_same_seed_same_bytes(tmp_path):
    def digest(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    generate(tmp_path / "a", households=200, months=3, end="2026-10", seed=11, mess=0.05)
    generate(tmp_path / "b", households=200, months=3, end="2026-10", seed=11, mess=0.05)
    generate(tmp_path / "c", households=200, months=3, end="2026-10", seed=12, mess=0.05)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_refuses_to_overwrite_a_world(clean):
    with pytest.raises(FileExistsError, match="not empty"):
        generate(clean, mess=0.0, **ARGS)


def test_teams_yml_agrees_with_regions():
    tracked = yaml.safe_load((DEFAULT_HOME / "teams.yml").read_text(encoding="utf-8"))
    assert tracked == teams_config()
    counts = {
        c["name_en"]: sum(t["sigungu_code"] == c["sigungu_code"] for t in tracked["teams"])
        for c in tracked["cities"]
    }
    assert counts == {"Jinju": 37, "Uijeongbu": 14, "Iksan": 29, "Bucheon": 36}
    assert tracked["default_capacity"] == 25


def test_visits_follow_the_feedback_layout(messy):
    world, summary = messy
    visits = pl.concat([csv(p) for p in sorted((world / "feedback").glob("visits_*.csv"))])
    assert visits.columns == ["household_no", "emd_code", "round_start", "assigned_date", "visit_date",
                              "outcome", "services", "selected_by", "exploration"]  # fmt: skip
    assert set(visits["exploration"]) <= {"Y", "N"}
    assert (visits.filter(pl.col("selected_by") == "random")["exploration"] == "Y").all()
    assert summary["legacy_visits"] == visits.height


def test_legacy_hit_rate_is_realistic(tmp_path):
    from synth.realism import figures

    generate(tmp_path, households=4000, months=10, end="2026-10", seed=5, mess=0.0)
    found = figures(tmp_path)
    assert 0.15 <= found["legacy_hit_rate"] <= 0.35
    assert 0.65 <= found["model_roc_auc"] <= 0.9
    assert np.isfinite(found["crisis_prevalence"])
