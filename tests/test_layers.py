"""Layers point one way: the core (bot/) never imports the features (handlers/, broadcasts/).

The app factory, bot/app.py, is the composition root and the one exception: it wires the features in.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "bot"
FEATURES = ("handlers", "broadcasts")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_does_not_import_features() -> None:
    offenders = {
        str(path.relative_to(CORE.parent)): sorted(_imports(path) & set(FEATURES))
        for path in CORE.rglob("*.py")
        if path != CORE / "app.py"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_imports() -> None:
    assert "handlers" in _imports(CORE / "app.py")


def test_linesim_imports_nothing_from_the_bot() -> None:
    linesim = CORE.parent / "linesim"
    offenders = {
        str(path.relative_to(CORE.parent)): sorted(_imports(path) & {"bot", *FEATURES})
        for path in linesim.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_cli_does_not_import_the_factory() -> None:
    """bot/app.py registers the commands of bot/cli.py and hands them the factory: one way, no cycle."""
    tree = ast.parse((CORE / "cli.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "bot.app" not in modules and "bot" in {m.split(".")[0] for m in modules if m}
