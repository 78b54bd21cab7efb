"""The 自评报告 (project self-evaluation report), drafted from the scored data with every figure traced (issue 18).

The usual outline — 基本情况, 绩效目标完成情况, 偏差分析, 存在问题, 改进措施, 结果应用 — is written from a project's
data-first score dict (``scoring.report.scores_to_dict``, or a stored self-evaluation's ``result``). Every
figure in the text (amounts, rates, targets, actuals, scores) is a :class:`Figure` that carries a
:class:`Trace` naming the table, the row and the field it came from; the rendered report numbers them and
lists them under 数据来源. What only the unit can write (background, reasons not given, problems, measures) is a
:class:`ToWrite` placeholder, shown as such and never invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True, slots=True)
class Trace:
    table: str  # e.g. "实际完成值 actuals.csv" or "自评填报第 3 号"
    row: str  # e.g. "第 4 行（指标“纸张使用量”）"
    field: str  # the Chinese label: 实际完成值, 指标值, 全年预算数, 得分 …
    value: str  # the figure as stored


@dataclass(frozen=True, slots=True)
class Figure:
    text: str  # as printed (the value with its unit)
    trace: Trace


@dataclass(frozen=True, slots=True)
class ToWrite:
    prompt: str  # what the unit must write here


Run = str | Figure | ToWrite


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    paragraphs: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]

    def traces(self) -> list[Trace]:
        """Every figure's trace in reading order: the numbers the rendered report gives them."""
        return [run.trace for section in self.sections for paragraph in section.paragraphs for run in paragraph
                if isinstance(run, Figure)]


@dataclass(frozen=True, slots=True)
class Sources:
    """Where the parts of the score dict came from, in words, with rows when a file was read."""

    target: str  # "绩效目标表 seed.txt" or "已批准的绩效目标表（第 2 版）"
    actuals: str
    budget: str
    target_lines: Mapping[int, int] = field(default_factory=dict)  # indicator index → line of the target file
    actual_rows: Mapping[int, int] = field(default_factory=dict)  # indicator index → row of the actuals file
    budget_row: int | None = None


def build_report(project: Mapping[str, Any], sources: Sources, results_use: Sequence[Run] | None = None) -> Report:
    """The report of one project. ``results_use``: the region's 结果应用 sentence for its grade (its figures traced)."""
    name = project.get("project_name") or project.get("project_code") or "（未命名项目）"
    code = project.get("project_code") or ""
    sections = (_basics(project, sources), _achievement(project, sources), _deviations(project, sources),
                Section("四、存在问题", ((ToWrite("项目实施和管理中存在的主要问题（由单位填写）"),),)),
                Section("五、改进措施", ((ToWrite("针对上述问题和偏差的改进措施（由单位填写）"),),)),
                _use(project, sources, results_use))
    return Report(f"{name}绩效自评报告", f"项目编码 {code}" if code else "", sections)


