"""Indicator values: the published text plus, where it is a number, its Decimal."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.text import clean, parse_decimal


@dataclass(frozen=True, slots=True)
class Value:
    """A target or reference value as published.

    ``text`` is kept verbatim so nothing is lost ("≥100公里", "有效", "１５"); ``number``
    is derived from it and is ``None`` when the text is not a plain number.
    """

    text: str
    number: Decimal | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", parse_decimal(self.text))

    @classmethod
    def of(cls, text: str | None) -> Value | None:
        """Build a value from raw cell text; blank text is missing (``None``)."""
        cleaned = clean(text)
        if cleaned is None:
            return None
        return cls(cleaned)

    @property
    def is_number(self) -> bool:
        return self.number is not None

    def __str__(self) -> str:
        return self.text
