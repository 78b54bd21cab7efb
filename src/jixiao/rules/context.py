"""What every check sees: the table, the profile, and facts computed once per table.

Most rules find nothing in most tables, and a Python loop over the rows per rule is what a
review costs. So the context also holds the table's indicator *columns* (every row's
``level1``, ``operator_kind`` …, made once per table): a check first asks a question of a
whole column (``None in ctx.operators``), which the interpreter answers without a Python
loop, and walks the rows only when the answer says a row may be at fault. The columns are
made without a Python loop too: ``msgspec.structs.astuple`` per row and ``zip(*rows)``
transpose the rows in C (a tenth of the cost of appending to a list per attribute).
"""

# ruff: noqa: B905 — zip() of columns of one table (equal by construction): strict=True would parse
# a keyword on every call, a measurable share of a review in this compiled module.

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final, TypeVar

from msgspec.structs import astuple

from jixiao.domain import Direction, Indicator, Operator, TargetTable, Value
from jixiao.domain.comparable import ComparableRange
from jixiao.domain.history import ProjectHistory
from jixiao.domain.indicator import parse_direction, parse_operator
from jixiao.rules.profile import Profile
from jixiao.rules.textnum import Mention, MoneyPicture, extract, money_picture, split_unit

SATISFACTION_MARK: Final = "满意"
_ZERO: Final = Decimal(0)



def has_none(column: Sequence[object]) -> bool:
    """Whether a column holds a blank, by identity: ``None in`` would call each value's ``__eq__``,
    which for a dataclass is Python code (columns of str, Decimal or enums use ``None in``)."""
    for value in column:  # noqa: SIM110 (compiled: a C loop of pointer tests, no generator)
        if value is None:
            return True
    return False


_PARSED_LIMIT: Final = 4096
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


_OPERATOR_KINDS: Final[_Parsed[str | None, Operator | None]] = _Parsed(parse_operator)
_DIRECTION_KINDS: Final[_Parsed[str | None, Direction | None]] = _Parsed(parse_direction)

_FIELDS: Final = Indicator.__struct_fields__  # the order astuple returns a row's attributes in
_COLUMNS: Final = len(_FIELDS)
_LEVEL1: Final = _FIELDS.index("level1")
_LEVEL2: Final = _FIELDS.index("level2")
_NAME: Final = _FIELDS.index("name")
_OPERATOR: Final = _FIELDS.index("operator")
_HISTORY: Final = _FIELDS.index("history")
_TARGET: Final = _FIELDS.index("target")
_CURRENT: Final = _FIELDS.index("current_target")
_UNIT: Final = _FIELDS.index("unit_of_measure")
_WEIGHT: Final = _FIELDS.index("weight")
_CURRENT_WEIGHT: Final = _FIELDS.index("current_weight")
_DIRECTION: Final = _FIELDS.index("direction")
_NO_ROWS: Final[tuple[tuple[Any, ...], ...]] = ((),) * _COLUMNS


