"""What every check sees: the table, the profile, and facts computed once per table.

Most rules find nothing in most tables, and a Python loop over the rows per rule is what a
review costs. So the context also holds the table's indicator *columns* (every row's
``level1``, ``operator_kind`` …, made once per table): a check first asks a question of a
whole column (``None in ctx.operators``), which the interpreter answers without a Python
loop, and walks the rows only when the answer says a row may be at fault.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import repeat
from operator import is_

from jixiao.domain import Direction, Indicator, Operator, TargetTable, Value
from jixiao.rules.profile import Profile
from jixiao.rules.textnum import Mention, MoneyPicture, extract, money_picture

SATISFACTION_MARK = "满意"

_NONES = repeat(None)


def has_none(column: Sequence[object]) -> bool:
    """Whether a column holds a blank, by identity: ``None in`` would call each value's ``__eq__``,
    which for a dataclass is Python code (columns of str, Decimal or enums use ``None in``)."""
    return any(map(is_, column, _NONES))


@dataclass(slots=True)
class TableContext:
    table: TargetTable
    profile: Profile
    indicators: tuple[Indicator, ...] = field(init=False)
    # One list per indicator attribute, in row order (empty when there are no rows).
    level1s: list[str | None] = field(init=False)
    level2s: list[str | None] = field(init=False)
    names: list[str | None] = field(init=False)
    operators: list[str | None] = field(init=False)
    operator_kinds: list[Operator | None] = field(init=False)
    direction_kinds: list[Direction | None] = field(init=False)
    units: list[str | None] = field(init=False)
    histories: list[Value | None] = field(init=False)
    targets: list[Value | None] = field(init=False)
    current_targets: list[Value | None] = field(init=False)
    weights: list[Decimal | None] = field(init=False)
    current_weights: list[Decimal | None] = field(init=False)
    _year_values: list[Value | None] = field(init=False)
    _year_numbers: list[Decimal | None] = field(init=False)
    _year_texts: list[str | None] = field(init=False)
    _funding_total: tuple[Decimal | None] | None = field(default=None, init=False)
    _joined_names: str | None = field(default=None, init=False)
    _mentions: tuple[Mention, ...] | None = field(default=None, init=False)
    _money: MoneyPicture | None = field(default=None, init=False)
    memo: dict[str, object] = field(default_factory=dict, init=False)  # facts shared by rules

    def __post_init__(self) -> None:
        self.indicators = indicators = self.table.indicators  # read by almost every rule
        # One loop filling every column: its attribute loads are specialised, and it costs less
        # than operator.attrgetter, a comprehension per column or transposing rows with zip.
        self.level1s, self.level2s, self.names, self.operators = level1s, level2s, names, operators = [], [], [], []
        self.operator_kinds, self.direction_kinds, self.units = kinds, directions, units = [], [], []
        self.histories, self.targets, self.current_targets = histories, targets, currents = [], [], []
        self.weights, self.current_weights = weights, current_weights = [], []
        # The target that applies this year (本年指标值, else 指标值), its number and text: every
        # profile's rules ask for them, and appending here costs less than three more loops.
        year_values: list[Value | None] = []
        year_numbers: list[Decimal | None] = []
        year_texts: list[str | None] = []
        self._year_values, self._year_numbers, self._year_texts = year_values, year_numbers, year_texts
        for item in indicators:
            level1s.append(item.level1)
            level2s.append(item.level2)
            names.append(item.name)
            operators.append(item.operator)
            kinds.append(item.operator_kind)
            directions.append(item.direction_kind)
            units.append(item.unit_of_measure)
            histories.append(item.history)
            target = item.target
            current = item.current_target
            targets.append(target)
            currents.append(current)
            weights.append(item.weight)
            current_weights.append(item.current_weight)
            value = current or target
            year_values.append(value)
            if value is None:
                year_numbers.append(None)
                year_texts.append(None)
            else:
                year_numbers.append(value.number)
                year_texts.append(value.text)

    @property
    def year_values(self) -> list[Value | None]:
        """Per row, the target that applies this year (本年指标值, else 指标值), as :func:`year_target`."""
        return self._year_values

    @property
    def year_numbers(self) -> list[Decimal | None]:
        """The number of each row's :attr:`year_values` (``None`` when blank or not a number)."""
        return self._year_numbers

    @property
    def year_texts(self) -> list[str | None]:
        """The text of each row's :attr:`year_values` (``None`` when blank)."""
        return self._year_texts

    @property
    def funding_total(self) -> Decimal | None:
        """``table.funding.total()``, asked by more than one rule."""
        found = self._funding_total
        if found is None:
            # As Funding.total(), without building its (key, label, amount) list.
            funding = self.table.funding
            amounts = [amount for amount in (funding.fiscal, funding.special_account, funding.unit_own,
                                             funding.social, funding.bank_loan) if amount is not None]
            found = self._funding_total = (sum(amounts, Decimal(0)) if amounts else None,)
        return found[0]

    def names_with(self, words: tuple[str, ...]) -> list[tuple[int, str]]:
        """(index, word) for indicator names containing one of ``words`` — one regex pass over
        all names first, since such names are rare."""
        finder = word_finder(words)
        if finder is None:
            return []
        joined = self._joined_names
        if joined is None:
            joined = self._joined_names = "\n".join([name or "" for name in self.names])
        if finder.search(joined) is None:
            return []
        return [(index, match.group()) for index, name in enumerate(self.names)
                if (match := finder.search(name or "")) is not None]

    def satisfaction_rows(self) -> list[int]:
        cached = self.memo.get("satisfaction")
        if cached is None:
            # As is_satisfaction(item) per row, read from the columns.
            cached = self.memo["satisfaction"] = [
                index for index, (level1, name) in enumerate(zip(self.level1s, self.names, strict=True))
                if (level1 is not None and level1.startswith("满意度"))
                or (name is not None and SATISFACTION_MARK in name)]
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
    return item.operator_kind not in NOT_QUANTITATIVE


NOT_QUANTITATIVE = (None, Operator.QUALITATIVE)  # operator kinds that are not quantitative


def is_satisfaction(item: Indicator) -> bool:
    return (item.level1 or "").startswith("满意度") or SATISFACTION_MARK in (item.name or "")


def year_target(item: Indicator) -> str | None:
    """The target that applies this year: 本年指标值, else 指标值 (text)."""
    value = item.current_target or item.target
    return value.text if value else None
