"""What every check sees: the table, the profile, and facts computed once per table."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain import Indicator, Operator, TargetTable
from jixiao.rules.profile import Profile
from jixiao.rules.textnum import Mention, MoneyPicture, extract, money_picture

SATISFACTION_MARK = "满意"


@dataclass(slots=True)
class TableContext:
    table: TargetTable
    profile: Profile
    _mentions: tuple[Mention, ...] | None = field(default=None, init=False)
    _money: MoneyPicture | None = field(default=None, init=False)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.table.indicators

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Numbers mentioned in the annual goal (computed on first use)."""
        if self._mentions is None:
            self._mentions = extract(self.table.annual_goal) if self.table.annual_goal else ()
        return self._mentions

    @property
    def money(self) -> MoneyPicture:
        if self._money is None:
            self._money = money_picture(self.mentions)
        return self._money


def is_quantitative(item: Indicator) -> bool:
    kind = item.operator_kind
    return kind is not None and kind is not Operator.QUALITATIVE


def is_satisfaction(item: Indicator) -> bool:
    return (item.level1 or "").startswith("满意度") or SATISFACTION_MARK in (item.name or "")


def year_target(item: Indicator) -> str | None:
    """The target that applies this year: 本年指标值, else 指标值 (text)."""
    value = item.current_target or item.target
    return value.text if value else None
