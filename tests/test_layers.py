"""What the import contracts cannot say: the pure core performs no I/O of its own.

Which layer may import which is checked by import-linter (``.importlinter``, ``make layers`` and
tests/test_import_contracts.py). This test adds the standard library: ``domain``, ``rules`` and ``scoring``
import no module that talks to the outside world (databases, sockets, processes, HTTP), and use no relative
imports, so every import names its layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
PURE = ("domain", "rules", "scoring", "library")
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


def _offences(names: list[str]) -> list[str]:
    """The imports a pure module may not make: I/O modules of the standard library, and relative imports."""
    return [name for name in names if name.startswith(".") or name.split(".")[0] in FORBIDDEN_STDLIB]


def _modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_perform_no_io(layer: str) -> None:
    offenders = [f"{path.relative_to(SRC)} imports {name}"
                 for path in _modules(layer) for name in _offences(_imports(path))]
    assert offenders == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a check that can never fail: planted imports, also inside a function, are found."""
    planted = tmp_path / "bad.py"
    planted.write_text("import json\nfrom decimal import Decimal\nimport sqlite3\n"
                       "def late():\n    from urllib.request import urlopen\n    from . import sibling\n", "utf-8")
    assert _offences(_imports(planted)) == ["sqlite3", "urllib.request", "."]


def test_the_pure_layers_exist() -> None:
    for layer in PURE:
        assert _modules(layer), f"the {layer} layer must exist"
