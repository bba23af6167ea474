"""The HTML kit: tables with escaped, rounded cells; a page with its title and sections."""

from __future__ import annotations

import polars as pl

from report.html import cell, page, table


def test_a_table_escapes_rounds_and_joins():
    frame = pl.DataFrame(
        {"team": ["<b>북구</b>", "남구", "동구"], "share": [0.12345, None, 1.0]},
    )
    assert table(frame) == (
        "<table><tr><th>team</th><th>share</th></tr>"
        "<tr><td>&lt;b&gt;북구&lt;/b&gt;</td><td>0.123</td></tr>"
        "<tr><td>남구</td><td></td></tr>"
        "<tr><td>동구</td><td>1.000</td></tr></table>"
    )


def test_records_and_frames_make_the_same_table():
    records = [{"feed": "kepco", "files": 2}, {"feed": "water", "files": 0}]
    assert table(records) == table(pl.DataFrame(records))


def test_an_empty_table_says_none():
    assert table([]) == "<p class='note'>(없음 / none)</p>"
    assert table(pl.DataFrame({"feed": []})) == "<p class='note'>(없음 / none)</p>"


def test_cells_of_lists_and_blanks():
    assert cell(["food", "rent"]) == "food; rent"
    assert cell(None) == "" and cell(3) == "3"


def test_a_page_has_its_title_twice_and_its_sections_in_order():
    html = page("sagak <night>", ["<h2>a</h2>", "<h2>b</h2>"])
    assert html.startswith("<!doctype html><html lang='ko'>")
    assert html.count("sagak &lt;night&gt;") == 2
    assert html.index("<h2>a</h2>") < html.index("<h2>b</h2>") and html.endswith("</html>")