def _money(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")
    except InvalidOperation:
        return None


def _rate(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        percent = Decimal(str(value)) * 100
    except InvalidOperation:
        return None
    return format(percent.quantize(Decimal("0.01")), "f").rstrip("0").rstrip(".")


def _header(sources: Sources, label: str, value: Any) -> Figure:
    """A header field of the target table, named as printed (codes and names carry digits: traced too)."""
    return Figure(str(value), Trace(sources.target, "表头", label, str(value)))


def _budget_trace(sources: Sources, label: str, value: str) -> Trace:
    row = f"第 {sources.budget_row} 行" if sources.budget_row else "预算执行"
    return Trace(sources.budget, row, label, value)


def _basics(project: Mapping[str, Any], sources: Sources) -> Section:
    execution = project.get("execution") or {}
    runs: list[Run] = [_header(sources, "项目名称", project.get("project_name")) if project.get("project_name")
                       else "本项目"]
    if project.get("unit"):
        runs += ["由", _header(sources, "实施单位", project["unit"]), "实施"]
    if project.get("department"):
        runs += ["，主管部门为", _header(sources, "主管部门", project["department"])]
    runs.append("。")
    money: list[Run] = []
    for key, label in (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数")):
        shown = _money(execution.get(key))
        if shown is not None:
            money += [f"{label} ", Figure(f"{shown} 万元", _budget_trace(sources, label, str(execution[key]))), "，"]
    rate = _rate(execution.get("rate"))
    if rate is not None:
        money += ["预算执行率 ", Figure(f"{rate}%", _budget_trace(sources, "预算执行率（全年执行数 ÷ 全年预算数）",
                                                               str(execution["rate"])))]
        if execution.get("score") is not None:
            money += ["，得 ", Figure(f"{execution['score']} 分", _budget_trace(sources, "预算执行率得分",
                                                                          str(execution["score"])))]
            if execution.get("weight") is not None:
                policy = (execution.get("explanation") or {}).get("profile") or ""
                money += ["（满分 ", Figure(f"{execution['weight']} 分", Trace(f"自评计分配置 {policy}".strip(),
                                                                            "预算执行率", "分值",
                                                                            str(execution["weight"]))), "）"]
        money.append("。")
    elif not money:
        money = [ToWrite("年初预算数、全年预算数和全年执行数（未填报预算执行情况）")]
    goal: list[Run] = []
    if project.get("annual_goal"):
        goal = ["项目年度目标：", Figure(f"“{project['annual_goal']}”",
                                      Trace(sources.target, "表头", "年度总体目标", str(project["annual_goal"])))]
    paragraphs = [tuple(runs + money), (ToWrite("项目背景、主要内容、资金来源和管理情况（由单位填写）"),)]
    if goal:
        paragraphs.insert(1, tuple(goal))
    return Section("一、基本情况", tuple(paragraphs))


def _indicator_row(sources: Sources, item: Mapping[str, Any], file_rows: Mapping[int, int]) -> str:
    index = int(item.get("index", 0))
    at = f"第 {file_rows[index]} 行，" if index in file_rows else ""
    return f"{at}第 {index + 1} 个指标“{item.get('name') or ''}”"


def _achievement(project: Mapping[str, Any], sources: Sources) -> Section:
    indicators: Sequence[Mapping[str, Any]] = project.get("indicators") or []
    head: list[Run] = ["共设 ", Figure(f"{len(indicators)} 个", Trace(sources.target, "指标表", "三级指标个数",
                                                                    str(len(indicators)))), "三级指标。"]
    if project.get("total") is not None:
        head += ["自评总分 ", Figure(f"{project['total']} 分", Trace(sources.actuals, "合计", "总分",
                                                                str(project["total"])))]
        head += [f"，等级“{project.get('grade')}”。" if project.get("grade") else "。"]
    paragraphs: list[tuple[Run, ...]] = [tuple(head)]
    for item in indicators:
        unit = item.get("unit_of_measure") or ""
        target_row = _indicator_row(sources, item, sources.target_lines)
        actual_row = _indicator_row(sources, item, sources.actual_rows)
        runs: list[Run] = [f"“{item.get('name')}”（{item.get('level1') or ''}／{item.get('level2') or ''}）：目标值 "]
        if item.get("target") is not None:
            runs.append(Figure(f"{item.get('operator') or ''}{item['target']}{unit}",
                               Trace(sources.target, target_row, "指标值", str(item["target"]))))
        else:
            runs.append("（未设）")
        runs.append("，实际完成 ")
        actual = item.get("actual") if item.get("actual") is not None else item.get("grade")
        if actual is not None:
            runs.append(Figure(f"{actual}{unit if item.get('actual') is not None else ''}",
                               Trace(sources.actuals, actual_row, "实际完成值", str(actual))))
        else:
            runs.append(ToWrite("实际完成值（未填报）"))
        if item.get("score") is not None:
            runs += ["，得 ", Figure(f"{item['score']} 分", Trace(sources.actuals, actual_row, "得分",
                                                               str(item["score"])))]
            if item.get("weight") is not None:
                runs += ["（分值 ", Figure(f"{item['weight']} 分", Trace(sources.target, target_row, "分值",
                                                                       str(item["weight"]))), "）"]
        runs.append("。")
        paragraphs.append(tuple(runs))
    return Section("二、绩效目标完成情况", tuple(paragraphs))


def _lost(item: Mapping[str, Any]) -> bool:
    try:
        return Decimal(str(item.get("lost") or 0)) > 0
    except InvalidOperation:
        return False


def _deviations(project: Mapping[str, Any], sources: Sources) -> Section:
    paragraphs: list[tuple[Run, ...]] = []
    execution = project.get("execution") or {}
    if execution.get("needs_reason"):
        runs: list[Run] = ["预算执行率未达到要求。原因："]
        runs.append(Figure(f"“{execution['reason']}”", _budget_trace(sources, "偏差原因", str(execution["reason"])))
                    if execution.get("reason") else ToWrite("预算执行偏差的原因（单位未填写）"))
        paragraphs.append(tuple(runs))
    for item in project.get("indicators") or []:
        if not (_lost(item) or item.get("needs_reason")):
            continue
        row = _indicator_row(sources, item, sources.actual_rows)
        runs = [f"“{item.get('name')}”"]
        if _lost(item):
            runs += ["失 ", Figure(f"{item['lost']} 分", Trace(sources.actuals, row, "失分（分值 − 得分）",
                                                             str(item["lost"])))]
        else:
            runs.append("超出目标较多")
        runs.append("。偏差原因：")
        reason = item.get("deviation_reason")
        runs.append(Figure(f"“{reason}”", Trace(sources.actuals, row, "偏差原因分析及改进措施", str(reason))) if reason
                    else ToWrite("该指标偏差的原因（单位未填写）"))
        paragraphs.append(tuple(runs))
    if not paragraphs:
        paragraphs.append(("各项指标均已达成，预算执行率符合要求，无需说明的偏差。",))
    return Section("三、偏差分析", tuple(paragraphs))


def _use(project: Mapping[str, Any], sources: Sources, results_use: Sequence[Run] | None) -> Section:
    if results_use:
        return Section("六、结果应用", (tuple(results_use), (ToWrite("单位对自评结果的应用安排（由单位填写）"),)))
    return Section("六、结果应用", ((ToWrite("自评结果的应用：整改、预算调整和下年绩效目标的完善（由单位填写）"),),))
