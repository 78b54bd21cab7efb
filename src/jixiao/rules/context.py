"""What every check sees: the table, the profile, and facts computed once per table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.domain import Indicator, Operator, TargetTable
from jixiao.rules.profile import Profile
from jixiao.rules.textnum import Mention, MoneyPicture, extract, money_picture

SATISFACTION_MARK = "满意"


@dataclass(slots=True)
class TableContext:
    table: TargetTable
    profile: Profile
    indicators: tuple[Indicator, ...] = field(init=False)
    _mentions: tuple[Mention, ...] | None = field(default=None, init=False)
    _money: MoneyPicture | None = field(default=None, init=False)
    memo: dict[str, object] = field(default_factory=dict, init=False)  # facts shared by rules

    def __post_init__(self) -> None:
        self.indicators = self.table.indicators  # read by almost every rule

    def names_with(self, words: tuple[str, ...]) -> list[tuple[int, str]]:
        """(index, word) for indicator names containing one of ``words`` — one regex pass over
        all names first, since such names are rare."""
        finder = word_finder(words)
        if finder is None:
            return []
        names = [item.name or "" for item in self.indicators]
        if finder.search("\n".join(names)) is None:
            return []
        return [(index, match.group()) for index, name in enumerate(names)
                if (match := finder.search(name)) is not None]

    def satisfaction_rows(self) -> list[int]:
        cached = self.memo.get("satisfaction")
        if cached is None:
            cached = self.memo["satisfaction"] = [
                index for index, item in enumerate(self.indicators) if is_satisfaction(item)]
        return cached  # type: ignore[return-value]

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


@lru_cache(maxsize=64)
def word_finder(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation for a profile's word list (vague words, input words)."""
    return re.compile("|".join(map(re.escape, words))) if words else None


def is_quantitative(item: Indicator) -> bool:
    return item.operator_kind not in _NOT_QUANTITATIVE


_NOT_QUANTITATIVE = (None, Operator.QUALITATIVE)


def is_satisfaction(item: Indicator) -> bool:
    return (item.level1 or "").startswith("满意度") or SATISFACTION_MARK in (item.name or "")


def year_target(item: Indicator) -> str | None:
    """The target that applies this year: 本年指标值, else 指标值 (text)."""
    value = item.current_target or item.target
    return value.text if value else None
