"""Numbers as self-evaluation tables print them, and when a printed figure agrees with a recomputed one.

A published 指标值 or 实际完成值 is rarely a plain number: "≥95%", "100%", "29.5亩", "12万元", "0起",
"90%以上". :func:`reading` splits such a cell into its comparison, number and unit (kept per text: the same
few spellings recur in every table), and :func:`in_unit` puts it in the row's unit of measure, so that the
audit compares like with like. Anything else ("完成", "达成预期指标", "约5000吨") is not read as a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Final, NamedTuple

from jixiao.domain import Operator
from jixiao.domain.score_formulas import show
from jixiao.domain.text import fold_width

_WORD_OPERATORS: Final[dict[str, Operator]] = {
    ">=": Operator.GE, "≥": Operator.GE, "≧": Operator.GE, "⩾": Operator.GE, "大于等于": Operator.GE,
    "不低于": Operator.GE, "不少于": Operator.GE, "不小于": Operator.GE, "达到": Operator.GE,
    ">": Operator.GT, "大于": Operator.GT, "超过": Operator.GT,
    "<=": Operator.LE, "≤": Operator.LE, "≦": Operator.LE, "⩽": Operator.LE, "小于等于": Operator.LE,
    "不高于": Operator.LE, "不超过": Operator.LE, "不大于": Operator.LE,
    "<": Operator.LT, "小于": Operator.LT, "低于": Operator.LT, "少于": Operator.LT,
    "=": Operator.EQ, "==": Operator.EQ, "═": Operator.EQ, "等于": Operator.EQ,
}
_TAILS: Final[dict[str, Operator]] = {"及以上": Operator.GE, "以上": Operator.GE, "及以下": Operator.LE,
                                      "以下": Operator.LE, "以内": Operator.LE}
_OPERATOR_ALTERNATIVES: Final = "|".join(re.escape(word) for word in sorted(_WORD_OPERATORS, key=len, reverse=True))
_TAIL_ALTERNATIVES: Final = "|".join(sorted(_TAILS, key=len, reverse=True))
_READING_RE: Final = re.compile(
    rf"(?P<op>{_OPERATOR_ALTERNATIVES})?\s*(?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*"
    rf"(?P<unit>[^\d]{{0,8}}?)\s*(?P<tail>{_TAIL_ALTERNATIVES})?")
_DIGIT_RE: Final = re.compile(r"\d")
_UNIT_WORDS: Final[dict[str, str]] = {"百分比": "%", "％": "%", "人": "名", "平米": "平方米", "千米": "公里",
                                      "场次": "场"}
_TEN_THOUSAND: Final = Decimal(10_000)
_LEADING_OPERATORS: Final = "≥≤><=≧≦═⩾⩽"
_IGNORED: Final = str.maketrans({" ": None, "\t": None, "\u3000": None, "★": None, "☆": None, "*": None})


class Reading(NamedTuple):
    """A printed value read as (comparison, number, unit): "≥95%" is (≥, 95, "%")."""

    operator: Operator | None
    number: Decimal
    unit: str


@lru_cache(maxsize=8192)
def reading(text: str) -> Reading | None:
    """The comparison, number and unit of a printed value, or ``None`` when it is not one number with a unit."""
    match = _READING_RE.fullmatch(fold_width(text).strip())
    if match is None:
        return None
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None
    operator = _WORD_OPERATORS.get(match["op"]) if match["op"] else None
    if operator is None and match["tail"]:
        operator = _TAILS[match["tail"]]
    return Reading(operator, number, unit_word(match["unit"]))


def has_digit(text: str) -> bool:
    return _DIGIT_RE.search(fold_width(text)) is not None


def unit_word(unit: str | None) -> str:
    """A unit of measure in one spelling: "百分比" and "％" are "%", "人" is "名"."""
    if not unit:
        return ""
    unit = unit.strip()
    return _UNIT_WORDS.get(unit, unit)


def in_unit(value: Reading | None, unit: str) -> Decimal | None:
    """``value`` in ``unit`` (10000 for "1万人" when the unit is 人); ``None`` when the units do not compare."""
    if value is None:
        return None
    own = value.unit
    if not own or not unit or own == unit:
        return value.number
    if own == "万" + unit:
        return value.number * _TEN_THOUSAND
    if unit == "万" + own:
        return value.number / _TEN_THOUSAND
    return None


def text_key(text: str, unit: str | None) -> str:
    """A printed value for a copy test: no spaces or stars, full-width folded, the row's unit dropped."""
    key = fold_width(text).translate(_IGNORED)
    if unit and key.endswith(unit) and len(key) > len(unit):
        key = key[:-len(unit)]
    return key


def without_operator(key: str) -> str:
    return key.lstrip(_LEADING_OPERATORS)


def agrees(published: Decimal, exact: Decimal, tolerance: Decimal, rounding: bool) -> bool:
    """Whether a printed figure stands for ``exact``: within ``tolerance``, or (``rounding``) ``exact`` rounded
    half up to the places the figure is printed with (16.67 printed as 16.7 or 17)."""
    if abs(published - exact) <= tolerance:
        return True
    if not rounding:
        return False
    exponent = published.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -6:
        return False
    try:
        return exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) == published
    except InvalidOperation:  # more digits than the context holds: not a rounding of it
        return False


def signed(value: Decimal) -> str:
    """A number as a reader writes it, a negative one with the minus sign (−5), never "-5" after a "+"."""
    text = show(value)
    return f"−{text[1:]}" if text.startswith("-") else text


def plus(values: Sequence[Decimal]) -> str:
    """A sum written out: "20 + 10 − 5" (a negative part is subtracted, never "+ -5")."""
    if not values:
        return ""
    out = signed(values[0])
    for value in values[1:]:
        out += f" − {show(-value)}" if value < 0 else f" + {show(value)}"
    return out
