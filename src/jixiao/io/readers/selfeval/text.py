"""Cell text: what is kept (the printed text) and what is matched (a key in simplified characters).

Published text carries layout debris: spaces where a cell wrapped ("产 出 指 标"), full-width forms,
and on some mirrors pinyin after each character ("項(xiàng)目"). ``display`` removes what is debris
and keeps the characters as printed (traditional stays traditional); ``key`` is what vocabulary
words are compared with: OpenCC's traditional→simplified conversion, width-folded, no spaces and no
bracketed notes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers.selfeval.pinyin import strip_pinyin
from jixiao.io.readers.selfeval_shared import block_weight, simplified

_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}(){{}}\[\]:：、,，])[ \t\u3000\xa0\r\n]+|[ \t\u3000\xa0\r\n]+(?=[{_CJK}()])")
_WRAP_RE = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\xa0]*\n[ \t\u3000\xa0]*(?=[{_CJK}])")
_IDEOGRAPH_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000\xa0\r\n]+(?=[\u3400-\u9fff])")
_SPACES_RE = re.compile(r"[ \t\u3000\xa0\r\n]+")
_BRACKET_RE = re.compile(r"\([^()]*\)")
_UNIT_NOTE_RE = re.compile(r"\((万元|元)\)")


def printed(raw: str) -> str:
    """The text as printed, for storing: pinyin dropped, a line break where a cell wrapped and a space
    between two Chinese characters ("产 出 指 标", debris of a spaced or wrapped cell) removed, runs of
    space made single. Characters, brackets, colons and a space after punctuation stay as printed."""
    text = _WRAP_RE.sub("", strip_pinyin(raw).strip())
    return _SPACES_RE.sub(" ", _IDEOGRAPH_GAP_RE.sub("", text))


_HALF_WIDTH_MARKS = str.maketrans("（）：", "():")


def display(raw: str) -> str:
    """The text for the layout's structural tests (a note in brackets, a label before a colon): no
    spaces inside Chinese text ("产 出 指 标" is how a wrapped or spaced cell comes out), brackets and
    colons half-width."""
    text = strip_pinyin(raw).strip()
    text = _CJK_GAP_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).translate(_HALF_WIDTH_MARKS)


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """The matching form of a cell: simplified, width-folded, no spaces, no bracketed notes, no end colon."""
    folded = fold_width(simplified(strip_pinyin(text))).replace("﹕", ":")
    folded = _SPACES_RE.sub("", folded)
    folded = _BRACKET_RE.sub("", folded)
    return folded.rstrip(":").lstrip("★☆*")


def weight_note(text: str) -> Decimal | None:
    """The block weight a heading prints ("产出指标(50分)" → 50)."""
    return block_weight(_SPACES_RE.sub("", text))[1]


def without_weight_note(text: str) -> str:
    return block_weight(text)[0]


def unit_note(text: str) -> str | None:
    """The money unit a heading names ("项目资金 (元)" → 元)."""
    match = _UNIT_NOTE_RE.search(_SPACES_RE.sub("", fold_width(simplified(strip_pinyin(text)))))
    return match.group(1) if match else None


def number(text: str | None) -> Decimal | None:
    """A plain number ("15.00", "1,307.00"), else ``None``."""
    return parse_decimal(text) if text else None


_PERCENT_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s*[%％]")


def percent(text: str | None) -> Decimal | None:
    """A rate as printed: "98.50%" → 98.50, a bare number → itself."""
    if not text:
        return None
    folded = fold_width(text).strip()
    match = _PERCENT_RE.fullmatch(folded)
    if match:
        return Decimal(match.group(1))
    return parse_decimal(folded)


def is_percent(text: str) -> bool:
    return _PERCENT_RE.fullmatch(fold_width(text).strip()) is not None


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"
