"""The house's floors: imports point down, and no two modules import each other, even lazily.

    records      models.records, models.nomenclature: import nothing of the project
    storage      models.*: the database (tables, store, search); stores, does not compute
    extractors   extractors.*: pure functions of text, over records
    base         pipeline, pipeline.errors, pipeline.settings, pipeline.extract_options
    read         pipeline.read.*: PDF -> PageText
    stages       pipeline.segment, pipeline.api, pipeline.checks, pipeline.scoring
    batch        pipeline.batch.*: files, workers, the import
    publish      pipeline.publish.*: contract JSON, export, serve
    cli          pipeline.cli.*: the commands, on top

Every import counts, including one inside a function: a lazy import is still an arrow.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "extractors", "pipeline")

# (floor, module prefixes), matched longest prefix first.
FLOORS: dict[str, tuple[str, ...]] = {
    "records": ("models.records", "models.nomenclature"),
    "storage": ("models",),
    "extractors": ("extractors",),
    "base": ("pipeline.errors", "pipeline.settings", "pipeline.extract_options"),
    "read": ("pipeline.read",),
    "stages": ("pipeline.segment", "pipeline.api", "pipeline.checks", "pipeline.scoring"),
    "batch": ("pipeline.batch",),
    "publish": ("pipeline.publish",),
    "cli": ("pipeline.cli",),
}
EXACT = {"pipeline": "base"}  # the package itself holds only the version

# What each floor may import (itself included).
MAY_IMPORT: dict[str, set[str]] = {
    "records": {"records"},
    "storage": {"records", "storage"},
    "extractors": {"records", "extractors"},
    "base": {"base"},
    "read": {"records", "base", "read"},
    "stages": {"records", "storage", "extractors", "base", "read", "stages"},
    "batch": {"records", "storage", "extractors", "base", "read", "stages", "batch"},
    "publish": {"records", "storage", "extractors", "base", "stages", "publish"},
    "cli": {"records", "storage", "extractors", "base", "read", "stages", "batch", "publish", "cli"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an imported name lives in (a name in a package: the package)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pipeline.cli import options` imports the submodule, not the package
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name)
            if target and target != module:
                found.add(target)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def floor_of(module: str) -> str:
    if module in EXACT:
        return EXACT[module]
    best = max((prefix for prefixes in FLOORS.values() for prefix in prefixes
                if module == prefix or module.startswith(prefix + ".")), key=len, default=None)
    if best is None:
        raise AssertionError(f"{module} is on no floor: add it to FLOORS in tests/test_layers.py")
    return next(floor for floor, prefixes in FLOORS.items() if best in prefixes)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_every_module_is_on_a_floor(module):
    assert floor_of(module) in MAY_IMPORT


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_imports_point_down(module):
    floor = floor_of(module)
    upward = sorted(f"{target} ({floor_of(target)})" for target in GRAPH[module]
                    if floor_of(target) not in MAY_IMPORT[floor])
    assert not upward, f"{module} ({floor}) imports a floor it may not: {', '.join(upward)}"


def test_layers_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_layers_cycle_finder_finds_a_cycle():
    # The checker itself: a two-module circle and a three-module one are reported, a chain is not.
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"g"}, "g": set()}
    assert sorted(map(tuple, _cycles(graph))) == [("a", "b"), ("c", "d", "e")]


def test_layers_package_init_imports_nothing_heavy():
    # `pipeline/__init__.py` is imported by everything: it carries the version and nothing else.
    assert GRAPH["pipeline"] == set()
