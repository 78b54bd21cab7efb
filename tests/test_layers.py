"""The layers show in the tree: the pure core imports nothing from the outer layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
OUTER = ("jixiao.io", "jixiao.storage", "jixiao.web", "jixiao.cli", "jixiao.services")
PURE = ("domain", "rules", "scoring")
# Pure layers may use the standard library and nothing that performs I/O on its own.
FORBIDDEN_STDLIB = ("sqlite3", "socket", "subprocess", "http", "urllib", "requests")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.append("." * node.level + (node.module or ""))
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_do_not_import_outer_layers(layer: str) -> None:
    offenders = []
    for path in _modules(layer):
        for name in _imports(path):
            if name.startswith(OUTER) or name.split(".")[0] in FORBIDDEN_STDLIB:
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
            if name.startswith(".."):
                offenders.append(f"{path.relative_to(SRC)} uses a relative import {name}")
    assert offenders == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a check that can never fail: a planted import is found."""
    planted = tmp_path / "bad.py"
    planted.write_text("from jixiao.io.reading import read_path\nimport sqlite3\n", "utf-8")
    names = _imports(planted)
    assert any(n.startswith(OUTER) for n in names)
    assert "sqlite3" in names


def test_domain_modules_exist() -> None:
    assert _modules("domain"), "the domain layer must exist"
