"""The layout shows the layers: no import circle in atlas/, no oversized module, no Streamlit below the glue,
no database or SQL in the pages. Read from the source with ast, so a test fails before anything runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "atlas"
MAX_LINES = 400
# Modules allowed over MAX_LINES: static data tables only, each with the reason (path relative to ROOT).
LONG_MODULES_ALLOWED: dict[str, str] = {}
PAGES = sorted([ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py")])
# SQL in a string constant: statement keywords in upper case, as every query in queries/*.sql is written.
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\b(CREATE|DROP|ALTER)\s+"
    r"(TABLE|VIEW|MACRO|INDEX|SEQUENCE)\b|\bWITH\s+\w+\s+AS\s*\(|\bCOPY\s+\w+\s+(TO|FROM)\b|\bATTACH\b"
)


def module_name(path: Path, root: Path = ROOT) -> str:
    """atlas/data/db.py -> atlas.data.db; atlas/data/__init__.py -> atlas.data."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_names(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, anywhere in the file (functions included), as absolute dotted names.

    `from a.b import c` names a.b.c when that is a module of ours, else a.b: the module the name comes from.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = module_name(path, root)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.add(candidate if candidate in MODULES else source)
    return found


def atlas_imports(path: Path) -> set[str]:
    """The atlas modules `path` imports (an import of a.b.c counts as one of a.b.c, the module it names)."""
    out = set()
    for name in imported_names(path):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith("atlas"):
            out.add(name)
    out.discard(module_name(path))
    return out


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) per strongly connected group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph has a few dozen nodes, recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_through(min(group), group, graph) for group in groups]


def _cycle_through(start: str, group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The shortest path from `start` back to itself inside `group` (breadth first)."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(graph[path[-1]] & group):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    raise AssertionError(f"no cycle through {start}")


def atlas_graph() -> dict[str, set[str]]:
    """Each atlas module with the atlas modules it imports."""
    return {name: atlas_imports(path) for name, path in MODULES.items()}


# --- the helpers themselves: a layout test is only as good as its import walk ---------------------------


def test_the_import_walk_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = (
        "import atlas.config\n"
        "from atlas.data import vocab\n"
        "from . import build\n"
        "from .formats import FileFormat\n"
        "def later():\n"
        "    from atlas.views import figures\n"
        "    import streamlit as st\n"
    )
    fake = tmp_path / "atlas" / "data" / "store.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source, encoding="utf-8")
    assert imported_names(fake, root=tmp_path) == {
        "atlas.config",
        "atlas.data.vocab",
        "atlas.data.build",
        "atlas.data.formats",
        "atlas.views.figures",
        "streamlit",
    }


def test_the_cycle_finder_reports_the_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


# --- the layout -------------------------------------------------------------------------------------


def test_no_import_circle_in_atlas():
    cycles = [" -> ".join(cycle) for cycle in import_cycles(atlas_graph())]
    assert cycles == [], "atlas modules that import each other:\n" + "\n".join(cycles)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_in_atlas_is_over_400_lines(path):
    relative = str(path.relative_to(ROOT))
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if relative in LONG_MODULES_ALLOWED:
        assert lines > MAX_LINES, f"{relative} is {lines} lines now: take it off LONG_MODULES_ALLOWED"
    else:
        assert lines <= MAX_LINES, f"{relative} is {lines} lines (at most {MAX_LINES}): split it by concern"


def test_the_long_module_allow_list_names_real_files():
    assert [p for p in LONG_MODULES_ALLOWED if not (ROOT / p).is_file()] == []


# Which packages a layer may not import from: data is the bottom, views sit on data, app on both.
FORBIDDEN = {
    "atlas.data": ("streamlit", "atlas.views", "atlas.app"),
    "atlas.views": ("streamlit", "atlas.app"),
}


@pytest.mark.parametrize(
    "name", [n for n in MODULES if n.startswith(tuple(f"{layer}." for layer in FORBIDDEN)) or n in FORBIDDEN]
)
def test_lower_layers_do_not_import_upper_ones(name):
    layer = next(layer for layer in FORBIDDEN if name == layer or name.startswith(f"{layer}."))
    bad = sorted(
        imported
        for imported in imported_names(MODULES[name])
        for forbidden in FORBIDDEN[layer]
        if imported == forbidden or imported.startswith(f"{forbidden}.")
    )
    assert bad == [], f"{name} ({layer}) imports {bad}"


def test_the_layers_exist():
    # Guards the parametrised test above against passing on an empty list after a rename.
    assert {"atlas.data.db", "atlas.data.ingest", "atlas.views.figures", "atlas.views.maps"} <= set(MODULES)


def _string_constants(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_use_no_database_and_no_sql(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    page = path.relative_to(ROOT)
    imports = {name.split(".")[0] for name in _page_imports(tree)}
    assert "duckdb" not in imports, f"{page} imports duckdb: pages ask atlas for named queries"
    sql = [text for text in _string_constants(tree) if SQL.search(text)]
    assert sql == [], f"{page} holds SQL; it belongs in queries/*.sql"
    calls = sorted(
        {
            n.func.attr
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("execute", "executemany", "sql")
        }
    )
    assert calls == [], f"{page} runs statements itself ({calls})"


def _page_imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "text, is_sql",
    [
        ("SELECT name FROM countries WHERE iso3 = $iso3", True),
        ("WITH t AS (SELECT 1) SELECT * FROM t", True),
        ("CREATE TABLE x (a INT)", True),
        ("Select a country from the list", False),
        ("Countries shaded by engagements in the period", False),
    ],
)
def test_the_sql_pattern_tells_sql_from_page_text(text, is_sql):
    assert bool(SQL.search(text)) is is_sql


def test_there_are_pages_to_check():
    assert ROOT / "dashboard.py" in PAGES and len(PAGES) >= 7
