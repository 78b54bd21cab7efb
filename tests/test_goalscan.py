"""The C goal scanner (``rules/_goalscan.c``) reads what the Python reading (``textnum.extract_python``) reads.

Mentions are compared by ``repr``: a Decimal's exponent counts ("3.50" is not "3.5" in a message), and so
do the types of every field. Texts are drawn from the characters the reading turns on (digits, the
decimal point, Chinese numerals, 万/亿, 余/多, 元, %, count units, clause stops, 每/约/合计…), from every
unicode width (an ASCII-only text, a text with an emoji), and from the generated corpus's goals.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.rules import textnum

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = Path(textnum.__file__).parent


def _native() -> ModuleType:
    """The built extension; a skip where it cannot be (JIXIAO_PURE=1 install, bare sources), never in CI."""
    try:
        from jixiao.rules import _goalscan
    except ImportError:
        built = list(RULES_DIR.glob("_goalscan.*.so")) + list(RULES_DIR.glob("_goalscan.*.pyd"))
        assert not built, "the extension is built but does not import"
        assert os.environ.get("CI") != "true" or os.environ.get("JIXIAO_PURE") == "1", "CI must build the scanner"
        pytest.skip("the goal scanner is not built here (JIXIAO_PURE=1 or run from the sources)")
    # textnum configures it on import; configuring again with the same values changes nothing
    _goalscan.configure(textnum.Mention, textnum.Decimal, textnum._ZERO, textnum.QUANTITY_UNITS,
                        textnum.UNIT_ALIASES)
    return _goalscan


def _python(text: str) -> str:
    try:
        return repr(textnum.extract_python(text))
    except Exception as error:  # the same failure is expected of the scanner
        return f"raised {type(error).__name__}"


def _c(text: str) -> str:
    try:
        return repr(_native().extract(text))
    except Exception as error:
        return f"raised {type(error).__name__}"


_PIECES = [*"0123456789.一二三两十百千零〇万亿余多元%％ 名人个件张台亩米平公吨，。；;,!?！？\n/每约共季月年度",
           "人次", "平方米", "平米", "千米", "公里", "千瓦时", "件次", "场次", "人天", "课时", "合计", "总计", "总额",
           "总金额", "合同金额", "总投入", "共需", "每月", "每季度", "每年", "预算", "资金", "财政资金", "a", "😀"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_the_scanner_reads_what_the_python_reading_reads(text: str) -> None:
    assert _c(text) == _python(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_any_text_reads_alike(text: str) -> None:
    assert _c(text) == _python(text)


@pytest.mark.parametrize("text", [
    "", "5", "5万", "5万。", "3千%", "1.5.3万元", "三2三元", "三2三名", "一元", "一名", "两家", "一万元",
    "十二万五千名",
    "零元", "0.00元", "0.00万元", "每月约6万张，全年72万张", "合计152240元", "单价300元/台", "二十亿名",
    "九千九百九十九万九千九百九十九亿零一名", "5 万 元", "5  余名", "3千5名", "12.千元", "满意率96%以上",
    "每季度1次", "1.5千瓦时", "年.5元", "\n5万元", "预算，5元", "x" * 30 + "合计5元",
])
def test_edge_cases_read_alike(text: str) -> None:
    assert _c(text) == _python(text)


def test_the_corpus_goals_read_alike() -> None:
    from bench.generate import iter_tables

    from jixiao.io.reading import read_bytes

    corpus = "\n".join(text for _, text in iter_tables(200, seed=5)) + "\n"
    goals = [r.table.annual_goal for r in read_bytes(corpus.encode(), "corpus.txt")
             if r.table is not None and r.table.annual_goal]
    assert len(goals) > 150
    mentions = 0
    for goal in goals:
        assert _c(goal) == _python(goal)
        mentions += len(textnum.extract_python(goal))
    assert mentions > len(goals)  # the goals hold figures: not a comparison of empty tuples


# Put first in a child interpreter: the scanner cannot be imported, as where it is not built.
_WITHOUT_SCANNER = """
import importlib.abc, sys
class NoScanner(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "jixiao.rules._goalscan":
            raise ImportError("not built")
        return None
sys.meta_path.insert(0, NoScanner())
"""


def _child(code: str, without_scanner: bool) -> str:
    source = (_WITHOUT_SCANNER if without_scanner else "") + code
    child = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, cwd=ROOT,
                           timeout=300, check=False)
    assert child.returncode == 0, child.stderr[-2000:]
    return child.stdout


def test_extract_uses_the_scanner_when_it_is_built_and_python_otherwise() -> None:
    _native()
    probe = "from jixiao.rules import textnum; print(textnum._native_extract is not None)"
    assert _child(probe, without_scanner=False).strip() == "True"
    assert _child(probe, without_scanner=True).strip() == "False"


_REVIEW = ("import json; from tests.test_rules_compiled import reviewed; "
           "print(json.dumps(reviewed(), ensure_ascii=False))")


def test_reviews_with_the_scanner_and_with_the_python_reading_alike() -> None:
    """The same tables (rule cases, a generated corpus) reviewed in both modes, whatever this process runs."""
    _native()
    with_scanner = _child(_REVIEW, without_scanner=False)
    assert with_scanner == _child(_REVIEW, without_scanner=True)
    assert with_scanner.count('"T00') > 50  # the goal rules fire: not a comparison of nothing
