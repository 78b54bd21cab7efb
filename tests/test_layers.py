"""The layers show in the tree: the pure core imports nothing from the outer layers, ``io`` (table
exchange) builds on the domain alone, and ``reports`` and ``profiles`` on the pure core alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
OUTER = ("jixiao.io", "jixiao.reports", "jixiao.profiles", "jixiao.storage", "jixiao.web", "jixiao.cli",
         "jixiao.services")
PURE = ("domain", "rules", "scoring")
LAYERS = ("domain", "rules", "scoring", "io", "reports", "profiles", "storage", "services", "web", "cli")
# What each middle layer may import from jixiao besides itself.
ALLOWED = {"io": ("domain",), "reports": ("domain", "rules", "scoring"), "profiles": ("domain", "rules", "scoring")}
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


def _foreign(names: list[str], layer: str) -> list[str]:
    """The ``jixiao.<layer>`` imports that ``layer`` may not make, and every relative import."""
    allowed = {f"jixiao.{name}" for name in (layer, *ALLOWED[layer])}
    def foreign(name: str) -> bool:
        parts = name.split(".")
        return parts[0] == "jixiao" and len(parts) > 1 and parts[1] in LAYERS and ".".join(parts[:2]) not in allowed

    return [name for name in names if name.startswith(".") or foreign(name)]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_middle_layers_import_only_what_they_build_on(layer: str) -> None:
    """``io`` imports only ``domain``; ``reports`` and ``profiles`` only ``domain``, ``rules``, ``scoring``."""
    offenders = [f"{path.relative_to(SRC)} imports {name}"
                 for path in _modules(layer) for name in _foreign(_imports(path), layer)]
    assert offenders == []


def test_the_middle_layer_check_sees_a_violation(tmp_path: Path) -> None:
    planted = tmp_path / "bad.py"
    planted.write_text("from jixiao.domain import Value\nfrom jixiao.io.reading import read_path\n"
                       "def late():\n    from jixiao.scoring.policy import ScoringPolicy\n"
                       "    import jixiao.reports.xlsx\n", "utf-8")
    assert _foreign(_imports(planted), "io") == ["jixiao.scoring.policy", "jixiao.reports.xlsx"]
    assert _foreign(_imports(planted), "reports") == ["jixiao.io.reading"]


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a check that can never fail: a planted import is found."""
    planted = tmp_path / "bad.py"
    planted.write_text("from jixiao.io.reading import read_path\nimport sqlite3\n", "utf-8")
    names = _imports(planted)
    assert any(n.startswith(OUTER) for n in names)
    assert "sqlite3" in names


def test_domain_modules_exist() -> None:
    assert _modules("domain"), "the domain layer must exist"
    for layer in ALLOWED:
        assert _modules(layer), f"the {layer} layer must exist"
