"""Mid-year monitoring (运行监控, 双监控): traffic lights for spending and for every indicator.

domain.md §4 (practice; there is no national formula):
- spending: v = cumulative execution rate ÷ (month ÷ 12);
- 正向 and = indicators: v = actual to date ÷ (annual target × month ÷ 12); blue when the actual
  to date already reaches ``blue_at`` × the annual target; red when nothing is done yet;
- 反向 indicators (our choice, documented): v = target ÷ the current level, so staying at or
  under the target is green and exceeding it turns yellow, then red;
- rates (unit %) are levels, not amounts that accrue: v = current level ÷ target (our choice);
- 定性: the chosen grade gives green / yellow / red.
Red below ``red_below``, yellow below ``yellow_below``, green otherwise. Yellow and red need a
deviation reason and a likelihood of completion (确定能 / 有可能 / 完全不可能).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.domain import Indicator, Operator, TargetTable
from jixiao.domain.reported import LIKELIHOODS as LIKELIHOODS  # re-exported for the monitoring form
from jixiao.scoring.model import IndicatorMonitor as IndicatorMonitor  # the result types live in the model
from jixiao.scoring.model import Light as Light
from jixiao.scoring.model import Progress as Progress
from jixiao.scoring.model import ProjectMonitor as ProjectMonitor
from jixiao.scoring.model import Signal as Signal
from jixiao.scoring.model import SpendingToDate as SpendingToDate
from jixiao.scoring.model import show
from jixiao.scoring.model import worst as worst
from jixiao.scoring.policy import QualitativeGrade, ScoringPolicy, parse_grade

_PERCENT = Decimal(100)


def _band(ratio: Decimal, policy: ScoringPolicy) -> Light:
    red, yellow = policy.monitoring_bands
    return Light.RED if ratio < red else Light.YELLOW if ratio < yellow else Light.GREEN


def _pct(value: Decimal) -> str:
    return f"{show((value * _PERCENT).quantize(Decimal('0.01')))}%"


def spending_signal(spending: SpendingToDate | None, month: int, policy: ScoringPolicy) -> Signal:
    formula = "v = 累计执行率 ÷ (月份 ÷ 12)"
    if spending is None or spending.adjusted is None or spending.executed is None or spending.adjusted <= 0:
        return Signal(Light.UNKNOWN, None, formula, "缺少全年预算数或累计执行数")
    rate = spending.executed / spending.adjusted
    elapsed = Decimal(month) / 12
    ratio = rate / elapsed
    arithmetic = (f"{show(spending.executed)} ÷ {show(spending.adjusted)} = {_pct(rate)}；"
                  f"{_pct(rate)} ÷ ({month} ÷ 12) = {_pct(ratio)}")
    return Signal(_band(ratio, policy), ratio, formula, arithmetic)


def indicator_signal(item: Indicator, progress: Progress | None, month: int, policy: ScoringPolicy) -> Signal:
    kind = item.operator_kind
    if progress is None or progress.to_date is None:
        return Signal(Light.UNKNOWN, None, "—", "没有填报累计完成值")
    if kind is Operator.QUALITATIVE:
        grade = parse_grade(progress.to_date.text)
        light = {QualitativeGrade.ACHIEVED: Light.GREEN, QualitativeGrade.PARTLY: Light.YELLOW,
                 QualitativeGrade.NOT_ACHIEVED: Light.RED}.get(grade, Light.UNKNOWN) if grade else Light.UNKNOWN
        return Signal(light, None, "定性：达成 绿，部分达成 黄，未达成 红", f"填报“{progress.to_date.text}”")
    target = item.current_target or item.target
    a, b = (target.number if target else None), progress.to_date.number
    if a is None or b is None:
        return Signal(Light.UNKNOWN, None, "—", "指标值或累计完成值不是数字")
    if kind in (Operator.LE, Operator.LT):
        formula = "反向：v = 指标值 ÷ 当前水平（不超过目标为绿）"
        if b <= a:
            return Signal(Light.GREEN, Decimal(1), formula, f"当前 {show(b)} ≤ 目标 {show(a)}")
        ratio = a / b if b else Decimal(0)
        return Signal(_band(ratio, policy), ratio, formula, f"{show(a)} ÷ {show(b)} = {_pct(ratio)}")
    if (item.unit_of_measure or "").strip() in ("%", "％"):
        # A rate (满意度, 合格率) is a level, not an amount that accrues month by month.
        formula = "比率类：v = 当前水平 ÷ 指标值"
        if a <= 0:
            return Signal(Light.GREEN, None, formula, f"目标为 {show(a)}，当前 {show(b)}")
        ratio = b / a
        return Signal(_band(ratio, policy), ratio, formula, f"{show(b)} ÷ {show(a)} = {_pct(ratio)}")
    formula = "正向：v = 累计完成值 ÷ (年度指标值 × 月份 ÷ 12)"
    if a > 0 and b >= a * policy.monitoring_blue:
        return Signal(Light.BLUE, b / a, formula,
                      f"累计 {show(b)} 已达年度目标 {show(a)} 的 {_pct(b / a)}，目标可能偏低")
    if b == 0:
        return Signal(Light.RED, Decimal(0), formula, "累计完成值为 0")
    if a == 0:
        return Signal(Light.GREEN, None, formula, f"目标为 0，累计 {show(b)}")
    expected = a * Decimal(month) / 12
    ratio = b / expected
    shown = show(expected.quantize(Decimal("0.01")))
    return Signal(_band(ratio, policy), ratio, formula,
                  f"{show(b)} ÷ ({show(a)} × {month} ÷ 12 = {shown}) = {_pct(ratio)}")


def monitor_project(table: TargetTable, progress: Mapping[int, Progress], spending: SpendingToDate | None,
                    month: int, policy: ScoringPolicy) -> ProjectMonitor:
    rows = []
    for index, item in enumerate(table.indicators):
        given = progress.get(index)
        signal = indicator_signal(item, given, month, policy)
        missing: list[str] = []
        if signal.light in (Light.YELLOW, Light.RED):
            if given is None or not given.reason:
                missing.append("偏差原因")
            if given is None or given.likelihood not in LIKELIHOODS:
                missing.append("完成可能性")
        rows.append(IndicatorMonitor(index, item.name, given, signal, tuple(missing)))
    return ProjectMonitor(table, month, spending_signal(spending, month, policy), tuple(rows))


def _signal(signal: Signal) -> dict[str, object]:
    return {"light": signal.light.value, "ratio": None if signal.ratio is None else show(signal.ratio.quantize(
        Decimal("0.0001"))), "formula": signal.formula, "arithmetic": signal.arithmetic}


def monitors_to_dict(projects: list[ProjectMonitor], policy: ScoringPolicy) -> dict[str, object]:
    """The monitoring report as plain data: the JSON every renderer starts from."""
    out = []
    for project in projects:
        table = project.table
        rows = []
        for item in project.indicators:
            source = table.indicators[item.index]
            target = source.current_target or source.target
            given = item.progress
            rows.append({
                "index": item.index, "level1": source.level1, "name": item.name, "operator": source.operator,
                "target": target.text if target else None, "unit_of_measure": source.unit_of_measure,
                "to_date": given.to_date.text if given and given.to_date else None,
                "forecast": given.forecast.text if given and given.forecast else None,
                "reason": given.reason if given else None, "likelihood": given.likelihood if given else None,
                **_signal(item.signal), "missing": list(item.missing),
            })
        out.append({
            "project_code": table.project_code, "project_name": table.project_name, "label": table.label(),
            "month": project.month, "spending": _signal(project.spending),
            "indicator_light": project.indicator_light.value, "indicators": rows,
            "attention": [item.index for item in project.attention],
        })
    red, yellow = policy.monitoring_bands
    return {"format": "jixiao.monitoring", "version": 1,
            "profile": {"name": policy.profile, "version": policy.version},
            "bands": {"red_below": show(red), "yellow_below": show(yellow), "blue_at": show(policy.monitoring_blue)},
            "projects": out}
