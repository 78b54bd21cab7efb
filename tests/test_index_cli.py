"""``jixiao index-system`` as a finance officer or an evaluation agency runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_list_and_check_the_shipped_templates() -> None:
    listed = run("index-system", "list")
    assert listed.returncode == 0 and "事前绩效评估" in listed.stdout
    checked = run("index-system", "check", "ex-ante")
    assert checked.returncode == 0 and "通过" in checked.stdout and "立项必要性 25" in checked.stdout


def test_a_copied_template_with_broken_weights_is_refused_naming_the_indicator(tmp_path: Path) -> None:
    copy = tmp_path / "本地.toml"
    assert run("index-system", "template", "project-evaluation", "-o", str(copy)).returncode == 0
    edited = copy.read_text("utf-8").replace('name = "资金到位率"\nweight = 3', 'name = "资金到位率"\nweight = 2')
    copy.write_text(edited,
                    "utf-8")
    refused = run("index-system", "check", str(copy))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "[index-weight-sum] 二级指标“过程／资金管理”分值为 12，其下三级指标合计 11" in refused.stderr
    assert "本地.toml" in refused.stderr


def test_score_prints_every_indicators_arithmetic_and_the_grade(tmp_path: Path) -> None:
    entries = tmp_path / "评分.toml"
    entries.write_text('[B11]\nnumerator = 950\ndenominator = 1000\n[[E12]]\npoints = 6\nreason = "方式适当"\n'
                       '[[E12]]\npoints = 2\nreason = "应改为贴息"\n', "utf-8")
    done = run("index-system", "score", "ex-ante", str(entries), "--format", "json")
    data = json.loads(done.stdout)
    assert done.returncode == 1  # most indicators were not scored: said, and counted 0
    assert data["unscored"][:2] == ["A11", "A12"] and data["disagreements"] == ["E12"]
    e12 = next(item for item in data["indicators"] if item["code"] == "E12")
    assert e12["score"] == "4" and "(2 + 6) ÷ 2 = 4" in e12["combined"]
    assert data["total"] == "4" and data["grade"] == "差"
    wrong = run("index-system", "score", "project-evaluation", str(entries))
    assert wrong.returncode == 1 and "[E12]：指标体系中没有这个指标编码" in wrong.stderr
