"""Score whole projects: execution rate plus every indicator, total and grade."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.domain import TargetTable
from jixiao.scoring.execution import score_execution
from jixiao.scoring.indicators import score_indicator
from jixiao.scoring.model import Actual, Budget, ProjectScore, money, show
from jixiao.scoring.policy import ScoringPolicy


def score_project(table: TargetTable, actuals: Mapping[int, Actual], budget: Budget | None,
                  policy: ScoringPolicy) -> ProjectScore:
    """``actuals`` maps indicator positions to what the unit reported."""
    execution = score_execution(budget, policy, table.execution_weight)
    indicators = tuple(score_indicator(index, item, actuals.get(index), policy)
                       for index, item in enumerate(table.indicators))
    parts = [execution.score, *(item.score for item in indicators)]
    total = money(sum((part for part in parts if part is not None), Decimal(0)))
    warnings: list[str] = []
    unscored = sum(1 for part in parts if part is None)
    if unscored:
        warnings.append(f"有 {unscored} 项未能计分，总分按 0 分计入，须补充后重新计算")
    weights = [item.weight for item in indicators if item.weight is not None]
    total_weight = sum(weights, Decimal(0)) + execution.weight
    if weights and total_weight != 100:
        warnings.append(f"执行率权重与指标权重合计为 {show(total_weight)}，不是 100，总分不是百分制")
    return ProjectScore(table, execution, indicators, total, policy.grade(total), tuple(warnings))
