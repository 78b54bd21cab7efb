"""结果应用 as data (issue 18): how a region turns performance results into next year's budget actions.

Policy says results must change budgets ("对低效无效资金一律削减或取消") and each region publishes its rule,
e.g. 优 → 优先保障, 良 → 据实保障, 中 → 核减一定比例, 差 → 取消或暂停. A profile's ``[results]`` table maps
the self-evaluation (or 复核) grade, the monitoring light at the deadline and the audit's credibility signal
each to an action with its percentage and the source text of the rule; ``scoring.results_use`` applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class BudgetAction(StrEnum):
    """The actions, by their Chinese names as regions publish them."""

    PRIORITY = "优先保障"
    AS_NEEDED = "据实保障"
    CUT = "核减"
    SUSPEND = "暂停"
    CANCEL = "取消"
    INTERVIEW = "约谈"  # a talk with the unit: changes no amount, goes along with the others

    @property
    def severity(self) -> int:
        """How strict: the strictest action of several wins the amount (约谈 goes along, never wins)."""
        return {"优先保障": 0, "据实保障": 1, "约谈": 1, "核减": 2, "暂停": 3, "取消": 4}[self.value]


@dataclass(frozen=True, slots=True)
class ResultRule:
    """One mapping's action: ``percent`` is the 核减 share (10 means 10 %), ``source`` the rule's text."""

    action: BudgetAction
    percent: Decimal = Decimal(0)
    source: str = ""


_GUIDE = "《中共中央 国务院关于全面实施预算绩效管理的意见》（中发〔2018〕34号）：对低效无效资金一律削减或取消"
DEFAULT_BY_GRADE: dict[str, ResultRule] = {
    "优": ResultRule(BudgetAction.PRIORITY, source=_GUIDE),
    "良": ResultRule(BudgetAction.AS_NEEDED, source=_GUIDE),
    "中": ResultRule(BudgetAction.CUT, Decimal(10), _GUIDE),
    "差": ResultRule(BudgetAction.CANCEL, source=_GUIDE),
}
DEFAULT_BY_LIGHT: dict[str, ResultRule] = {
    "红": ResultRule(BudgetAction.CUT, Decimal(10), "运行监控截止时亮红灯的项目，按比例核减下年预算")}
DEFAULT_AUDIT_RULE: ResultRule = ResultRule(BudgetAction.INTERVIEW,
                                            source="公开的自评表经审计发现计算错误，约谈项目单位")


@dataclass(frozen=True, slots=True)
class ResultsPolicy:
    """A profile's ``[results]``: grade → rule, light → rule, and the audit signal's threshold and rule."""

    by_grade: Mapping[str, ResultRule] = field(default_factory=lambda: MappingProxyType(DEFAULT_BY_GRADE))
    by_light: Mapping[str, ResultRule] = field(default_factory=lambda: MappingProxyType(DEFAULT_BY_LIGHT))
    audit_errors_at_least: int | None = 1  # this many audit errors on the published 自评表 trigger ``audit_rule``
    audit_rule: ResultRule | None = None
    source: str = ""  # the region's document, printed on the 下年预算安排建议表

    def __post_init__(self) -> None:
        if self.audit_rule is None:
            object.__setattr__(self, "audit_rule", DEFAULT_AUDIT_RULE)
