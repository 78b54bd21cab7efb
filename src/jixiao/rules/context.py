"""What every check sees: the table, the profile, and facts computed once per table.

Most rules find nothing in most tables, and a Python loop over the rows per rule is what a
review costs. So the context also holds the table's indicator *columns* (every row's
``level1``, ``operator_kind`` …, made once per table): a check first asks a question of a
whole column (``None in ctx.operators``), which the interpreter answers without a Python
loop, and walks the rows only when the answer says a row may be at fault. The columns are
made without a Python loop too: ``msgspec.structs.astuple`` per row and ``zip(*rows)``
transpose the rows in C (a tenth of the cost of appending to a list per attribute).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import repeat
from operator import is_
from typing import Any, TypeVar

from msgspec.structs import astuple

from jixiao.domain import Direction, Indicator, Operator, TargetTable, Value
from jixiao.domain.indicator import parse_direction, parse_operator
from jixiao.rules.profile import Profile
from jixiao.rules.textnum import Mention, MoneyPicture, extract, money_picture

SATISFACTION_MARK = "满意"

_NONES = repeat(None)


def has_none(column: Sequence[object]) -> bool:
    """Whether a column holds a blank, by identity: ``None in`` would call each value's ``__eq__``,
    which for a dataclass is Python code (columns of str, Decimal or enums use ``None in``)."""
    return any(map(is_, column, _NONES))


_PARSED_LIMIT = 4096
_K = TypeVar("_K")
_V = TypeVar("_V")


class _Parsed(dict[_K, _V]):
    """Spelling → parsed enum, filled on first sight: ``map(cache.__getitem__, column)`` parses a
    column in C. The same as ``Indicator.operator_kind``/``direction_kind`` (they look the
    spelling up and fall back to the same parser); odd spellings beyond ``_PARSED_LIMIT`` are parsed
    each time rather than kept (a module constant: mypyc compiles this module)."""

    def __init__(self, parse: object) -> None:
        super().__init__()
        self._parse = parse

    def __missing__(self, key: _K) -> _V:
        value: _V = self._parse(key)  # type: ignore[operator]
        if len(self) < _PARSED_LIMIT:
            self[key] = value
        return value


_OPERATOR_KINDS: _Parsed[str | None, Operator | None] = _Parsed(parse_operator)
_DIRECTION_KINDS: _Parsed[str | None, Direction | None] = _Parsed(parse_direction)

_FIELDS = Indicator.__struct_fields__  # the order astuple returns a row's attributes in
_COLUMNS = len(_FIELDS)
(_LEVEL1, _LEVEL2, _NAME, _OPERATOR, _HISTORY, _TARGET, _CURRENT, _UNIT, _WEIGHT, _CURRENT_WEIGHT,
 _DIRECTION) = map(_FIELDS.index, ("level1", "level2", "name", "operator", "history", "target",
                                   "current_target", "unit_of_measure", "weight", "current_weight",
                                   "direction"))
_NO_ROWS: tuple[tuple[Any, ...], ...] = ((),) * _COLUMNS


class TableContext:
    """One table under review: the table, the profile, its columns and facts shared by rules."""

    __slots__ = (
        "_funding_total",
        "_joined_names",
        "_mentions",
        "_money",
        "current_targets",
        "current_weights",
        "direction_kinds",
        "histories",
        "indicators",
        "level1s",
        "level2s",
        "memo",
        "names",
        "operator_kinds",
        "operators",
        "profile",
        "table",
        "targets",
        "units",
        "weights",
        "year_numbers",
        "year_texts",
        "year_values",
    )

    table: TargetTable
    profile: Profile
    indicators: tuple[Indicator, ...]
    # One tuple per indicator attribute, in row order (empty when there are no rows).
    level1s: tuple[str | None, ...]
    level2s: tuple[str | None, ...]
    names: tuple[str | None, ...]
    operators: tuple[str | None, ...]
    operator_kinds: list[Operator | None]
    direction_kinds: list[Direction | None]
    units: tuple[str | None, ...]
    histories: tuple[Value | None, ...]
    targets: tuple[Value | None, ...]
    current_targets: tuple[Value | None, ...]
    weights: tuple[Decimal | None, ...]
    current_weights: tuple[Decimal | None, ...]
    # Per row, the target that applies this year (本年指标值, else 指标值, as :func:`year_target`),
    # its number (``None`` when blank or not a number) and its text (``None`` when blank).
    year_values: list[Value | None]
    year_numbers: list[Decimal | None]
    year_texts: list[str | None]
    memo: dict[str, object]  # facts shared by rules

    def __init__(self, table: TargetTable, profile: Profile) -> None:
        self.table = table
        self.profile = profile
        self.indicators = indicators = table.indicators  # read by almost every rule
        columns = tuple(zip(*map(astuple, indicators), strict=True)) or _NO_ROWS
        self.level1s = columns[_LEVEL1]
        self.level2s = columns[_LEVEL2]
        self.names = columns[_NAME]
        self.operators = operators = columns[_OPERATOR]
        self.histories = columns[_HISTORY]
        self.targets = targets = columns[_TARGET]
        self.current_targets = currents = columns[_CURRENT]
        self.units = columns[_UNIT]
        self.weights = columns[_WEIGHT]
        self.current_weights = columns[_CURRENT_WEIGHT]
        self.operator_kinds = list(map(_OPERATOR_KINDS.__getitem__, operators))
        self.direction_kinds = list(map(_DIRECTION_KINDS.__getitem__, columns[_DIRECTION]))
        # `current or target` as year_target: a Value is always true, so this is "unless blank".
        self.year_values = values = [current or target for target, current in zip(targets, currents, strict=True)]
        self.year_numbers = [None if value is None else value.number for value in values]
        self.year_texts = [None if value is None else value.text for value in values]
        self._funding_total: tuple[Decimal | None] | None = None
        self._joined_names: str | None = None
        self._mentions: tuple[Mention, ...] | None = None
        self._money: MoneyPicture | None = None
        self.memo = {}

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
