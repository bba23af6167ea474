"""One maker per published output (issue 21): grep for a column of `ranked.parquet` or a count of
`manifest.json` leads to the one function or SQL file that makes it.

What counts as making a name `X`, in the non-test source (MAKER_DIRS):
- Python (parsed with `ast`): `.alias("X")`; `X=` as a keyword of `with_columns`, `select` or
  `agg`; `"X": value` in a dict literal, unless the value is a dtype (`pl.Int8`,
  `pl.List(pl.String)`: a schema) or a constant or tuple of constants (a label).
- SQL (comments dropped): `as X`, and `X =` inside an UPDATE's `set`.
Each maker is named `path:function` (`path` for a SQL file). Reading a column (`pl.col("X")`,
`select X`), a `where X = …` test and a `"X"` passed as an argument are not makers.

Other tables and documents that happen to use one of these names (the visits table's
`exploration`, a label in web/i18n.py …) are listed in HOMONYMS, each with what it makes; any
other maker fails the test.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKER_DIRS = (
    "ingest",
    "features",
    "models",
    "outreach",
    "monitoring",
    "flows",
    "cli",
    "web",
    "sagak",
    "report",
    "sql",
)
POLARS_MAKERS = {"with_columns", "select", "agg"}

# output -> name -> its one maker
MAKERS: dict[str, dict[str, str]] = {
    "ranked.parquet": {
        "tier": "models/household_scores.py:tier",
        "rank": "models/household_scores.py:ranked",
        "team_rank": "models/household_scores.py:ranked",
        "reasons": "models/reason_texts.py:reason_lists",
        "reasons_ko": "models/reason_texts.py:reason_lists",
        "reasons_en": "models/reason_texts.py:reason_lists",
        "excluded_reason": "sql/outreach/exclusions.sql",
        "assigned": "outreach/ranked.py:ranked",
        "new_since_last_run": "outreach/ranked.py:ranked",
    },
    "manifest.json counts": {
        name: "outreach/manifest.py:counts"
        for name in (
            "households_scored",
            "households_listed",
            "teams",
            "listed_by_team",
            "spare_capacity",
            "assigned",
            "exploration",
            "new_since_last_run",
            "escalated",
            "excluded_by_reason",
        )
    },
}
# makers of other outputs that share a name with a published one
HOMONYMS: dict[str, set[str]] = {
    "excluded_reason": {
        "sql/models/training_exclusions.sql",  # the training set's exclusions
        "sql/outreach/assignments_close_gone.sql",  # why an open assignment was closed
    },
    "exploration": {
        "models/metrics.py:evaluate",  # a model metric's section
        "outreach/visits.py:read_visits",  # the visits table's flag
        "sql/labels/household_labels.sql",  # the labels' flag
        "sql/models/training_rows.sql",  # the training rows' flag
        "web/listing.py:query",  # a query parameter of the web list
    },
    "assigned": {"outreach/report_teams.py:tier_mix"},  # report.html's per-team count
    "escalated": {"flows/artifacts.py:outreach_teams"},  # the Prefect artifact's per-team count
    "teams": {
        "outreach/manifest.py:manifest",  # the manifest's `teams` section (count and entries)
        "web/capacity.py:spare_by_city",  # the web capacity page's cities
    },
    "tier": {"web/listing.py:query"},  # a query parameter of the web list
}
# second makers still to merge, each with why it is still there; empty when issue 21 is done
TO_MERGE: dict[str, set[str]] = {}


def sources() -> list[Path]:
    """The Python and SQL files of MAKER_DIRS."""
    found = []
    for folder in MAKER_DIRS:
        found += [p for p in sorted((ROOT / folder).rglob("*")) if p.suffix in {".py", ".sql"}]
    return found


def enclosing_functions(tree: ast.AST) -> dict[int, str]:
    """Line -> the innermost top-level or nested function (or class) name covering it."""
    owner: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                if line not in owner or owner[line][1] < node.lineno:
                    owner[line] = (node.name, node.lineno)
    return {line: name for line, (name, _) in owner.items()}


def is_schema_or_label(value: ast.expr) -> bool:
    """A dict value that names a dtype (`pl.Int8`, `pl.List(pl.String)`) or is a constant or a
    tuple of constants (a label), not a value made."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Tuple):
        return all(isinstance(e, ast.Constant) for e in value.elts)
    head = value.func if isinstance(value, ast.Call) else value
    return (
        isinstance(head, ast.Attribute)
        and isinstance(head.value, ast.Name)
        and head.value.id == "pl"
        and head.attr[:1].isupper()
    )


