"""A project's indicators across fiscal years: what each year set and what it achieved.

Built by the caller (``services.project_history``) from stored versions and self-evaluations and handed to
the review as data (rules P007–P010), like :class:`jixiao.domain.comparable.ComparableRange`: a rule never asks
storage what last year's table said.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jixiao.domain.indicator import Operator, parse_operator


class YearPoint(msgspec.Struct, frozen=True, gc=False):
    """One indicator in one fiscal year: its target (operator, number, unit), actual, score and whether met."""

    year: int
    operator: str | None = None
    target: Decimal | None = None
    target_text: str | None = None
    unit: str | None = None
    actual: Decimal | None = None
    actual_text: str | None = None
    score: Decimal | None = None
    weight: Decimal | None = None
    met: bool | None = None  # None: not evaluated (no self-evaluation that year, or a 定性 indicator)


class IndicatorHistory(msgspec.Struct, frozen=True):
    """One indicator of a project over its past years, oldest first (this year's table is not in ``years``)."""

    name: str
    unit: str | None
    years: tuple[YearPoint, ...]

    def last(self) -> YearPoint | None:
        return self.years[-1] if self.years else None


class ProjectHistory(msgspec.Struct, frozen=True):
    """What the review of one table knows of its project's past.

    ``year`` is the table's own fiscal year; ``rows`` the history of the table's indicator rows (by row index,
    matched by name and unit); ``missing`` last year's indicators that no row of this table continues.
    """

    year: int
    rows: dict[int, IndicatorHistory] = msgspec.field(default_factory=dict)
    missing: tuple[IndicatorHistory, ...] = ()


def is_met(operator: str | None, target: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether ``actual`` meets ``target`` under the operator (≥ > ≤ < =); None when it cannot be told."""
    if target is None or actual is None:
        return None
    kind = parse_operator(operator)
    if kind is Operator.GE:
        return actual >= target
    if kind is Operator.GT:
        return actual > target
    if kind is Operator.LE:
        return actual <= target
    if kind is Operator.LT:
        return actual < target
    if kind is Operator.EQ:
        return actual == target
    return None


def more_is_better(operator: str | None) -> bool | None:
    """≥/> say more is better (True), ≤/< less (False); = and 定性 say nothing (None)."""
    kind = parse_operator(operator)
    if kind in (Operator.GE, Operator.GT):
        return True
    if kind in (Operator.LE, Operator.LT):
        return False
    return None
