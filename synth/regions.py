"""The four cities of the synthetic world and their community centres (읍면동): the one source of
`data/teams.yml`.

Codes are 10-digit 행정동 codes: the city's 5-digit 시군구 code, then a 3-digit 읍면동 part
(읍 25x, 면 3x0, 동 5xx) and `00`. Weights spread households unevenly: towns (동) are dense,
rural townships (면) sparse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_CAPACITY = 25
RISK_FLOOR = 16  # the lowest risk tier (1-20) a team's top picks may have (outreach/teams.py)


@dataclass(frozen=True)
class City:
    """A city (시군구)."""

    sigungu_code: str
    name_ko: str
    name_en: str
    province_ko: str
    weight: float  # share of the world's households


@dataclass(frozen=True)
class Team:
    """A community centre (읍면동) and its welfare team."""

    emd_code: str
    sigungu_code: str
    name_ko: str
    name_en: str
    weight: float  # relative density of households within the city


CITIES = (
    City("48170", "진주시", "Jinju", "경상남도", 0.20),
    City("41150", "의정부시", "Uijeongbu", "경기도", 0.25),
    City("45140", "익산시", "Iksan", "전북특별자치도", 0.15),
    City("41190", "부천시", "Bucheon", "경기도", 0.40),
)

# (city code, names in Korean, names in English), 읍 then 면 then 동
_EUP = {
    "48170": ("문산읍", "Munsan-eup"),
    "45140": ("함열읍", "Hamyeol-eup"),
}
_MYEON = {
    "48170": "내동 Naedong|정촌 Jeongchon|금곡 Geumgok|진성 Jinseong|일반성 Ilbanseong|"
    "이반성 Ibanseong|사봉 Sabong|지수 Jisu|대곡 Daegok|금산 Geumsan|집현 Jiphyeon|"
    "미천 Micheon|명석 Myeongseok|대평 Daepyeong|수곡 Sugok",
    "45140": "오산 Osan|황등 Hwangdeung|함라 Hamra|웅포 Ungpo|성당 Seongdang|용안 Yongan|"
    "낭산 Nangsan|망성 Mangseong|여산 Yeosan|금마 Geumma|왕궁 Wanggung|춘포 Chunpo|"
    "삼기 Samgi|용동 Yongdong",
}
_DONG = {
    "48170": "칠암 Chiram|망경 Manggyeong|천전 Cheonjeon|성북 Seongbuk|중앙 Jungang|"
    "상봉 Sangbong|상대1 Sangdae 1|상대2 Sangdae 2|하대1 Hadae 1|하대2 Hadae 2|상평 Sangpyeong|"
    "초장 Chojang|평거 Pyeonggeo|신안 Sinan|이현 Ihyeon|판문 Panmun|가호 Gaho|"
    "충무공 Chungmugong|옥봉 Okbong|봉곡 Bonggok|주약 Juyak",
    "41150": "의정부1 Uijeongbu 1|의정부2 Uijeongbu 2|호원1 Howon 1|호원2 Howon 2|장암 Jangam|"
    "신곡1 Singok 1|신곡2 Singok 2|송산1 Songsan 1|송산2 Songsan 2|송산3 Songsan 3|"
    "자금 Jageum|가능 Ganeung|흥선 Heungseon|녹양 Nogyang",
    "45140": "중앙 Jungang|평화 Pyeonghwa|인화 Inhwa|동산 Dongsan|마 Ma|남중 Namjung|"
    "모현 Mohyeon|송학 Songhak|삼성 Samseong|영등1 Yeongdeung 1|영등2 Yeongdeung 2|"
    "어양 Eoyang|팔봉 Palbong|신 Sin",
    "41190": "심곡1 Simgok 1|심곡2 Simgok 2|심곡3 Simgok 3|원미1 Wonmi 1|원미2 Wonmi 2|소사 Sosa|"
    "역곡1 Yeokgok 1|역곡2 Yeokgok 2|역곡3 Yeokgok 3|춘의 Chunui|도당 Dodang|약대 Yakdae|"
    "중1 Jung 1|중2 Jung 2|중3 Jung 3|중4 Jung 4|상 Sang|상1 Sang 1|상2 Sang 2|상3 Sang 3|"
    "심곡본 Simgokbon|심곡본1 Simgokbon 1|소사본 Sosabon|소사본3 Sosabon 3|범안 Beoman|"
    "송내1 Songnae 1|송내2 Songnae 2|성곡 Seonggok|원종1 Wonjong 1|원종2 Wonjong 2|"
    "고강본 Gogangbon|고강1 Gogang 1|오정 Ojeong|신흥 Sinheung|괴안 Goean|옥길 Okgil",
}
_KIND_WEIGHT = {"eup": 2.0, "myeon": 0.35, "dong": 3.0}


def _split(entry: str) -> tuple[str, str]:
    """'상대1 Sangdae 1' -> ('상대1', 'Sangdae 1')."""
    ko, en = entry.split(" ", 1)
    return ko, en


def _city_teams(city: City, rng: np.random.Generator) -> list[Team]:
    """The community centres of one city, with codes and household weights."""
    code = city.sigungu_code
    rows: list[tuple[str, str, str, str]] = []
    if code in _EUP:
        rows.append(("250", *_EUP[code], "eup"))
    for i, entry in enumerate(_MYEON.get(code, "").split("|") if code in _MYEON else []):
        ko, en = _split(entry)
        rows.append((f"{310 + 10 * i}", f"{ko}면", f"{en}-myeon", "myeon"))
    for i, entry in enumerate(_DONG[code].split("|")):
        ko, en = _split(entry)
        rows.append((f"{510 + 5 * i}", f"{ko}동", f"{en}-dong", "dong"))
    noise = rng.lognormal(0.0, 0.45, len(rows))
    return [
        Team(f"{code}{part}00", code, ko, en, round(float(_KIND_WEIGHT[kind] * w), 4))
        for (part, ko, en, kind), w in zip(rows, noise, strict=True)
    ]


def teams() -> tuple[Team, ...]:
    """Every community centre of the world, city by city (fixed, independent of any seed)."""
    rng = np.random.default_rng(20260101)
    return tuple(team for city in CITIES for team in _city_teams(city, rng))


def city_of(sigungu_code: str) -> City:
    """The city with this 시군구 code."""
    return next(c for c in CITIES if c.sigungu_code == sigungu_code)


def teams_config() -> dict:
    """The content of teams.yml (ARCHITECTURE.md, "Teams")."""
    return {
        "default_capacity": DEFAULT_CAPACITY,
        "risk_floor": RISK_FLOOR,
        "cities": [
            {"sigungu_code": c.sigungu_code, "name_ko": c.name_ko, "name_en": c.name_en}
            for c in CITIES
        ],
        "teams": [
            {
                "emd_code": t.emd_code,
                "sigungu_code": t.sigungu_code,
                "name_ko": t.name_ko,
                "name_en": t.name_en,
            }
            for t in teams()
        ],
    }


def teams_yaml() -> str:
    """teams.yml as text, one flow mapping a line."""
    config = teams_config()
    lines = [
        "# Generated by `python -m synth.regions` from synth/regions.py: edit there, not here.",
        f"default_capacity: {config['default_capacity']}  # households a team can visit per cycle",
        f"risk_floor: {config['risk_floor']}  # lowest risk tier (1-20) of a team's top picks; a "
        "city or team entry may set its own",
        "cities:",
    ]
    lines += [f"  - {_flow(c)}" for c in config["cities"]]
    lines.append("teams:")
    lines += [f"  - {_flow(t)}" for t in config["teams"]]
    return "\n".join(lines) + "\n"


def _flow(mapping: dict) -> str:
    """A one-line YAML flow mapping, values as JSON scalars (valid YAML)."""
    inner = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in mapping.items())
    return "{" + inner + "}"


def write_teams(path: Path) -> Path:
    """Write teams.yml to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(teams_yaml(), encoding="utf-8")
    return path


if __name__ == "__main__":
    from sagak.settings import DEFAULT_HOME

    write_teams(DEFAULT_HOME / "teams.yml")
