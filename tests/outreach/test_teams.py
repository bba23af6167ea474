import pytest

from outreach.teams import TeamsFileError, load_teams, teams_for
from tests.outreach.conftest import TEAMS_YML


def write(tmp_path, text):
    path = tmp_path / "teams.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_cities_teams_and_default_capacity(tmp_path):
    teams = load_teams(write(tmp_path, TEAMS_YML))
    assert teams.default_capacity == 2
    assert teams.cities[0].name_en == "Jinju"
    assert [t.emd_code for t in teams.teams] == ["4817051000", "4817052000", "4817053000"]
    assert teams.teams[0].name_ko == "문산읍"
    assert {t.capacity for t in teams.teams} == {2}


def test_capacity_override(tmp_path):
    text = TEAMS_YML.replace("name_en: Jiphyeon-myeon}", "name_en: Jiphyeon-myeon, capacity: 40}")
    by_code = load_teams(write(tmp_path, text)).by_code()
    assert by_code["4817052000"].capacity == 40
    assert by_code["4817051000"].capacity == 2


def test_codes_written_unquoted_become_text(tmp_path):
    teams = load_teams(write(tmp_path, "default_capacity: 5\nteams:\n  - {emd_code: 4817051000}\n"))
    assert teams.teams[0].emd_code == "4817051000"
    assert teams.teams[0].name_ko == "4817051000"


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(TeamsFileError, match=r"nowhere\.yml"):
        load_teams(tmp_path / "nowhere.yml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("teams: []\n", "default_capacity"),
        ("default_capacity: zero\n", "default_capacity"),
        ("default_capacity: 5\nteams: {emd_code: 1}\n", "teams"),
        ("default_capacity: 5\nteams:\n  - {name_ko: 문산읍}\n", r"teams\[0\]\.emd_code"),
        (
            "default_capacity: 5\nteams:\n  - {emd_code: '1'}\n  - {emd_code: '2', capacity: -1}\n",
            r"teams\[1\]\.capacity",
        ),
        (
            "default_capacity: 5\nteams:\n  - {emd_code: '1'}\n  - {emd_code: '1'}\n",
            r"teams\[1\]\.emd_code",
        ),
        ("default_capacity: 5\ncities:\n  - {name_ko: 진주시}\n", r"cities\[0\]\.sigungu_code"),
        ("default_capacity: [5\n", "cannot read"),
    ],
)
def test_bad_file_names_the_file_and_key(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(TeamsFileError, match=key) as error:
        load_teams(path)
    assert str(path) in str(error.value)


def test_unknown_team_gets_its_code_and_default_capacity_after_known_ones(tmp_path):
    config = load_teams(write(tmp_path, TEAMS_YML))
    seen = {"4817099000": "48170", "4817052000": "48170", "4817051000": "48170"}
    teams = teams_for(config, seen)
    assert [t.emd_code for t in teams] == ["4817051000", "4817052000", "4817099000"]
    unknown = teams[-1]
    assert (unknown.name_ko, unknown.capacity, unknown.known) == ("4817099000", 2, False)
    assert unknown.sigungu_code == "48170"
    assert all(t.known for t in teams[:-1])


def test_teams_without_households_are_left_out(tmp_path):
    teams = teams_for(load_teams(write(tmp_path, TEAMS_YML)), {"4817052000": "48170"})
    assert [t.emd_code for t in teams] == ["4817052000"]


def test_exploration_share_defaults_to_five_percent_and_can_be_set(tmp_path):
    assert load_teams(write(tmp_path, TEAMS_YML)).exploration_share == 0.05
    assert (
        load_teams(write(tmp_path, TEAMS_YML + "exploration_share: 0.1\n")).exploration_share == 0.1
    )


@pytest.mark.parametrize("value", ["1.5", "-0.1", "lots", "true"])
def test_a_bad_exploration_share_names_the_key(tmp_path, value):
    with pytest.raises(TeamsFileError, match="'exploration_share' must be a number in"):
        load_teams(write(tmp_path, TEAMS_YML + f"exploration_share: {value}\n"))
