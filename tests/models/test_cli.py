"""`sagak models`, `sagak models promote`, `sagak audit`, `sagak train`: output and bad flags."""

import json

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_models_lists_the_champion_starred(trained):
    settings, _, meta = trained
    result = runner.invoke(app, ["models", "--home", str(settings.home)])
    assert result.exit_code == 0, result.output
    assert f"* {meta['model_id']}" in result.output
    listed = json.loads(
        runner.invoke(app, ["models", "--json", "--home", str(settings.home)]).output
    )
    assert [m["champion"] for m in listed if m["model_id"] == meta["model_id"]] == [True]
    expected = meta["metrics"]["champion_calibrated"]["list"]["expected"]
    assert [m["expected_precision_of_picks"] for m in listed] == [expected]
    assert f"expected precision of picks {expected:.3f}; from the visits" in result.output


def test_promoting_an_unknown_model_exits_2_naming_it(trained):
    settings, _, _ = trained
    result = runner.invoke(app, ["models", "promote", "nope", "--home", str(settings.home)])
    assert result.exit_code == 2 and "nope" in result.output


def test_audit_prints_the_champions_fairness_table(trained):
    settings, _, meta = trained
    result = runner.invoke(app, ["audit", "--json", "--home", str(settings.home)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["attribute_name"] for r in rows} >= {"city", "head_sex", "disability"}
    bad = runner.invoke(app, ["audit", "--model", "nope", "--home", str(settings.home)])
    assert bad.exit_code == 2 and "--model" in bad.output


def test_train_with_a_bad_date_or_no_warehouse_exits_2(tmp_path):
    result = runner.invoke(app, ["train", "--as-of", "2026-13-01", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "--as-of" in result.output
    result = runner.invoke(app, ["train", "--as-of", "2026-10-30", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "sagak nightly" in result.output
    result = runner.invoke(app, ["audit", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "sagak train" in result.output
