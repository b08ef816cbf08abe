"""Layers point one way: each package imports only the packages the table below allows.

The core (bot/) imports no other package; the composition root (bot/app.py) and the setup and CLI
wiring around it are the listed exceptions. A new package, or a new direction, is a change to this
table, made on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Set
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
