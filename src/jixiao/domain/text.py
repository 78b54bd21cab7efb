"""Text normalisation shared by every layer.

Published tables mix full-width and half-width digits, punctuation and spaces. We
never rewrite what a user wrote in a name or goal, but we must *match* labels and
*read* numbers regardless of width, so this module offers a cheap, lossless-for-matching
fold (a ``str.translate`` table, much faster than NFKC on hot paths).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20  # ideographic space
_FULL_TO_HALF[0x00A0] = 0x20  # no-break space
_FOLD_TABLE = str.maketrans(_FULL_TO_HALF)
_INVISIBLE_TABLE = str.maketrans({0xFEFF: None, 0x200B: None, 0x200C: None, 0x200D: None})

_PLAIN_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def fold_width(text: str) -> str:
    """Map full-width ASCII variants and odd spaces to plain ASCII.

    The result has the same length as the input, so offsets found in the folded
    text can slice the original.
    """
    return text.translate(_FOLD_TABLE)


def strip_invisible(text: str) -> str:
    """Drop zero-width characters and stray BOMs that exported text often carries."""
    return text.translate(_INVISIBLE_TABLE)


CLEAN_STRIPPED = " \t\u3000\u00a0\ufeff\u200b"  # what clean strips


def clean(text: str | None) -> str | None:
    """Strip surrounding whitespace (any width); empty text becomes ``None``."""
    if text is None:
        return None
    stripped = text.strip(CLEAN_STRIPPED)
    return stripped or None


def parse_decimal(text: str | None) -> Decimal | None:
    """Read a plain number ("15.00", "１５.００", "1,307,692") or return ``None``.

    Only the whole text counts: "约15" or "95%" are not plain numbers. The
    Decimal keeps the published precision (``Decimal("15.00")`` prints "15.00").
    """
    if text is None:
        return None
    if _PLAIN_NUMBER_RE.fullmatch(text) is not None:  # the common case, no folding needed
        return Decimal(text)
    folded = fold_width(text).strip()
    if not folded or _NUMBER_RE.fullmatch(folded) is None:
        return None
    try:
        return Decimal(folded.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None


def format_decimal(value: Decimal | None) -> str | None:
    """Write a Decimal exactly as stored (no exponent notation), or ``None``."""
    if value is None:
        return None
    return format(value, "f")


def display_width(text: str) -> int:
    """Width in character cells as a spreadsheet or terminal shows it: CJK and full-width count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
