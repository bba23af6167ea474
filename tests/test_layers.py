"""The import graph: no module imports itself round a circle, no package reaches up a layer.

Every module is parsed with `ast`; imports inside functions count like those at the top,
since a circle hidden in a function is still a circle a reader has to hold in their head.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# lower number = lower layer; a package may import its own layer and the ones below
LAYERS = {
    "sagak": 0,
    "report": 0,
    "ingest": 1,
    "features": 2,
    "models": 3,
    "outreach": 4,
    "monitoring": 5,
    "flows": 6,
    "cli": 6,
    "web": 6,
}
# tools outside the layers: they may import anything; only the top layer may import them
TOOLS = {"synth", "bench"}
# (importer, imported) module pairs allowed to break the rules, each with its reason
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    """`outreach/report.py` → `outreach.report`; a package's `__init__.py` → the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the layered packages and the tools, by dotted name."""
    found = {}
    for package in sorted(LAYERS.keys() | TOOLS):
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imported(tree: ast.AST, importer: str, known: set[str]) -> set[str]:
    """The project modules a parsed module imports, at any depth of its code."""
    names: set[str] = set()
    package = importer if importer in LAYERS.keys() | TOOLS else importer.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.add(full if full in known else base)
    return {resolve(name, known) for name in names} - {None, importer}


def resolve(name: str, known: set[str]) -> str | None:
    """The longest project module a dotted import name falls in; None outside the project."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (package `__init__`s are not edges)."""
    modules = project_modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {m for m in imported(tree, name, known) if modules[m].name != "__init__.py"}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs where a package reaches above its layer or into a tool."""
    top = max(LAYERS.values())
    wrong = []
    for importer, targets in graph.items():
        source = importer.split(".")[0]
        if source in TOOLS:
            continue
        for target in targets:
            dest = target.split(".")[0]
            too_high = dest in LAYERS and LAYERS[dest] > LAYERS[source]
            tool = dest in TOOLS and LAYERS[source] < top
            if (too_high or tool) and (importer, target) not in KNOWN_EXCEPTIONS:
                wrong.append((importer, target))
    return sorted(wrong)


def test_no_import_cycles():
    found = cycles(
        {m: {t for t in ts if (m, t) not in KNOWN_EXCEPTIONS} for m, ts in import_graph().items()}
    )
    assert found == [], "modules importing each other round a circle:\n" + "\n".join(
        " ↔ ".join(c) for c in found
    )


def test_no_package_imports_from_a_layer_above():
    wrong = upward_imports(import_graph())
    assert wrong == [], "imports reaching up a layer:\n" + "\n".join(f"{a} → {b}" for a, b in wrong)


def test_the_checks_see_a_circle_and_an_upward_import():
    graph = {"models.a": {"models.b"}, "models.b": {"models.a"}, "ingest.c": {"outreach.d"}}
    assert cycles(graph) == [["models.a", "models.b"]]
    assert upward_imports(graph) == [("ingest.c", "outreach.d")]


def test_the_checks_pass_a_clean_graph():
    graph = {"outreach.a": {"models.b", "sagak.warehouse"}, "models.b": {"features.c"}}
    assert cycles(graph) == []
    assert upward_imports(graph) == []


def test_function_level_and_relative_imports_count():
    source = "def f():\n    from models import scoring\n    from .sibling import x\n"
    known = {"models.scoring", "outreach.sibling", "outreach.report"}
    assert imported(ast.parse(source), "outreach.report", known) == {
        "models.scoring",
        "outreach.sibling",
    }


def duckdb_names(tree: ast.AST) -> list[str]:
    """The names a module's top level binds to something of DuckDB's other than the module:
    `from duckdb import X`, or `X = duckdb.Y`."""
    found = []
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            found += [alias.asname or alias.name for alias in node.names]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Attribute):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id == "duckdb":
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [ast.unparse(t) for t in targets]
    return found


def test_no_module_keeps_a_duckdb_class_in_its_globals():
    """A DuckDB class held by a module's globals (a Prefect task's function keeps those alive
    past the interpreter's end) made DuckDB print "nanobind: leaked … instances" after every
    `sagak nightly`; `import duckdb` and `duckdb.DuckDBPyConnection` in annotations do not."""
    held = {
        name: names
        for name, path in project_modules().items()
        if (names := duckdb_names(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert held == {}, f"modules binding DuckDB names at their top level: {held}"


def test_the_duckdb_check_sees_both_forms_and_passes_the_module():
    source = (
        "import duckdb\nfrom duckdb import DuckDBPyConnection\nCon = duckdb.DuckDBPyConnection\n"
    )
    assert duckdb_names(ast.parse(source)) == ["DuckDBPyConnection", "Con"]
    assert duckdb_names(ast.parse("import duckdb\nx: duckdb.DuckDBPyConnection\n")) == []
