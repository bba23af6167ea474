"""The welfare teams, what each can visit per cycle and the lowest risk tier it may fill its
visits with (`risk_floor`), from `teams.yml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_EXPLORATION = 0.05
DEFAULT_RISK_FLOOR = 16
TIERS = 20  # tiers are the ventiles of predicted risk, 1 (lowest) to 20


class TeamsFileError(ValueError):
    """teams.yml is missing, unreadable or has a bad key; the message names the file and key."""


@dataclass(frozen=True)
class City:
    """A city/county (시군구)."""

    sigungu_code: str
    name_ko: str
    name_en: str
    risk_floor: int | None = None  # None: the file's default


@dataclass(frozen=True)
class Team:
    """A community centre's welfare team (읍면동), keyed by emd_code."""

    emd_code: str
    sigungu_code: str | None
    name_ko: str
    name_en: str
    capacity: int
    known: bool = True
    risk_floor: int = DEFAULT_RISK_FLOOR  # the lowest tier a top pick may have


@dataclass(frozen=True)
class Teams:
    """Everything in teams.yml: the default capacity, the cities and the teams in file order."""

    default_capacity: int
    cities: tuple[City, ...]
    teams: tuple[Team, ...]
    exploration_share: float = DEFAULT_EXPLORATION
    path: Path | None = None
    risk_floor: int = DEFAULT_RISK_FLOOR

    def by_code(self) -> dict[str, Team]:
        """Teams keyed by emd_code."""
        return {team.emd_code: team for team in self.teams}

    def city_floor(self, sigungu_code: str | None) -> int:
        """The risk floor of a city: its own, else the file's default."""
        floors = {city.sigungu_code: city.risk_floor for city in self.cities}
        return floors.get(sigungu_code) or self.risk_floor


def load_teams(path: Path) -> Teams:
    """Read and check teams.yml; raise TeamsFileError naming the file and key on a bad file."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TeamsFileError(f"{path}: cannot read teams file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise TeamsFileError(f"{path}: cannot read teams file: {yaml_problem(exc)}") from exc
    if not isinstance(doc, dict):
        raise TeamsFileError(f"{path}: expected a mapping with keys default_capacity, teams")
    default = _capacity(path, "default_capacity", doc.get("default_capacity"))
    floor = _risk_floor(path, "risk_floor", doc.get("risk_floor", DEFAULT_RISK_FLOOR))
    cities = tuple(_city(path, i, raw) for i, raw in enumerate(_list(path, doc, "cities")))
    floors = {city.sigungu_code: city.risk_floor or floor for city in cities}
    teams = tuple(
        _team(path, i, raw, default, floors, floor)
        for i, raw in enumerate(_list(path, doc, "teams"))
    )
    _no_duplicates(path, teams)
    share = _share(path, doc.get("exploration_share", DEFAULT_EXPLORATION))
    return Teams(default, cities, teams, share, Path(path), floor)


def team_capacities(path: Path) -> dict[str, int]:
    """Each team's visits per cycle in teams.yml (emd_code -> households)."""
    return {team.emd_code: team.capacity for team in load_teams(path).teams}


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error on one line, with where it is: 'line 3, column 4: expected … (while …)'."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return " ".join(str(exc).split())
    context = f" ({exc.context})" if getattr(exc, "context", None) else ""
    return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}{context}"


def unknown_team(
    emd_code: str,
    sigungu_code: str | None,
    default_capacity: int,
    risk_floor: int = DEFAULT_RISK_FLOOR,
) -> Team:
    """A team seen in the scores but not in teams.yml: named by its code, default capacity, its
    city's risk floor."""
    return Team(emd_code, sigungu_code, emd_code, emd_code, default_capacity, False, risk_floor)


def teams_for(config: Teams, seen: Mapping[str, str | None]) -> list[Team]:
    """Teams of the codes in `seen` (emd_code → sigungu_code): teams.yml order, then unknown.
    TeamsFileError when a teams.yml code looks like a mistyped one of `seen` (check_codes)."""
    check_codes(config, seen)
    known = [team for team in config.teams if team.emd_code in seen]
    missing = sorted(set(seen) - {team.emd_code for team in known})
    unknown = [
        unknown_team(code, seen[code], config.default_capacity, config.city_floor(seen[code]))
        for code in missing
    ]
    return known + unknown


