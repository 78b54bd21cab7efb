"""The review's core compiled by mypyc (setup.py) finds what its pure-Python source finds.

``rules/context.py``, ``screen.py``, ``textnum.py`` and ``engine.py`` are compiled when the package is
installed; the sources stay the reference. A child interpreter imports the four from their ``.py``
files (a finder placed before the usual ones, which also keeps the C goal scanner out, so the goal is
read by ``textnum.extract_python``), reviews the same tables and prints its findings; this
process reviews them with whatever is installed. Both must agree to the last character and score.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jixiao.rules import context, engine

RULES_DIR = Path(context.__file__).parent
COMPILED = ("context", "screen", "textnum", "engine")
ROOT = Path(__file__).resolve().parents[1]

# Run in the child: force the sources of COMPILED, then review and print the findings as JSON.
_CHILD = r"""
import importlib.abc, importlib.util, json, sys
from pathlib import Path
RULES_DIR = Path(sys.argv[1])
NAMES = {f"jixiao.rules.{name}" for name in sys.argv[2].split(",")}

class Sources(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "jixiao.rules._goalscan":  # the whole reference: the goal read in Python too
            raise ImportError("the Python reading of the goal")
        if name in NAMES:
            return importlib.util.spec_from_file_location(name, RULES_DIR / (name.rsplit(".", 1)[1] + ".py"))
        return None

sys.meta_path.insert(0, Sources())
from tests.test_rules_compiled import reviewed
import jixiao.rules.engine as engine
assert engine.__file__.endswith(".py"), engine.__file__
print(json.dumps(reviewed(), ensure_ascii=False))
"""


def _tables() -> list[Any]:
    from bench.generate import iter_tables

    from jixiao.io.reading import read_bytes
    from tests.rule_cases import CASES, clean_central_table, clean_table

    tables = [clean_table(), clean_central_table()]
    for _profile, trigger, miss in CASES.values():
        for base in (clean_table(), clean_central_table()):
            tables.extend(change(base) for change in (trigger, miss) if change is not None)
    corpus = "\n".join(text for _, text in iter_tables(300, seed=23)) + "\n"
    tables.extend(r.table for r in read_bytes(corpus.encode(), "corpus.txt") if r.table is not None)
    return tables


def reviewed() -> list[Any]:
    """Every table reviewed by every shipped profile: findings, score, grade and deductions as plain data."""
    from jixiao import profiles

    out: list[Any] = []
    tables = _tables()
    for name in profiles.shipped_profiles():
        profile = profiles.load(name).rules
        rules = engine.active_rules(profile)
        for table in tables:
            review = engine.review_table(table, profile, rules)
            out.append([name, str(review.score), review.grade, [list(map(str, d)) for d in review.deductions],
                        [[f.code, f.severity.value, f.title, f.message, f.project_code, f.location.field,
                          f.location.indicator, f.location.indicator_name, f.location.file, f.location.line]
                         for f in review.findings]])
    return out


def test_the_compiled_modules_are_used_when_they_were_built() -> None:
    for name in COMPILED:
        built = list(RULES_DIR.glob(f"{name}.*.so")) + list(RULES_DIR.glob(f"{name}.*.pyd"))
        module = sys.modules.get(f"jixiao.rules.{name}")
        assert module is not None
        assert (Path(module.__file__ or "").suffix != ".py") == bool(built), name


def test_compiled_and_pure_review_alike() -> None:
    if Path(engine.__file__).suffix == ".py":
        # make test compiles it; only an install with JIXIAO_PURE=1 (or a run from bare sources) has no twin
        assert os.environ.get("CI") != "true" or os.environ.get("JIXIAO_PURE") == "1", "CI must run compiled"
        pytest.skip("the review core is not compiled here (JIXIAO_PURE=1 or run from the sources)")
    child = subprocess.run([sys.executable, "-c", _CHILD, str(RULES_DIR), ",".join(COMPILED)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert child.returncode == 0, child.stderr[-2000:]
    pure = json.loads(child.stdout)
    compiled = reviewed()
    assert len(compiled) == len(pure) > 1000
    assert sum(len(entry[4]) for entry in compiled) > 500  # the cases fire: not a comparison of nothing
    for mine, theirs in zip(compiled, pure, strict=True):
        assert mine == theirs
