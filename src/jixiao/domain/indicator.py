"""Indicator rows of the three-level indicator table (一级/二级/三级指标)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from jixiao.domain.keyed import KeyedStruct
from jixiao.domain.text import fold_width
from jixiao.domain.values import Value


class Operator(StrEnum):
    """指标性质: how the target is compared with the actual value."""

    GE = "≥"
    GT = "＞"
    EQ = "="
    LT = "＜"
    LE = "≤"
    QUALITATIVE = "定性"
    OTHER_QUANTITATIVE = "定量（其他）"

    @property
    def is_quantitative(self) -> bool:
        return self is not Operator.QUALITATIVE


# Spellings seen in exported tables, after width folding and space removal.
_OPERATOR_ALIASES: dict[str, Operator] = {
    "≥": Operator.GE, ">=": Operator.GE, "≧": Operator.GE, "大于等于": Operator.GE,
    "⩾": Operator.GE,
    ">": Operator.GT, "大于": Operator.GT,
    "=": Operator.EQ, "==": Operator.EQ, "═": Operator.EQ, "等于": Operator.EQ,
    "<": Operator.LT, "小于": Operator.LT,
    "≤": Operator.LE, "<=": Operator.LE, "≦": Operator.LE, "小于等于": Operator.LE,
    "⩽": Operator.LE,
    "定性": Operator.QUALITATIVE,
    "定量(其他)": Operator.OTHER_QUANTITATIVE, "定量其他": Operator.OTHER_QUANTITATIVE,
}


def parse_operator(text: str | None) -> Operator | None:
    """Recognise an operator in any of its published spellings, else ``None``."""
    if text is None:
        return None
    found = _OPERATOR_ALIASES.get(text)
    return found if found is not None else _OPERATOR_ALIASES.get(fold_width(text).replace(" ", ""))


class Direction(StrEnum):
    """指标方向性: whether more (正向) or less (反向) is better."""

    POSITIVE = "正向指标"
    NEGATIVE = "反向指标"


_DIRECTION_ALIASES: dict[str, Direction] = {
    "正向指标": Direction.POSITIVE, "正向": Direction.POSITIVE,
    "反向指标": Direction.NEGATIVE, "反向": Direction.NEGATIVE,
    "逆向指标": Direction.NEGATIVE, "逆向": Direction.NEGATIVE,
}


def parse_direction(text: str | None) -> Direction | None:
    if text is None:
        return None
    found = _DIRECTION_ALIASES.get(text)
    return found if found is not None else _DIRECTION_ALIASES.get(fold_width(text).replace(" ", ""))


# The direction an operator implies (domain.md §2 and rule S006): ≥ ＞ are 正向, ≤ ＜ 反向; "=" is scored
# like 正向 (§3) and the published tables mark it and 定性 as 正向. 定量（其他） implies none.
DEFAULT_DIRECTIONS: dict[Operator, Direction] = {
    Operator.GE: Direction.POSITIVE, Operator.GT: Direction.POSITIVE, Operator.EQ: Direction.POSITIVE,
    Operator.QUALITATIVE: Direction.POSITIVE, Operator.LE: Direction.NEGATIVE, Operator.LT: Direction.NEGATIVE,
}


def default_direction(operator: str | None) -> Direction | None:
    """What a row's 指标方向性 starts as once its 指标性质 is chosen (the editor offers it; the user may change it)."""
    kind = parse_operator(operator)
    return DEFAULT_DIRECTIONS.get(kind) if kind is not None else None


class Indicator(KeyedStruct, frozen=True, gc=False):
    """One row of the indicator table.

    ``operator`` and ``direction`` hold the canonical spelling when recognised and
    the published text otherwise, so an odd value is kept for review rather than
    lost; ``operator_kind``/``direction_kind`` give the parsed enums. ``line`` is where
    the row was read: it takes no part in equality or hashing (a row read back from
    another format compares equal). ``ambiguous`` names the fields whose value the reader guessed (an OCR
    confusion read as a digit, a date serial, 元 under a 万元 heading …; each guess also a diagnostic): how a
    value was read, not what it is, so it takes no part in equality either.
    """

    level1: str | None
    level2: str | None
    name: str | None
    operator: str | None = None
    history: Value | None = None
    target: Value | None = None
    current_target: Value | None = None
    unit_of_measure: str | None = None
    weight: Decimal | None = None
    current_weight: Decimal | None = None
    direction: str | None = None
    line: int | None = None
    ambiguous: tuple[str, ...] = ()

    # Derived on access (a dict look-up for the canonical spellings the readers store) rather than
    # stored: a __post_init__ would cost more per row than every later look-up together.
    @property
    def operator_kind(self) -> Operator | None:
        """The parsed 指标性质, ``None`` when blank or not recognised."""
        operator = self.operator
        if operator is None:
            return None
        kind = _OPERATOR_ALIASES.get(operator)
        return kind if kind is not None else parse_operator(operator)

    @property
    def direction_kind(self) -> Direction | None:
        """The parsed 指标方向性, ``None`` when blank or not recognised."""
        direction = self.direction
        if direction is None:
            return None
        kind = _DIRECTION_ALIASES.get(direction)
        return kind if kind is not None else parse_direction(direction)

    def _key(self) -> tuple[object, ...]:
        return (self.level1, self.level2, self.name, self.operator, self.history, self.target,
                self.current_target, self.unit_of_measure, self.weight, self.current_weight, self.direction)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(_REPR_FIELDS, self._key(), strict=True))
        return f"Indicator({shown}, line={self.line!r})"


_REPR_FIELDS = ("level1", "level2", "name", "operator", "history", "target", "current_target",
                "unit_of_measure", "weight", "current_weight", "direction")
