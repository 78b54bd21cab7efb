"""Indicator values: the published text plus, where it is a number, its Decimal."""

from __future__ import annotations

from decimal import Decimal

import msgspec
from msgspec.structs import force_setattr

from jixiao.domain.text import clean, parse_decimal


class Value(msgspec.Struct, frozen=True, gc=False):
    """A target or reference value as published.

    ``text`` is kept verbatim so nothing is lost ("≥100公里", "有效", "１５"); ``number``
    is derived from it (whatever is passed is replaced) and is ``None`` when the text is
    not a plain number. Being derived, it never changes equality.
    """

    text: str
    number: Decimal | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "number", parse_decimal(self.text))

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

    def __repr__(self) -> str:
        return f"Value(text={self.text!r})"

    def __str__(self) -> str:
        return self.text
