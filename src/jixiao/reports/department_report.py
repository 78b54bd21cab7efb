"""A department's 自评综合报告 over its projects of a year, drafted with every figure traced (issue 18).

The outline follows the project report (:mod:`jixiao.reports.selfeval_report`): 基本情况, 绩效目标完成情况,
偏差分析, 存在问题, 改进措施, 结果应用, and an appendix with one paragraph per project. A figure of one project is
traced to its stored self-evaluation (自评填报第 N 号, the field); a sum, a rate or an average names the
appendix rows it is computed from and the arithmetic, so a reader can check it by hand. What only the
department can write is a :class:`~jixiao.reports.selfeval_report.ToWrite` placeholder.

The input is the data-first dict of ``services.department_reports.department_summary``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.reports.selfeval_report import Figure, Report, Run, Section, ToWrite, Trace

GRADES = ("优", "良", "中", "差")
APPENDIX = "附：各项目自评情况"


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(value: Decimal, places: str = "0.01") -> str:
    return format(value.quantize(Decimal(places)), "f")


def _record(project: Mapping[str, Any]) -> str:
    return f"项目“{project['name']}”自评填报第 {project['record']} 号"


def _own(project: Mapping[str, Any], field: str, label: str, text: str) -> Figure:
    """A figure of one project, as its self-evaluation stored it."""
    return Figure(text, Trace(_record(project), "合计" if field == "total" else "预算执行", label,
                              str(project[field])))


def _name(project: Mapping[str, Any]) -> Figure:
    """A project's name as its table prints it (names carry digits: traced too)."""
    return Figure(f"“{project['name']}”", Trace(_record(project), "表头", "项目名称", str(project["name"])))


def _rows_of(projects: Sequence[Mapping[str, Any]]) -> str:
    """Which appendix paragraphs a computed figure is made of (1-based, as printed there)."""
    numbers = [str(project["number"]) for project in projects]
    if not numbers:
        return f"{APPENDIX}（无）"
    shown = "、".join(numbers) if len(numbers) <= 12 else f"{numbers[0]}–{numbers[-1]} 中的 {len(numbers)} 项"
    return f"{APPENDIX}第 {shown} 项"


def _sum(projects: Sequence[Mapping[str, Any]], field: str) -> tuple[Decimal, list[Mapping[str, Any]]]:
    having = [project for project in projects if _decimal(project.get(field)) is not None]
    return sum((_decimal(project[field]) or Decimal(0) for project in having), Decimal(0)), having


def build_department_report(summary: Mapping[str, Any], results_use: Sequence[Sequence[Run]] = ()) -> Report:
    """The report of ``summary`` (a department's year). ``results_use``: one sentence per grade present that the
    region's 结果应用 rules map (their figures traced to the profile), from ``services``."""
    evaluated: list[Mapping[str, Any]] = [p for p in summary["projects"] if p.get("record") is not None]
    sections = (_basics(summary, evaluated), _achievement(summary, evaluated), _deviations(evaluated),
                Section("四、存在问题", ((ToWrite("本部门项目实施和绩效管理中存在的主要问题（由部门填写）"),),)),
                Section("五、改进措施", ((ToWrite("针对上述问题的改进措施和下一步工作安排（由部门填写）"),),)),
                _use(results_use), _appendix(summary["projects"]))
    title = f"{summary['department']}{summary['year']}年度项目支出绩效自评综合报告"
    return Report(title, f"主管部门编码 {summary['department_code']}", sections)


def _basics(summary: Mapping[str, Any], evaluated: Sequence[Mapping[str, Any]]) -> Section:
    projects = summary["projects"]
    listing = Trace(f"{summary['department']}{summary['year']}年度项目", _rows_of(projects), "项目个数",
                    str(len(projects)))
    runs: list[Run] = [f"{summary['year']} 年度，{summary['department']}所属单位共有项目 ",
                       Figure(f"{len(projects)} 个", listing), "，其中已提交自评的 ",
                       Figure(f"{len(evaluated)} 个", Trace(f"{summary['department']}{summary['year']}年度项目",
                                                           _rows_of(evaluated), "已自评项目个数", str(len(evaluated)))),
                       "。"]
    adjusted, with_budget = _sum(evaluated, "adjusted")
    executed, with_spent = _sum(evaluated, "executed")
    if with_budget:
        runs += ["已自评项目全年预算数合计 ", Figure(f"{_plain(adjusted)} 万元", Trace(
            _rows_of(with_budget), "各项“全年预算数”", "全年预算数之和（万元）", _plain(adjusted)))]
    if with_spent:
        runs += ["，全年执行数合计 ", Figure(f"{_plain(executed)} 万元", Trace(
            _rows_of(with_spent), "各项“全年执行数”", "全年执行数之和（万元）", _plain(executed)))]
    both = [project for project in with_budget if project in with_spent]
    if both and adjusted:
        base = sum((_decimal(p["adjusted"]) or Decimal(0) for p in both), Decimal(0))
        spent = sum((_decimal(p["executed"]) or Decimal(0) for p in both), Decimal(0))
        if base:
            rate = spent / base * 100
            runs += ["，总体预算执行率 ", Figure(f"{_plain(rate)}%", Trace(
                _rows_of(both), "各项“全年执行数”“全年预算数”",
                f"总体预算执行率（{_plain(spent)} ÷ {_plain(base)} × 100%）", _plain(rate)))]
    runs.append("。" if with_budget or with_spent else "已自评项目均未填报预算执行情况。")
    return Section("一、基本情况", (tuple(runs), (ToWrite("部门职能、项目总体安排和绩效管理工作情况（由部门填写）"),)))