def python_makers(source: str) -> list[tuple[str, int]]:
    """(name, line) of every name the Python `source` makes (see the module docstring)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            first = node.args[0] if node.args else None
            if node.func.attr == "alias" and isinstance(first, ast.Constant):
                found.append((first.value, node.lineno))
            if node.func.attr in POLARS_MAKERS:
                found += [(k.arg, node.lineno) for k in node.keywords if k.arg]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and not is_schema_or_label(value):
                    found.append((key.value, key.lineno))
    return found


def sql_makers(source: str) -> set[str]:
    """The names a SQL file makes: `as X`, and `X =` inside an UPDATE's set."""
    code = re.sub(r"--[^\n]*", "", source)
    names = set(re.findall(r'(?i)\bas\s+"?([a-z_][a-z0-9_]*)"?', code))
    for match in re.finditer(r"(?is)\bupdate\b.*?\bset\b(.*?)(?:\bwhere\b|\bfrom\b|;|$)", code):
        names |= set(re.findall(r"(?i)\b([a-z_][a-z0-9_]*)\s*=(?!=)", match.group(1)))
    return {name.lower() for name in names}


def makers(names: set[str], files: list[Path] | None = None) -> dict[str, set[str]]:
    """name -> the `path:function` (or SQL `path`) of every maker of it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in files if files is not None else sources():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        if path.suffix == ".sql":
            for name in sql_makers(text) & names:
                found[name].add(where)
            continue
        owners = enclosing_functions(ast.parse(text))
        for name, line in python_makers(text):
            if name in names:
                found[name].add(f"{where}:{owners.get(line, '<module>')}")
    return found


def expected() -> dict[str, set[str]]:
    """name -> its makers: the published output's one, homonyms and the ones still to merge."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for columns in MAKERS.values():
        for name, maker in columns.items():
            wanted[name].add(maker)
    for extra in (HOMONYMS, TO_MERGE):
        for name, others in extra.items():
            wanted[name] |= others
    return wanted


def test_each_published_column_and_count_has_one_maker():
    wanted = expected()
    found = makers(set(wanted))
    wrong = {
        name: {"extra": sorted(found[name] - want), "missing": sorted(want - found[name])}
        for name, want in wanted.items()
        if found[name] != want
    }
    assert wrong == {}, f"makers other than the expected ones: {wrong}"


def test_the_published_names_are_the_ones_outreach_publishes():
    from outreach.ranked import RANKED_COLUMNS

    passed_through = {"household_key", "emd_code", "sigungu_code", "score", "exploration"}
    assert set(MAKERS["ranked.parquet"]) == set(RANKED_COLUMNS) - passed_through
    counts = set(MAKERS["manifest.json counts"])
    made = makers(counts, [ROOT / "outreach/manifest.py"])
    assert {n for n, at in made.items() if "outreach/manifest.py:counts" in at} == counts


def test_a_second_maker_is_found(tmp_path):
    py = tmp_path / "second.py"
    py.write_text(
        "def again(frame):\n"
        "    return frame.with_columns(pl.lit(1).alias('tier'), rank=pl.lit(2))\n"
        "def schema():\n"
        "    return {'tier': pl.Int8, 'assigned': ('배정', 'Assigned'), 'teams': len(x)}\n",
        encoding="utf-8",
    )
    sql = tmp_path / "second.sql"
    sql.write_text(
        "-- 1 as tier in a comment is not a maker\n"
        "update t set excluded_reason = 'x', assigned = true where rank = 1;\n"
        "select 1 as team_rank from t where tier = 2\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = makers(
            {"tier", "rank", "teams", "assigned", "excluded_reason", "team_rank"}, [py, sql]
        )
    finally:
        ROOT = saved
    assert dict(found) == {
        "tier": {"second.py:again"},
        "rank": {"second.py:again"},
        "teams": {"second.py:schema"},
        "excluded_reason": {"second.sql"},
        "assigned": {"second.sql"},
        "team_rank": {"second.sql"},
    }
