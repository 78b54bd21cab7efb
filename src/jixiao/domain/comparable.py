"""What comparable projects set for one indicator: the range the review and the editor show.

Computed from the indicator library (:mod:`jixiao.library.stats`) by the caller and handed to the review
as data, so the rules stay pure: a rule never asks storage what other projects did.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jixiao.domain.indicator import Direction

PERCENT_UNITS = frozenset({"%", "％", "百分比", "百分率"})


def unit_key(unit: str | None) -> str:
    """A unit as compared: blank is "", every spelling of per cent is "%" (the library keeps units apart)."""
    text = (unit or "").strip()
    return "%" if text in PERCENT_UNITS else text


def plain(value: Decimal) -> str:
    """A Decimal for people: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_unit(value: Decimal, unit: str) -> str:
    """``95%``, ``720000 张``: per cent written against the number, other units after a space."""
    return f"{plain(value)}{unit}" if unit in ("%", "") else f"{plain(value)} {unit}"


class ComparableRange(msgspec.Struct, frozen=True, gc=False):
    """The targets comparable projects set for an indicator, in the entry's own unit.

    ``q1``/``q3`` are the lower and upper quartiles, ``projects`` how many projects the figures come from.
    """

    entry: str  # the library entry's name
    unit: str  # unit_key of the figures
    q1: Decimal
    median: Decimal
    q3: Decimal
    projects: int
    direction: Direction | None = None
    level1: str | None = None
    level2: str | None = None

    def sentence(self) -> str:
        """可比项目设定 90–98%（中位数 95%，41 个项目）."""
        low = plain(self.q1)
        high = with_unit(self.q3, self.unit)
        return f"可比项目设定 {low}–{high}（中位数 {with_unit(self.median, self.unit)}，{self.projects} 个项目）"