def _achievement(summary: Mapping[str, Any], evaluated: Sequence[Mapping[str, Any]]) -> Section:
    scored = [project for project in evaluated if _decimal(project.get("total")) is not None]
    if not scored:
        return Section("二、绩效目标完成情况", (("本年度尚无已计分的自评。",),))
    total = sum((_decimal(p["total"]) or Decimal(0) for p in scored), Decimal(0))
    average = total / len(scored)
    runs: list[Run] = ["已计分的 ", Figure(f"{len(scored)} 个", Trace(_rows_of(scored), "各项“自评总分”",
                                                                   "已计分的项目个数", str(len(scored)))),
                       "项目自评平均分 ", Figure(f"{_plain(average)} 分", Trace(
        _rows_of(scored), "各项“自评总分”", f"平均分（{_plain(total)} ÷ {len(scored)}）", _plain(average))), "。"]
    counts = [(grade, [p for p in scored if p.get("grade") == grade]) for grade in GRADES]
    shown = [(grade, having) for grade, having in counts if having]
    if shown:
        runs.append("其中")
        for index, (grade, having) in enumerate(shown):
            runs += ["、" if index else "", f"“{grade}”", Figure(f"{len(having)} 个", Trace(
                _rows_of(having), "各项“自评等级”", f"等级为“{grade}”的项目个数", str(len(having))))]
        runs.append("。")
    best = max(scored, key=lambda p: (_decimal(p["total"]) or Decimal(0), p["code"]))
    worst = min(scored, key=lambda p: (_decimal(p["total"]) or Decimal(0), p["code"]))
    extremes: list[Run] = ["得分最高的是", _name(best), "（",
                           _own(best, "total", "自评总分", f"{best['total']} 分"), "）"]
    if worst is not best:
        extremes += ["，最低的是", _name(worst), "（", _own(worst, "total", "自评总分", f"{worst['total']} 分"), "）"]
    extremes.append("。")
    return Section("二、绩效目标完成情况", (tuple(runs), tuple(extremes)))


def _deviations(evaluated: Sequence[Mapping[str, Any]]) -> Section:
    paragraphs: list[tuple[Run, ...]] = []
    low = [project for project in evaluated if project.get("grade") in ("中", "差")]
    for project in low:
        paragraphs.append((_name(project), f"自评等级“{project['grade']}”（",
                           _own(project, "total", "自评总分", f"{project['total']} 分"), "），失分原因：",
                           ToWrite("该项目失分的主要原因（由部门根据单位自评填写）")))
    slow = [project for project in evaluated if project.get("needs_reason")]
    for project in slow:
        rate = _decimal(project.get("rate"))
        shown = _own(project, "rate", "预算执行率", f"{_plain(rate * 100)}%") if rate is not None else "（未填报）"
        paragraphs.append((_name(project), "预算执行率 ", shown, " 未达到要求，原因：",
                           ToWrite("预算执行偏差的原因（由部门根据单位自评填写）")))
    if not paragraphs:
        paragraphs.append(("已自评项目均未评为“中”或“差”，预算执行率均符合要求。",))
    return Section("三、偏差分析", tuple(paragraphs))


def _use(results_use: Sequence[Sequence[Run]]) -> Section:
    paragraphs = [tuple(sentence) for sentence in results_use]
    paragraphs.append((ToWrite("本部门对自评结果的应用安排：整改、预算调整和下年绩效目标的完善（由部门填写）"),))
    return Section("六、结果应用", tuple(paragraphs))


def _appendix(projects: Sequence[Mapping[str, Any]]) -> Section:
    paragraphs: list[tuple[Run, ...]] = []
    for project in projects:
        code = Figure(project["code"], Trace(f"{project['department']}项目库", "项目", "项目编码", project["code"]))
        runs: list[Run] = [f"{project['number']}. ", _name(project), "（", code,
                           f"，{project['unit'] or '单位未知'}）："]
        if project.get("record") is None:
            runs.append("尚未提交自评。")
            paragraphs.append(tuple(runs))
            continue
        parts: list[list[Run]] = []
        for field, label in (("adjusted", "全年预算数"), ("executed", "全年执行数")):
            value = _decimal(project.get(field))
            if value is not None:
                parts.append([f"{label} ", _own(project, field, label, f"{_plain(value)} 万元")])
        if project.get("total") is not None:
            parts.append(["自评总分 ", _own(project, "total", "自评总分", f"{project['total']} 分")])
        if project.get("grade"):
            parts.append([f"等级“{project['grade']}”"])
        for index, part in enumerate(parts):
            runs += (["，"] if index else []) + part
        runs.append("。" if parts else "自评未填报金额和得分。")
        paragraphs.append(tuple(runs))
    if not paragraphs:
        paragraphs.append(("本年度没有项目。",))
    return Section(APPENDIX, tuple(paragraphs))
