"""The layers of ARCHITECTURE.md as import-linter contracts, and proof that they can fail.

``make test`` runs ``lint-imports`` on the tree. These tests run it too, on the tree and on a copy of
the package with one deliberate bad import planted, so a contract that could never fail is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """Run the committed contracts against the ``jixiao`` package found under ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([str(LINT_IMPORTS), str(CONFIG), "--no-cache", "--no-logo"], cwd=package_parent,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "jixiao", tmp_path / "jixiao",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.toml", "*.txt"))
    return tmp_path / "jixiao"


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("domain/_planted.py", "import jixiao.storage.models\n", "domain imports nothing of jixiao"),
    ("io/_planted.py", "from jixiao.rules import engine\n", "io imports only domain"),
    ("scoring/_planted.py", "import jixiao.rules.engine\n", "rules and scoring import only domain"),
    ("reports/_planted.py", "import jixiao.services\n", "reports import only domain, rules and scoring"),
    ("web/_planted.py", "import jixiao.storage.db\n", "web and cli reach storage only through services"),
    ("cli/_planted.py", "from jixiao.storage import models\n", "web and cli reach storage only through services"),
])
def test_a_planted_bad_import_breaks_its_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    package = _copy_package(tmp_path)
    (package / module).write_text(line, "utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = [chunk for chunk in result.stdout.split("\n\n") if "BROKEN" in chunk]
    assert any(contract in chunk for chunk in broken), result.stdout


def test_a_planted_cycle_breaks_the_acyclic_contract(tmp_path: Path) -> None:
    package = _copy_package(tmp_path)
    (package / "web" / "_planted_a.py").write_text("import jixiao.web._planted_b\n", "utf-8")
    (package / "web" / "_planted_b.py").write_text("import jixiao.web._planted_a\n", "utf-8")
    (package / "web" / "_planted_pkg_a").mkdir()
    (package / "web" / "_planted_pkg_a" / "__init__.py").write_text("from jixiao.web import _planted_pkg_b\n")
    (package / "web" / "_planted_pkg_b").mkdir()
    (package / "web" / "_planted_pkg_b" / "__init__.py").write_text("from jixiao.web import _planted_pkg_a\n")
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "no cycles" in result.stdout
