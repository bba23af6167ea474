"""`sagak feedback` and `sagak nightly --lang`: bad input exits 2 naming the file or option."""

from typer.testing import CliRunner

from cli.main import app, latest_delivery_date

runner = CliRunner()


def test_feedback_without_the_file_names_it(tmp_path):
    result = runner.invoke(app, ["feedback", str(tmp_path / "gone.xlsx"), "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "gone.xlsx: no such file" in result.output


def test_feedback_before_any_night_says_what_to_do(tmp_path):
    path = tmp_path / "back.csv"
    path.write_text("household_no,emd_code,outcome\n")
    result = runner.invoke(app, ["feedback", str(path), "--home", str(tmp_path)])
    assert result.exit_code == 2 and "sagak nightly" in result.output


def test_feedback_bad_received_date_names_the_option(tmp_path):
    path = tmp_path / "back.csv"
    path.write_text("household_no,emd_code,outcome\n")
    result = runner.invoke(
        app, ["feedback", str(path), "--received", "31/10", "--home", str(tmp_path)]
    )
    assert result.exit_code == 2 and "--received" in result.output


def test_nightly_lang_is_ko_or_en(tmp_path):
    result = runner.invoke(app, ["nightly", "--lang", "fr", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "--lang" in result.output


def test_returned_files_in_the_inbox_are_not_deliveries(tmp_path):
    (tmp_path / "kepco").mkdir()
    (tmp_path / "kepco" / "kepco_20260512.csv").write_text("x")
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "visits_20261130.csv").write_text("x")
    assert str(latest_delivery_date(tmp_path)) == "2026-05-12"
