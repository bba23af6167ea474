"""A self-contained HTML page and its tables: values escaped, numbers rounded, lists joined."""

from __future__ import annotations

from html import escape

import polars as pl

CSS = """
body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;display:block;overflow-x:auto;max-width:100%}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#e8eef8}td:first-child,th:first-child{text-align:left}
h2{border-bottom:2px solid #446;padding-bottom:3px;margin-top:1.8em}.note{color:#666}
img{max-width:100%}td:first-child{white-space:nowrap}
"""


def page(title: str, sections: list[str]) -> str:
    """A Korean page titled `title` with the sections' HTML one after another, styles inline."""
    return (
        f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{''.join(sections)}</body></html>"
    )


def table(frame: pl.DataFrame | list[dict]) -> str:
    """An HTML table of a frame or a list of records (values escaped)."""
    records = frame.to_dicts() if isinstance(frame, pl.DataFrame) else frame
    if not records:
        return "<p class='note'>(없음 / none)</p>"
    columns = list(records[0])
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in records
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def cell(value: object) -> str:
    """A table cell's text: numbers rounded, lists joined, None blank."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