class TableContext:
    """One table under review: the table, the profile, its columns and facts shared by rules."""

    __slots__ = (
        "_funding_total",
        "_mentions",
        "_money",
        "comparables",
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
        "past",
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
    # What comparable projects set, by indicator row (from the indicator library, passed in by the caller;
    # empty when none was given: the rules that compare with other projects then find nothing).
    comparables: Mapping[int, ComparableRange]
    # The project's past years (passed in by the caller, like ``comparables``; None: the rules that compare
    # with last year find nothing).
    past: ProjectHistory | None

    def __init__(self, table: TargetTable, profile: Profile,
                 comparables: Mapping[int, ComparableRange] | None = None,
                 past: ProjectHistory | None = None) -> None:
        self.table = table
        self.profile = profile
        self.comparables = comparables or {}
        self.past = past
        self.indicators = indicators = table.indicators  # read by almost every rule
        columns = tuple(zip(*map(astuple, indicators))) or _NO_ROWS
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
        # Compiled comprehensions over the columns: a subscript of the caches (``__missing__`` parses).
        operator_kinds = _OPERATOR_KINDS
        direction_kinds = _DIRECTION_KINDS
        self.operator_kinds = [operator_kinds[operator] for operator in operators]
        self.direction_kinds = [direction_kinds[direction] for direction in columns[_DIRECTION]]
        # `current or target` as year_target: a Value is always true, so this is "unless blank".
        self.year_values = values = [current or target for target, current in zip(targets, currents)]
        numbers: list[Decimal | None] = []
        texts: list[str | None] = []
        for value in values:  # one compiled loop for both columns
            if value is None:
                numbers.append(None)
                texts.append(None)
            else:
                numbers.append(value.number)
                texts.append(value.text)
        self.year_numbers = numbers
        self.year_texts = texts
        self._funding_total: tuple[Decimal | None] | None = None
        self._mentions: tuple[Mention, ...] | None = None
        self._money: MoneyPicture | None = None
        self.memo = {}

    @property
    def funding_total(self) -> Decimal | None:
        """``table.funding.total()``, asked by more than one rule."""
        found = self._funding_total
        if found is None:
            # As Funding.total(), without building its (key, label, amount) list.
            # sum(amounts, _ZERO) as a compiled loop: the same additions in the same order.
            funding = self.table.funding
            total: Decimal | None = None
            for amount in (funding.fiscal, funding.special_account, funding.unit_own, funding.social,
                           funding.bank_loan):
                if amount is not None:
                    total = (_ZERO if total is None else total) + amount
            found = self._funding_total = (total,)
        return found[0]

    def names_with(self, words: tuple[str, ...]) -> list[tuple[int, str]]:
        """(index, word) for indicator names containing one of ``words`` — one regex pass over
        all names first, since such names are rare."""
        if not words:
            return []
        # The same names recur across tables (满意度, 群众满意度…): each name's first match is kept per
        # word list (found by identity: a profile's tuple is one object), so most tables cost a
        # dictionary look-up per name.
        kept = _NAME_MATCHES.get(id(words))
        if kept is None or kept[0] is not words or len(kept[1]) > _NAME_MATCHES_LIMIT:
            if len(_NAME_MATCHES) >= 64:
                _NAME_MATCHES.clear()
            kept = _NAME_MATCHES[id(words)] = (words, {}, word_finder(words))
        seen, finder = kept[1], kept[2]
        found: list[tuple[int, str]] = []
        for index, name in enumerate(self.names):
            key = name or ""
            word = seen.get(key, _UNSEEN)
            if word is _UNSEEN:
                match = None if finder is None else finder.search(key)
                word = seen[key] = None if match is None else match.group()
            if word is not None:
                found.append((index, word))  # type: ignore[arg-type]
        return found

    def satisfaction_rows(self) -> list[int]:
        cached = self.memo.get("satisfaction")
        if cached is None:
            # As is_satisfaction(item) per row, read from the columns.
            cached = self.memo["satisfaction"] = [
                index for index, (level1, name) in enumerate(zip(self.level1s, self.names))
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


# id(words) → (words, name → its first match, the words' finder)
_NAME_MATCHES: Final[dict[int, tuple[tuple[str, ...], dict[str, str | None], re.Pattern[str] | None]]] = {}
_NAME_MATCHES_LIMIT: Final = 8192  # names kept per word list before starting afresh
_UNSEEN: Final = object()


@lru_cache(maxsize=64)
def word_finder(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled alternation for a profile's word list (vague words, input words)."""
    return re.compile("|".join(map(re.escape, words))) if words else None


def is_quantitative(item: Indicator) -> bool:
    return item.operator_kind not in NOT_QUANTITATIVE


NOT_QUANTITATIVE: Final = (None, Operator.QUALITATIVE)  # operator kinds that are not quantitative


def is_satisfaction(item: Indicator) -> bool:
    return (item.level1 or "").startswith("满意度") or SATISFACTION_MARK in (item.name or "")


def year_target(item: Indicator) -> str | None:
    """The target that applies this year: 本年指标值, else 指标值 (text)."""
    value = item.current_target or item.target
    return value.text if value else None


# --- The goal's quantities against the indicators (T004, T005), asked by the screen for every table.

_APPROX: Final = Decimal("0.10")  # "约6万张", "300余人": accept 10 %
# Generic units match too much unrelated prose to compare with indicators.
_NOT_COMPARED: Final = frozenset({"元", "%", "次", "年", "月", "日", "天", "小时", "分钟"})

Conflict = tuple[int, Decimal, list[Mention]]
_SPLIT_UNITS: Final[dict[str, tuple[str, Decimal]]] = {}  # unit of measure → split_unit(unit)
_SPLIT_UNITS_LIMIT: Final = 4096


def _matches(target: Decimal, candidates: list[tuple[Decimal, bool]]) -> bool:
    for value, approximate in candidates:
        slack = abs(value) * _APPROX if approximate else _ZERO
        if abs(value - target) <= slack:
            return True
    return False


def quantity_conflicts(ctx: TableContext) -> list[Conflict]:
    """(indicator index, target in base units, goal mentions of that unit) that disagree;
    computed once per table for T004 and T005 (and the screen)."""
    cached = ctx.memo.get("quantity_conflicts")
    if cached is None:
        cached = ctx.memo["quantity_conflicts"] = _find_quantity_conflicts(ctx)
    return cached  # type: ignore[return-value]


def _find_quantity_conflicts(ctx: TableContext) -> list[Conflict]:
    found: list[Conflict] = []
    quantities = [m for m in ctx.mentions if m.kind == "quantity" and m.role == "item"]
    if not quantities:
        return found
    mentioned = {m.unit for m in quantities}
    kinds, numbers = ctx.operator_kinds, ctx.year_numbers
    # Rows read from the columns, the cheapest test first: only units the goal mentions matter.
    for index, unit in enumerate(ctx.units):
        if not unit:
            continue
        split = _SPLIT_UNITS.get(unit)
        if split is None:  # a dictionary of the units seen: split_unit's own cache is a call away
            split = split_unit(unit)
            if len(_SPLIT_UNITS) < _SPLIT_UNITS_LIMIT:
                _SPLIT_UNITS[unit] = split
        base, multiplier = split
        if base not in mentioned or base in _NOT_COMPARED:
            continue
        number = numbers[index]
        if number is None or kinds[index] in NOT_QUANTITATIVE:
            continue
        same = [m for m in quantities if m.unit == base]
        target = number * multiplier
        # m.value * m.per_year is Mention.annual (a property: a generic attribute look-up when compiled)
        candidates = [(m.value * m.per_year, m.approximate) for m in same]
        candidates.append((sum((m.value * m.per_year for m in same), _ZERO),
                           any(m.approximate for m in same)))
        if not _matches(target, candidates):
            found.append((index, target, same))
    return found
