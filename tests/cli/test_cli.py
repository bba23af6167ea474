from typer.testing import CliRunner

from cli.main import app, latest_delivery_date

runner = CliRunner()


def test_bad_as_of_names_the_option(tmp_path):
    result = runner.invoke(app, ["nightly", "--as-of", "2026-13-01", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "--as-of" in result.output and "YYYY-MM-DD" in result.output


def test_latest_with_empty_inbox_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["nightly", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "sagak synth" in result.output


def test_bad_end_month_names_the_option(tmp_path):
    result = runner.invoke(app, ["synth", "--end", "2026-13", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--end" in result.output


def test_latest_delivery_date_reads_file_names_only(tmp_path):
    (tmp_path / "kepco").mkdir()
    (tmp_path / "kepco" / "kepco_20260512.csv").write_text("x")
    (tmp_path / "kepco" / "kepco_20260610_v2.csv").write_text("x")
    (tmp_path / "kepco" / "notes_20991231.txt.tmp").write_text("x")
    assert str(latest_delivery_date(tmp_path)) == "2026-06-10"
    assert latest_delivery_date(tmp_path / "nothing") is None
