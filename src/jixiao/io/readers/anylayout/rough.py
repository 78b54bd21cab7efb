"""Rough value cells read as what they most likely say, and each such reading said (issue 15, item 2).

Scanned or retyped tables confuse letters and digits inside figures ("1O0%", "IO次"), characters in units
("万兀"), and ≥ with a digit or a character ("290%", "到0次" — read by the shared target split). A value cell
is read that way only when the result is a figure; the reading is returned beside it so the reader reports
it (``ocr-reading``) with the printed text.
"""

from __future__ import annotations

import re

from jixiao.io.readers.anylayout import words
from jixiao.io.readers.selfeval.indicators import split_target

_FIGURE_RE = re.compile(r"^(\s*[≥≤<>=＞＜]?\s*)([0-9OolI][0-9OolI.]*)(.*)$", re.DOTALL)
_OPERATORS = ("≥", "≤", ">", "<", "=", "＞", "＜", "≧", "≦", "大于", "小于", "等于")


def repaired(text: str) -> str:
    """``text`` with the OCR confusions of :mod:`.words` undone where that leaves a figure."""
    match = _FIGURE_RE.match(text)
    out = text
    if match is not None:
        lead, figure, rest = match.groups()
        fixed = "".join(words.OCR_DIGITS.get(ch, ch) for ch in figure)
        unit_follows = not rest or not rest[0].isascii() or rest[0] == "%"
        if fixed != figure and re.fullmatch(r"\d+(\.\d+)?", fixed) and unit_follows \
                and (any(ch.isdigit() for ch in figure) or len(figure) >= 2):
            out = lead + fixed + rest
    for wrong, right in words.OCR_UNIT_CHARACTERS.items():
        if wrong in out and re.search(rf"[\d万]{wrong}", out):
            out = re.sub(rf"(?<=[\d万]){wrong}", right, out)
    return out


def reading(text: str, has_unit: bool) -> str | None:
    """How ``text`` is read when that differs from what is printed (an OCR confusion), else ``None``."""
    fixed = repaired(text)
    operator, figure, unit = split_target(fixed, has_unit)
    if operator is not None and not fixed.lstrip().startswith(_OPERATORS) \
            and not fixed.rstrip().endswith(("以上", "以下")):
        bare = figure[1:] if figure[:1] in ("到", "第") else figure
        return f"{operator}{bare}{unit or ''}"
    return fixed if fixed != text else None
