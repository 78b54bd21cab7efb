"""The drafted 自评报告 (issue 18, item 3): every figure in its text is traced to a stored field and equals it;
what only the unit can write is left to be written. Built from the seed with the worked actuals, read back."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest

from jixiao.reports.selfeval_report import Figure, ToWrite
from jixiao.scoring.report import scores_to_dict
from jixiao.services import profiles
from jixiao.services.selfeval import score_files
from jixiao.services.selfeval_reports import files_report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
ACTUALS = ROOT / "tests" / "data" / "selfeval" / "actuals_good.csv"
BUDGET = ROOT / "tests" / "data" / "selfeval" / "budget_good.csv"
CODES = sorted({line.split(",")[0] for line in ACTUALS.read_text("utf-8-sig").splitlines()[1:] if line})
DIGITS = re.compile(r"\d")


def _scored() -> dict[str, dict[str, Any]]:
    policy = profiles.load(None).scoring
    run = score_files([SEED], ACTUALS, BUDGET, policy)
    return {project["project_code"]: project for project in scores_to_dict(run.projects, policy)["projects"]}


STORED_FIELDS = {"年初预算数": ("execution", "initial"), "全年预算数": ("execution", "adjusted"),
                 "全年执行数": ("execution", "executed"), "预算执行率（全年执行数 ÷ 全年预算数）": ("execution",
                                                                              "rate"),
                 "预算执行率得分": ("execution", "score"), "总分": ("total",), "年度总体目标": ("annual_goal",),
                 "项目名称": ("project_name",), "实施单位": ("unit",), "主管部门": ("department",)}
ROW_FIELDS = {"指标值": "target", "实际完成值": "actual", "得分": "score", "分值": "weight",
              "失分（分值 − 得分）": "lost", "偏差原因分析及改进措施": "deviation_reason"}


def _stored(project: dict[str, Any], figure: Figure) -> str:
    """The stored field a trace names, looked up in the scored data (not in the report)."""
    trace = figure.trace
    if trace.field in STORED_FIELDS:
        value: Any = project
        for key in STORED_FIELDS[trace.field]:
            value = value[key]
        return str(value)
    if trace.field == "分值" and trace.row == "预算执行率":
        return str(project["execution"]["weight"])
    if trace.field in ROW_FIELDS:
        index = int(re.search(r"第 (\d+) 个指标", trace.row).group(1)) - 1  # type: ignore[union-attr]
        return str(project["indicators"][index][ROW_FIELDS[trace.field]])
    if trace.field == "三级指标个数":
        return str(len(project["indicators"]))
    if trace.field == "依据":  # the profile's citation of its 结果应用 rule
        return str(profiles.load(None).results.by_grade[project["grade"]].source)
    raise AssertionError(f"a trace to a field the test does not know: {trace}")


@pytest.mark.parametrize("code", CODES)
def test_every_figure_is_traced_to_the_stored_field_it_equals(code: str) -> None:
    project = _scored()[code]
    report, content = files_report([SEED], ACTUALS, BUDGET, code, "docx")
    figures = 0
    for section in report.sections:
        for runs in section.paragraphs:
            for run in runs:
                if isinstance(run, Figure):
                    figures += 1
                    value = _stored(project, run)
                    assert run.trace.value == value, run
                    shown = run.text.replace("%", "")
                    if run.trace.field.startswith("预算执行率（"):
                        assert Decimal(shown) == Decimal(value) * 100
                    elif value not in run.text:  # a reformatted amount: "15" stored, "15.00 万元" printed
                        leading = re.match(r"[\d.]+", shown.lstrip("≥≤=<>＞＜"))
                        assert leading is not None and Decimal(leading.group()) == Decimal(value), run
                elif isinstance(run, str):
                    assert not DIGITS.search(run), f"a number not traced: {run!r}"
    assert figures == len(report.traces()) > 10
    # read back: the Word file says the same, each figure followed by its number, the sources listed
    paragraphs = [paragraph.text for paragraph in docx.Document(BytesIO(content)).paragraphs]
    start, sources = paragraphs.index("一、基本情况"), paragraphs.index("数据来源")
    body = [text for text in paragraphs[start:sources] if not re.fullmatch(r"[一二三四五六]、.*", text)]
    traced = [figure for section in report.sections for runs in section.paragraphs for figure in runs
              if isinstance(figure, Figure)]
    rest = "\n".join(body)
    for number, figure in enumerate(traced, 1):
        marked = f"{figure.text}[{number}]"
        assert marked in rest, marked
        rest = rest.replace(marked, "", 1)
    assert not DIGITS.search(rest.replace("【待填写：", "")), rest  # nothing numeric outside a traced figure
    assert paragraphs[sources + 1:] == [f"[{n}] {t.table}，{t.row}，“{t.field}”：{t.value}"
                                        for n, t in enumerate(report.traces(), 1)]


def test_what_only_the_unit_can_write_is_left_to_write_never_invented() -> None:
    projects = _scored()
    lacking = [code for code, p in projects.items()
               if any(i["needs_reason"] and not i["deviation_reason"] for i in p["indicators"])]
    missing_reason = lacking[0] if lacking else None
    report, content = files_report([SEED], ACTUALS, BUDGET, CODES[0], "docx")
    todo = {section.title: [run.prompt for runs in section.paragraphs for run in runs if isinstance(run, ToWrite)]
            for section in report.sections}
    assert todo["四、存在问题"] and todo["五、改进措施"] and todo["一、基本情况"]
    text = "\n".join(paragraph.text for paragraph in docx.Document(BytesIO(content)).paragraphs)
    assert "【待填写：项目实施和管理中存在的主要问题（由单位填写）】" in text
    if missing_reason is not None:
        drafted, _ = files_report([SEED], ACTUALS, BUDGET, missing_reason, "docx")
        deviations = next(section for section in drafted.sections if section.title == "三、偏差分析")
        assert any(isinstance(run, ToWrite) and "偏差的原因" in run.prompt for runs in deviations.paragraphs
                   for run in runs)


def test_a_project_that_cannot_be_scored_is_refused_in_chinese(tmp_path: Path) -> None:
    from jixiao.services.selfeval_reports import ReportRefused

    with pytest.raises(ReportRefused, match="项目“NOPE”无法计分，未生成自评报告"):
        files_report([SEED], ACTUALS, BUDGET, "NOPE", "docx")
    pdf = files_report([SEED], ACTUALS, BUDGET, CODES[0], "pdf")[1]
    assert pdf.startswith(b"%PDF")
