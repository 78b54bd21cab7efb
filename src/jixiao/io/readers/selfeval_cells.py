"""Cell texts of a self-evaluation table → values of the model, each problem a diagnostic naming field and expectation.

Shared by every layout of the self-evaluation kind (the row grammar of :mod:`selfeval_rows` calls it), so
money, scores, rates and block weights are read — and complained about — the same way in text, sheets and PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from jixiao.domain import parse_operator
from jixiao.domain.text import clean, fold_width, parse_decimal
from jixiao.io.readers import selfeval_shared as shared
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers.selfeval_shared import TEN_THOUSAND

# Cells a form prints where nothing is to be said: read as blank, never as an error.
BLANK_MARKS = vocabulary.BLANK_MARKS | vocabulary.BLANK_WORDS
_YEAR_RE = re.compile(r"^\s*\(?\s*(\d{4})\s*年(?:度)?\s*\)?\s*$")
_TITLE_YEAR_RE = re.compile(r"(\d{4})\s*年")

Report = Callable[[str, str, str], None]  # (field label, expected, raw text) → a selfeval-bad-number diagnostic


def blank(text: str | None) -> str | None:
    """The cell's text, or ``None`` when blank or a blank mark (—, /, 无)."""
    value = clean(text)
    return None if value is None or value in BLANK_MARKS else value


def number(text: str | None, label: str, expected: str, report: Report, *, units: tuple[str, ...] = (),
           scale: Decimal | None = None) -> Decimal | None:
    """A plain number, without one of ``units`` written after it; ``None`` and a report when it is not one.

    ``scale`` divides (元 → 万元: ``Decimal(10000)``), exactly: the Decimal keeps every digit.
    """
    value = blank(text)
    if value is None:
        return None
    found = parse_decimal(value)
    if found is None:
        folded = fold_width(value).replace(" ", "")
        for unit in units:
            if folded.endswith(unit):
                found = parse_decimal(folded[: -len(unit)])
                break
    if found is None:
        report(label, expected, value)
        return None
    return found / scale if scale is not None else found


def money(text: str | None, label: str, report: Report, in_yuan: bool = False) -> Decimal | None:
    if in_yuan:
        return number(text, label, "以元为单位的金额（如 387664.62）", report, units=("元",), scale=TEN_THOUSAND)
    return number(text, label, "以万元为单位的金额（如 15.00）", report, units=("万元",))


def points(text: str | None, label: str, report: Report) -> Decimal | None:
    return number(text, label, "分数（如 20 或 9.5）", report, units=("分",))


def percent(text: str | None, label: str, report: Report) -> Decimal | None:
    return number(text, label, "百分比（如 98.50%）", report, units=("%",))


def level1_cell(text: str | None, report: Report) -> tuple[str | None, Decimal | None]:
    """The 一级 cell and its printed block weight: "产出指标(50分)" → ("产出指标", 50); "产出指标" → (…, None)."""
    value = blank(text)
    if value is None:
        return None, None
    name, weight, unreadable = shared.block_weight(value)
    if unreadable:
        report("一级指标分值", "括号中的分数（如“产出指标(50分)”）", value)
    return name or None, weight


def operator(text: str | None) -> tuple[str | None, bool]:
    """(the operator as the canonical symbol when recognised, else as published; whether it was recognised)."""
    value = blank(text)
    if value is None:
        return None, True
    found = parse_operator(value)
    return (str(found), True) if found is not None else (value, False)


def year_line(text: str) -> int | None:
    """A year on its own line or cell, as the form prints it under the title: "（2022年度）", "2022年"."""
    match = _YEAR_RE.match(fold_width(text))
    return int(match.group(1)) if match else None


def title_year(text: str) -> int | None:
    """The year of a title such as "2022年度项目支出绩效自评表"."""
    match = _TITLE_YEAR_RE.search(fold_width(text))
    return int(match.group(1)) if match else None


def year(text: str | None, report: Report) -> int | None:
    value = blank(text)
    if value is None:
        return None
    found = year_line(value)
    if found is None and value.isdigit() and len(value) == 4:
        found = int(value)
    if found is None:
        report("年度", "四位数的年份（如 2022）", value)
    return found


def person_and_phone(text: str | None) -> tuple[str | None, str | None]:
    """"项目负责人及电话" in one cell: "李宁0557-5788003" → ("李宁", "0557-5788003")."""
    value = blank(text)
    return (None, None) if value is None else shared.split_contact(value)
