"""A whole score sheet (评分表) over an index system: every indicator, the experts combined, totals and grade.

Each indicator is scored by each expert who entered something (:func:`score_indicator`); the experts'
scores combine by :func:`aggregate` (mean or trimmed, with a disagreement flag); the first- and second-
level subtotals and the total add up the combined scores; the grade comes from the profile's bands. An
indicator nobody could score counts 0 in the total and is listed in ``unscored`` with the reasons, so
the sheet is never silently short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.index_system import EvaluationSettings, IndexIndicator, IndexSystem, IndicatorEntry
from jixiao.domain.score_formulas import ZERO, money
from jixiao.scoring.index_methods import Aggregate, IndexScore, aggregate, score_indicator


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    indicator: IndexIndicator
    by_expert: tuple[IndexScore, ...]  # one per expert who entered something, in the order given
    combined: Aggregate | None  # None: no expert's entry could be scored

    @property
    def score(self) -> Decimal:
        return self.combined.score if self.combined else ZERO

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"第 {number} 位评价人：{item.problem}" if len(self.by_expert) > 1 else item.problem
                     for number, item in enumerate(self.by_expert, 1) if item.problem)


@dataclass(frozen=True, slots=True)
class SheetScore:
    system: IndexSystem
    indicators: tuple[IndicatorResult, ...]
    subtotals: tuple[tuple[str, str | None, Decimal, Decimal], ...]  # (level1, level2 or None, score, weight)
    total: Decimal
    grade: str
    unscored: tuple[IndicatorResult, ...]
    disagreements: tuple[IndicatorResult, ...]


def score_sheet(system: IndexSystem, entries: Mapping[str, Sequence[IndicatorEntry]],
                settings: EvaluationSettings) -> SheetScore:
    """Score every indicator of ``system`` from ``entries`` (code → one entry per expert)."""
    results = []
    for indicator in system.indicators:
        scored = tuple(score_indicator(indicator, entry) for entry in entries.get(indicator.code, ()))
        usable = [item.score for item in scored if item.score is not None]
        results.append(IndicatorResult(indicator, scored, aggregate(usable, indicator.weight, settings)))
    subtotals: list[tuple[str, str | None, Decimal, Decimal]] = []
    for name in system.level1_names():
        subtotals.append((name, None, _sum(results, name, None), system.weight_of(name)))
        for level in system.levels:
            if level.parent == name:
                subtotals.append((name, level.name, _sum(results, name, level.name), system.weight_of(name,
                                                                                                      level.name)))
    total = money(sum((result.score for result in results), ZERO))
    return SheetScore(system, tuple(results), tuple(subtotals), total, settings.grade(total),
                      tuple(result for result in results if result.combined is None),
                      tuple(result for result in results if result.combined and result.combined.disagreement))


def _sum(results: Sequence[IndicatorResult], level1: str, level2: str | None) -> Decimal:
    return money(sum((result.score for result in results if result.indicator.level1 == level1
                      and (level2 is None or result.indicator.level2 == level2)), ZERO))
