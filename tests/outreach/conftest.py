"""A tiny warehouse for outreach tests: five scored households in three teams, three snapshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.history import rebuild_history
from sagak.settings import Settings

AS_OF = date(2024, 5, 31)
MUNSAN, JIPHYEON, UNLISTED = "4817051000", "4817052000", "4817099000"

SCORES = """
create table household_scores (household_key varchar, emd_code varchar, sigungu_code varchar,
    score double, rank integer, team_rank integer, reasons varchar[], reasons_ko varchar[],
    reasons_en varchar[], members integer, head_age integer, living_alone boolean, tier tinyint);
insert into household_scores values
    ('h1', '4817051000', '48170', 0.9, 1, 1, ['utility_cutoff_6m'], ['최근 6개월 내 단전'], ['cut off'], 1, 78, true, 20),
    ('h2', '4817052000', '48170', 0.8, 2, 1, ['referrals_90d'], ['최근 의뢰 1건'], ['1 referral'], 3, 40, false, 16),
    ('h3', '4817051000', '48170', 0.5, 3, 2, ['nhis_arrears_months'], ['=1+2 개월 체납'], ['arrears'], 2, 55, false, 12),
    ('h4', '4817051000', '48170', 0.3, 4, 3, [], [], [], 2, 61, false, 8),
    ('h5', '4817099000', '48170', 0.1, 5, 1, [], [], [], 1, 33, true, 4)
"""

REGISTRY = """
create table stg_registry (person_key varchar, household_key varchar, relation varchar,
    birth_date date, sex varchar, disabled boolean, emd_code varchar, moved_in date,
    deceased boolean, delivery_date date)
"""

CONTACTS = """
attach ':memory:' as sagak_contacts;
create table sagak_contacts.contacts (person_key varchar, household_key varchar, name varchar, phone varchar,
    address varchar, file_id varchar, delivery_date date)
"""

FEATURES = """
create table household_features (household_key varchar, emd_code varchar, sigungu_code varchar,
    as_of date, benefit_active integer);
insert into household_features
    select household_key, emd_code, sigungu_code, date '2024-05-31', 0 from household_scores
"""

# h3: an older concern and a formula-looking newer one; h1: one delivered after AS_OF (unseen)
REFERRALS = """
create table stg_referrals (household_key varchar, referral_date date, source varchar,
    concern varchar, delivery_date date);
insert into stg_referrals values
    ('h3', date '2024-05-01', 'neighbour', '연락 두절', date '2024-05-02'),
    ('h3', date '2024-05-20', 'postal', '=HYPERLINK("http://x")', date '2024-05-21'),
    ('h1', date '2024-05-30', 'police', '늦게 온 제보', date '2024-06-03')
"""

DELIVERIES = """
create table ingest_ledger (file_id varchar, feed varchar, delivery_date date, version integer,
    status varchar)
"""

# one registry file per month; April is older, June is after AS_OF
SNAPSHOTS = {"f-apr": date(2024, 4, 30), "f-may": date(2024, 5, 31), "f-jun": date(2024, 6, 30)}
TEAM_OF = {"h1": MUNSAN, "h2": JIPHYEON, "h3": MUNSAN, "h4": MUNSAN, "h5": UNLISTED}
SPECIAL = {"h3": ("=1+2", "@SUM(A1) 진주시", "+82-10-0000-0003")}

# risk_floor 1: any tier may be a top pick here (test_risk_floor.py tests the floor)
TEAMS_YML = """\
default_capacity: 2
risk_floor: 1
cities:
  - {sigungu_code: "48170", name_ko: 진주시, name_en: Jinju}
teams:
  - {emd_code: "4817051000", sigungu_code: "48170", name_ko: 문산읍, name_en: Munsan-eup}
  - {emd_code: "4817052000", sigungu_code: "48170", name_ko: 집현면, name_en: Jiphyeon-myeon}
  - {emd_code: "4817053000", sigungu_code: "48170", name_ko: 명석면, name_en: Myeongseok-myeon}
"""


def contact_of(household: str, file_id: str) -> tuple[str, str, str]:
    """The head's name, address, phone in one snapshot: e.g. 'h1 f-may' name is '가구h1-f-may'."""
    if household in SPECIAL and file_id == "f-may":
        return SPECIAL[household]
    return (f"가구{household}-{file_id}", f"진주시 {household}로 {file_id}", f"010-{household}")


def add_snapshot(con: duckdb.DuckDBPyConnection, file_id: str, delivered: date, version=1):
    """One registry delivery: a head and a child per household, the head's contacts, a ledger row."""
    for household, emd_code in TEAM_OF.items():
        for person, relation, born in (
            (f"{household}-head", "head", date(1960, 1, 1)),
            (f"{household}-kid", "child", date(2010, 1, 1)),
        ):
            con.execute(
                "insert into stg_registry values (?, ?, ?, ?, 'F', false, ?, null, false, ?)",
                [person, household, relation, born, emd_code, delivered],
            )
        name, address, phone = contact_of(household, file_id)
        con.execute(
            "insert into sagak_contacts.contacts values (?, ?, ?, ?, ?, ?, ?)",
            [f"{household}-head", household, name, phone, address, file_id, delivered],
        )
        con.execute(
            "insert into sagak_contacts.contacts values (?, ?, ?, ?, ?, ?, ?)",
            [
                f"{household}-kid",
                household,
                f"자녀{household}",
                "010-9999",
                address,
                file_id,
                delivered,
            ],
        )
    con.execute(
        "insert into ingest_ledger values (?, 'registry', ?, ?, 'loaded')",
        [file_id, delivered, version],
    )
    rebuild_history(con, "registry")  # as ingest keeps it


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """In-memory warehouse with scores, three registry snapshots and their contacts."""
    con = duckdb.connect()
    for ddl in (SCORES, REGISTRY, CONTACTS, DELIVERIES, FEATURES, REFERRALS):
        con.execute(ddl)
    for file_id, delivered in SNAPSHOTS.items():
        add_snapshot(con, file_id, delivered)
    yield con
    con.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A SAGAK_HOME with its own teams.yml (default capacity 2)."""
    (tmp_path / "teams.yml").write_text(TEAMS_YML, encoding="utf-8")
    return Settings(home=tmp_path)
