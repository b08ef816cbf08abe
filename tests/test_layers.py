"""Layers point one way: each package imports only the packages the table below allows.

The core (bot/) imports no other package; the composition root (bot/app.py) and the setup and CLI
wiring around it are the listed exceptions. A new package, or a new direction, is a change to this
table, made on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ALLOWED: Mapping[str, Set[str]] = {
    "linesim": set(),  # the LINE stand-in: it knows nothing of the bot
    "bot": set(),  # the core everyone imports
    "meetings": {"bot"},
    "admin": {"bot", "meetings"},
    "broadcasts": {"bot", "admin"},  # it adds its pages and endpoints to the admin surfaces
    "handlers": {"bot", "broadcasts"},  # the conversation subscribes a group to broadcasts
}

EXCEPTIONS: Mapping[str, Set[str]] = {
    "bot/app.py": {"meetings", "admin", "handlers", "broadcasts"},  # the composition root
    "bot/cli.py": {"admin", "linesim"},  # `serve`: the console's banner, the first admin, the emulator
    "bot/devseed.py": {"linesim"},  # the emulator's world for `serve` without LINE credentials
    "bot/seed.py": {"meetings"},  # `setup` parses and saves the seed meeting
}


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports; relative ones stay in the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def violations(
    root: Path, allowed: Mapping[str, Set[str]], exceptions: Mapping[str, Set[str]]
) -> dict[str, list[str]]:
    """Each module of the packages in `allowed` that imports a package it may not, with those packages."""
    found: dict[str, list[str]] = {}
    for package, may_import in allowed.items():
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            permitted = {package} | set(may_import) | set(exceptions.get(name, set()))
            forbidden = sorted((_imports(path) & set(allowed)) - permitted)
            if forbidden:
                found[name] = forbidden
    return found


def test_packages_import_only_what_the_table_allows() -> None:
    assert violations(ROOT, ALLOWED, EXCEPTIONS) == {}


def test_every_package_is_in_the_table() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(ALLOWED)


def test_the_exceptions_are_all_needed() -> None:
    """An exception no longer used is removed, so the table stays as strict as the code."""
    for name, extra in EXCEPTIONS.items():
        package = name.split("/")[0]
        assert extra <= _imports(ROOT / name) - {package} - set(ALLOWED[package]), name


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    for package in ("core", "feature", "tool"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text('"""A package."""\n', encoding="utf-8")
    (tmp_path / "core" / "root.py").write_text("import feature\n", encoding="utf-8")
    (tmp_path / "core" / "sneaky.py").write_text(
        "from . import root\nfrom feature.views import page\n", encoding="utf-8"
    )
    (tmp_path / "core" / "plain.py").write_text("import tool.sub\n", encoding="utf-8")
    (tmp_path / "feature" / "views.py").write_text("from core import root\nimport json\n", encoding="utf-8")
    allowed = {"core": {"tool"}, "feature": {"core"}, "tool": set()}
    assert violations(tmp_path, allowed, {"core/root.py": {"feature"}}) == {"core/sneaky.py": ["feature"]}
    assert violations(tmp_path, allowed, {}) == {"core/root.py": ["feature"], "core/sneaky.py": ["feature"]}


def test_the_cli_does_not_import_the_factory() -> None:
    """bot/app.py registers the commands of bot/cli.py and hands them the factory: one way, no cycle."""
    tree = ast.parse((ROOT / "bot" / "cli.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "bot.app" not in modules and "bot" in {m.split(".")[0] for m in modules if m}


# --- no import cycle between modules ------------------------------------------------------------------


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_imports(tree: ast.Module, known: Set[str]) -> set[str]:
    """The modules of `known` a module imports, at its top or inside a function (an import deferred to
    dodge a loop is still the loop), but not under `if TYPE_CHECKING:` (never run)."""
    found: set[str] = set()
    for node in _run_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
    return found & set(known)


def _run_nodes(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield other
                yield from _run_nodes(other)
            continue
        yield child
        yield from _run_nodes(child)


def import_cycles(root: Path, packages: Set[str]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's algorithm)."""
    paths = {_module_name(root, p): p for package in packages for p in (root / package).rglob("*.py")}
    graph = {
        name: _module_imports(ast.parse(path.read_text(encoding="utf-8")), paths.keys()) - {name}
        for name, path in paths.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                cycles.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_no_module_imports_itself_round_a_loop() -> None:
    """A loop of imports loads only in one order (a deferred import hides it, and is counted), and a
    reader holds all of it at once: the counters LINE's client counts into live apart from the /metrics
    view that reads the services and the quota."""
    assert import_cycles(ROOT, set(ALLOWED)) == []


def test_the_cycle_check_finds_a_loop(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "core" / "a.py").write_text("from core import b\n", encoding="utf-8")
    (tmp_path / "core" / "b.py").write_text("import core.c\n", encoding="utf-8")
    (tmp_path / "core" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core import a\nfrom core.a import x\n",
        encoding="utf-8",
    )
    (tmp_path / "core" / "d.py").write_text("import core.e\n", encoding="utf-8")
    (tmp_path / "core" / "e.py").write_text("def f():\n    from core import d\n", encoding="utf-8")
    assert sorted(import_cycles(tmp_path, {"core"})) == [["core.a", "core.b", "core.c"], ["core.d", "core.e"]]