def check_codes(config: Teams, seen: Mapping[str, str | None]) -> None:
    """A teams.yml code that no household has, one keystroke away from a code that households
    have and teams.yml lacks, is a typo (the real team would be listed nameless): raise
    TeamsFileError naming the file, the team and the code expected."""
    listed = {team.emd_code for team in config.teams}
    teamless = sorted(set(seen) - listed)
    for index, team in enumerate(config.teams):
        near = [
            code for code in teamless if team.emd_code not in seen and one_edit(team.emd_code, code)
        ]
        if near:
            raise TeamsFileError(
                f"{config.path or 'teams.yml'}: 'teams[{index}].emd_code' of {team.name_ko} is "
                f"{team.emd_code}, which no household has; expected {' or '.join(near)} (its "
                f"households have no team in the file) — a mistyped code?"
            )


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one character changed, dropped, added, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    swapped = len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
    return len(differ) == 1 or (swapped and a[differ[1]] == b[differ[0]])


def _list(path: Path, doc: dict, key: str) -> list:
    """doc[key] as a list (absent → empty); anything else is an error naming the key."""
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise TeamsFileError(f"{path}: '{key}' must be a list, got {type(value).__name__}")
    return value


def _capacity(path: Path, key: str, value: object) -> int:
    """A capacity: a positive whole number of households."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TeamsFileError(f"{path}: '{key}' must be a positive integer, got {value!r}")
    return value


def _risk_floor(path: Path, key: str, value: object, entry: str = "") -> int:
    """A risk floor: a whole number of the tiers, 1 to 20; `entry` names the city or team."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= TIERS:
        raise TeamsFileError(
            f"{path}: '{key}'{entry} must be a whole number from 1 to {TIERS} (the lowest "
            f"risk tier a team's top picks may have), got {value!r}"
        )
    return value


def _share(path: Path, value: object) -> float:
    """The exploration share: a fraction in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise TeamsFileError(
            f"{path}: 'exploration_share' must be a number in [0, 1), got {value!r}"
        )
    return float(value)


def _text(path: Path, key: str, raw: dict, field: str, required: bool = True) -> str | None:
    """raw[field] as a string (codes may be written unquoted in YAML)."""
    value = raw.get(field)
    if value is None or value == "":
        if required:
            raise TeamsFileError(f"{path}: '{key}.{field}' is missing")
        return None
    if not isinstance(value, str | int):
        raise TeamsFileError(f"{path}: '{key}.{field}' must be text, got {value!r}")
    return str(value)


def _city(path: Path, index: int, raw: object) -> City:
    """One entry of `cities`."""
    key = f"cities[{index}]"
    if not isinstance(raw, dict):
        raise TeamsFileError(f"{path}: '{key}' must be a mapping, got {raw!r}")
    code = _text(path, key, raw, "sigungu_code")
    name_ko = _text(path, key, raw, "name_ko", required=False) or code
    name_en = _text(path, key, raw, "name_en", required=False) or name_ko
    floor = raw.get("risk_floor")
    if floor is not None:
        floor = _risk_floor(path, f"{key}.risk_floor", floor, f" of {name_ko} ({code})")
    return City(code, name_ko, name_en, floor)


def _team(
    path: Path, index: int, raw: object, default: int, floors: dict[str, int], floor: int
) -> Team:
    """One entry of `teams`; capacity falls back to default_capacity, risk_floor to the city's,
    then to the file's."""
    key = f"teams[{index}]"
    if not isinstance(raw, dict):
        raise TeamsFileError(f"{path}: '{key}' must be a mapping, got {raw!r}")
    code = _text(path, key, raw, "emd_code")
    name_ko = _text(path, key, raw, "name_ko", required=False) or code
    capacity = raw.get("capacity", default)
    city = _text(path, key, raw, "sigungu_code", required=False)
    own = raw.get("risk_floor")
    return Team(
        emd_code=code,
        sigungu_code=city,
        name_ko=name_ko,
        name_en=_text(path, key, raw, "name_en", required=False) or name_ko,
        capacity=_capacity(path, f"{key}.capacity", capacity),
        risk_floor=floors.get(city, floor)
        if own is None
        else _risk_floor(path, f"{key}.risk_floor", own, f" of {name_ko} ({code})"),
    )


def _no_duplicates(path: Path, teams: tuple[Team, ...]) -> None:
    """Each emd_code at most once."""
    seen: set[str] = set()
    for index, team in enumerate(teams):
        if team.emd_code in seen:
            raise TeamsFileError(f"{path}: 'teams[{index}].emd_code' {team.emd_code} is repeated")
        seen.add(team.emd_code)
