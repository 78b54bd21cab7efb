"""The layers of ARCHITECTURE.md as import-linter contracts, and proof that they can fail.

``make test`` runs ``lint-imports`` on the tree. These tests run it too, on the tree and on a copy of
the package with one deliberate bad import planted, so a contract that could never fail is caught.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SHELLS = "web and cli import only services and the view types"


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """Run the committed contracts against the ``jixiao`` package found under ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent), "COLUMNS": "400"}  # one line per contract
    return subprocess.run([str(LINT_IMPORTS), str(CONFIG), "--no-cache", "--no-logo"], cwd=package_parent,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def _broken(output: str) -> list[str]:
    """The names of the broken contracts, from the summary (one ``<name> KEPT|BROKEN`` line each)."""
    return [match.group(1) for match in re.finditer(r"^(.+) BROKEN\b", output, re.MULTILINE)]


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "jixiao", tmp_path / "jixiao",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.toml", "*.txt"))
    return tmp_path / "jixiao"


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert _broken(result.stdout) == []
    assert re.search(r"^web and cli import only services .* KEPT", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("domain/_planted.py", "import jixiao.storage.models\n", "domain imports nothing of jixiao"),
    ("io/_planted.py", "from jixiao.rules import engine\n", "io imports only domain"),
    ("scoring/_planted.py", "import jixiao.rules.engine\n", "rules and scoring import only domain"),
    ("rules/_planted.py", "from jixiao.scoring import policy\n", "rules and scoring import only domain"),
    ("rules/checks/_planted.py", "import jixiao.io.reading\n", "rules and scoring import only domain"),
    ("reports/_planted.py", "import jixiao.services\n", "reports import only domain, rules and scoring"),
    ("profiles/_planted.py", "from jixiao.io.reading import read_path\n", "profiles import only domain, rules"),
    ("storage/_planted.py", "import jixiao.rules.engine\n", "storage imports only domain"),
    ("library/_planted.py", "import jixiao.storage.models\n", "library imports only domain"),
    ("demo/_planted.py", "from jixiao.services import demo_region\n", "demo imports no storage, services or shells"),
    ("demo/_planted.py", "import sqlalchemy\n", "demo imports no storage, services or shells"),
    ("rules/_planted.py", "from jixiao.library import names\n", "rules and scoring import only domain"),
    ("web/_planted.py", "from jixiao.library.stats import quartiles\n", SHELLS),
    ("web/_planted.py", "import jixiao.storage.db\n", SHELLS),
    ("cli/_planted.py", "from jixiao.storage import models\n", SHELLS),
    ("cli/_planted.py", "import sqlalchemy\n", SHELLS),
    # the shells reach io, profiles and the engines of rules and scoring only through services …
    ("cli/_planted.py", "import jixiao.io.reading\n", SHELLS),
    ("cli/_planted.py", "def late():\n    from jixiao.io.office.xlsx_writer import write_tables_xlsx\n", SHELLS),
    ("cli/_planted.py", "from jixiao import profiles\n", SHELLS),
    ("cli/_planted.py", "from jixiao.rules import ReviewReport\n", SHELLS),
    ("cli/_planted.py", "from jixiao.rules.engine import unknown_codes\n", SHELLS),
    ("web/_planted.py", "from jixiao.scoring.monitoring import monitor_project\n", SHELLS),
    ("web/pages/_planted.py", "from jixiao.profiles import load\n", SHELLS),
    ("web/_planted.py", "from jixiao.io.writers.table_csv import table_to_csv\n", SHELLS),
    ("web/_planted.py", "import jixiao.cli.main\n", "layers:"),
    ("cli/_planted.py", "from jixiao.web import errors\n", "layers:"),
    ("services/_planted.py", "import jixiao.web.deps\n", "layers:"),
])
def test_a_planted_bad_import_breaks_its_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    package = _copy_package(tmp_path)
    (package / module).write_text(line, "utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    assert any(name.startswith(contract) for name in _broken(result.stdout)), result.stdout


def test_the_shells_may_import_the_view_types(tmp_path: Path) -> None:
    """… but the view types they render are theirs to import: the domain, reports and the two result models."""
    package = _copy_package(tmp_path)
    (package / "cli" / "_planted.py").write_text(
        "from jixiao.domain import TargetTable\nfrom jixiao import reports\nimport jixiao.reports.review_html\n"
        "from jixiao.rules.model import Finding\nfrom jixiao.scoring.model import Light\n", "utf-8")
    (package / "web" / "_planted.py").write_text(
        "from jixiao.rules.model import Category\nfrom jixiao.scoring.model import ProjectScore\n", "utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


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
    assert _broken(result.stdout) == ["no cycles between sibling packages or modules"], result.stdout
