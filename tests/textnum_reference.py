"""The reading of numbers in prose as it stood before the one-pattern scan (``rules/textnum.py``): the
oracle the new scan is held equal to (``tests/test_textnum_scan.py``), on the text followed by a
clause stop — the old scan read a number at the very end of a text oddly (a trailing figure became a
percentage, a trailing ``5万`` no amount), which the new one reads as if the text ended with "。".
"""


from __future__ import annotations

import re
from decimal import Decimal

from jixiao.rules.textnum import (
    _SMALL_UNITS,
    QUANTITY_UNITS,
    UNIT_ALIASES,
    Mention,
    chinese_numeral,
)

_ZERO = Decimal(0)
_UNIT_SET = frozenset(QUANTITY_UNITS)
_UNIT_FIRST = frozenset(unit[0] for unit in QUANTITY_UNITS)
_UNIT_LENGTHS = sorted({len(unit) for unit in QUANTITY_UNITS}, reverse=True)
_NUMERALS = "零〇两一二三四五六七八九十百千"
_NUMBER_RUN = re.compile(f"[0-9{_NUMERALS}][0-9.{_NUMERALS}]*")
_DIGITS_PREFIX = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TOTAL_RE = re.compile("合计|共计|总计|合同金额|总额|总金额|总投入|共需|共")
_PERIODS = (("每季度", 4, "季度"), ("每季", 4, "季度"), ("每月", 12, "月"), ("每年", 1, "年"))
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_MAY_FOLLOW = frozenset(" 万亿余多元%％") | _UNIT_FIRST
_LAST_STOP = re.compile(r".*[，。；;,！？!?\n]", re.DOTALL)


def reference_extract(text: str) -> tuple[Mention, ...]:
    """What the old scan found in ``text + "。"``."""
    return _extract(text + "。")


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        if text[-1] in _SMALL_UNITS:  # "3千"
            return Decimal(text[:-1]) * _SMALL_UNITS[text[-1]]
        return Decimal(text)
    return chinese_numeral(text)


def _clause_before(text: str, start: int, span: int = 12) -> str:
    """The words before ``start`` in the same clause (up to ``span`` characters).

    What ``_CLAUSE_TAIL.search(text, start - span, start)`` finds — the words after the window's
    last stop, where a newline just before ``start`` does not count (``$`` matches before it) —
    found from the last stop in one match rather than trying every start in the window.
    """
    window = text[max(0, start - span):start]
    if window[-1:] == "\n":
        window = window[:-1]
    match = _LAST_STOP.match(window)
    return window[match.end():] if match else window


def _period(before: str) -> tuple[str | None, int]:
    for word, factor, name in _PERIODS:
        if word in before:
            return name, factor
    return None, 1


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# Mention(...) runs the named tuple's Python __new__; building the tuple directly with every field
# (in the class's order) makes the same value for a fraction of the cost.
_new_mention = tuple.__new__


def _extract(text: str) -> tuple[Mention, ...]:
    """All money, quantity and percentage mentions in ``text``, in reading order."""
    found: list[Mention] = []
    size = len(text)
    for match in _NUMBER_RUN.finditer(text):
        start, j = match.span()
        raw = text[start:j]  # the match's text, without a second method call
        is_digit = raw[0] in "0123456789"
        if raw.isdigit():  # the common run, "2021", "37": ASCII digits only (no trimming)
            pass
        elif is_digit:
            # keep the plain number at the front ("1.5." → "1.5"); "3千" stays whole
            prefix = _DIGITS_PREFIX.match(raw)
            head = prefix.group() if prefix else raw[0]
            if raw[len(head):] not in _SMALL_UNITS:
                raw = head
                j = start + len(raw)
        elif not is_digit and raw.strip(_NUMERALS) != "":
            raw = raw.rstrip("0123456789.")
            j = start + len(raw)
        if j < size and text[j] not in _MAY_FOLLOW:
            continue  # 一般、进一步、〔2021〕37号: no mention can start here (as the tests below)
        while j < size and text[j] == " ":
            j += 1
        big = text[j] if j < size and text[j] in _MULTIPLIERS else ""
        j += len(big)
        approx_mark = j < size and text[j] in "余多"
        j += approx_mark
        nxt = text[j] if j < size else ""
        if nxt == "元" or (big == "万" and not approx_mark and not _is_cjk(nxt) and nxt not in "%％"):
            if not is_digit and raw == "一" and nxt != "元":
                continue
            found.append(_money(text, raw, big, start, j + (nxt == "元")))
        elif nxt in "%％" and is_digit and not big:
            found.append(_new_mention(Mention, ("percent", Decimal(raw), "%", text[start:j + 1], start,
                                                "item", None, 1, False, _clause_before(text, start))))
        elif nxt in _UNIT_FIRST:  # no count unit can follow otherwise
            quantity = _quantity(text, raw, big, approx_mark, start, j)
            if quantity is not None:
                found.append(quantity)
    return tuple(found)


def _money(text: str, raw: str, big: str, start: int, end: int) -> Mention:
    number = _number(raw) or _ZERO
    value = number * _MULTIPLIERS.get(big, 1)
    before = _clause_before(text, start)
    near = before[-6:]
    role = "item"
    if text[end:end + 1] == "/" or "每" in near:
        role = "unit_price"
    elif _TOTAL_RE.search(near) is not None:
        role = "total"
    return _new_mention(Mention, ("money", value, "元", text[start:end], start, role, None, 1, False, before))


def _quantity(text: str, raw: str, big: str, approx_mark: bool, start: int, at: int) -> Mention | None:
    if big == "亿":
        return None
    unit = None
    for length in _UNIT_LENGTHS:
        if text[at:at + length] in _UNIT_SET:
            unit = text[at:at + length]
            break
    if unit is None:
        return None
    if not raw[0].isdigit() and raw in ("一", "两"):
        return None  # 一件事、一张网、两家运营商: idioms, not quantities
    number = _number(raw)
    if number is None:
        return None
    if big:
        number *= 10_000
    end = at + len(unit)
    before = _clause_before(text, start)
    period, factor = _period(before)
    approx = approx_mark or "约" in before[-3:]
    role = "unit_price" if text[end:end + 1] == "/" else "item"
    return _new_mention(Mention, ("quantity", number, UNIT_ALIASES.get(unit, unit), text[start:end], start,
                                  role, period, factor, approx, before))


