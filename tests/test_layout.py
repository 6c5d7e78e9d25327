"""The layout promises of ARCHITECTURE.md: every package says what it owns, imports never
go in a circle, and the packages' arrows point one way (web -> search <- indexer)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("indexer", "search", "web")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules imported anywhere in `path` (function-level imports included)."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in modules:
                targets.add(node.module)
            targets.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in modules
            )
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name in modules)
    return targets


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) for name, path in modules.items()}
    state: dict[str, str] = {}

    def visit(name: str, chain: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycle = chain[chain.index(target):] + [name, target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*chain, name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


@pytest.mark.parametrize(
    ("package", "forbidden"), [("search", ("indexer", "web")), ("indexer", ("web",))]
)
def test_arrows_point_one_way(package: str, forbidden: tuple[str, ...]) -> None:
    modules = _modules()
    for name, path in modules.items():
        if name.split(".")[0] != package:
            continue
        wrong = {t for t in _imports(path, modules) if t.split(".")[0] in forbidden}
        assert not wrong, f"{name} imports {sorted(wrong)}"


def test_every_package_states_what_it_owns() -> None:
    for init in sorted(p for package in PACKAGES for p in (ROOT / package).rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring, f"{init.relative_to(ROOT)} has no docstring saying what it owns"
