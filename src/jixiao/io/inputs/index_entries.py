"""Read a filled-in score entry file (评分录入) for an index system: TOML, one table per indicator code.

``[A11]`` holds one evaluator's entry; ``[[A11]]`` repeated holds one per expert. The keys are the
method's inputs (``numerator``/``denominator``, ``met``, ``condition`` counted from 1, ``occurrences``,
``grade``, ``points``, ``reason``). Every problem is collected and the whole file refused, in Chinese,
naming the file, the indicator code and the field by its Chinese label; codes the system does not have
are refused too, so a typo never silently scores 0.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.domain.index_system import IndexProblem, IndexSystemError, IndicatorEntry

LABELS = {"numerator": "分子", "denominator": "分母", "met": "要素是否满足", "condition": "符合的情形",
          "occurrences": "问题数", "grade": "等级", "points": "得分", "reason": "理由"}


def read_index_entries(text: str, source: str, codes: Collection[str]) -> dict[str, list[IndicatorEntry]]:
    """Entries by indicator code; :class:`IndexSystemError` listing every problem if any."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise IndexSystemError(source, [IndexProblem("index-bad-entry", f"不是有效的 TOML：{error}")],
                               "评分录入文件") from None
    problems: list[IndexProblem] = []
    entries: dict[str, list[IndicatorEntry]] = {}
    for code, value in data.items():
        if code not in codes:
            problems.append(IndexProblem("index-bad-entry", f"[{code}]：指标体系中没有这个指标编码"))
            continue
        tables = value if isinstance(value, list) else [value]
        for number, table in enumerate(tables, 1):
            where = f"[{code}]" + (f" 第 {number} 位评价人" if len(tables) > 1 else "")
            entry = _entry(table, where, problems)
            if entry is not None:
                entries.setdefault(code, []).append(entry)
    if problems:
        raise IndexSystemError(source, problems, "评分录入文件")
    return entries


def _entry(table: Any, where: str, problems: list[IndexProblem]) -> IndicatorEntry | None:
    def wrong_value(key: str, expected: str, value: Any) -> None:
        problems.append(IndexProblem("index-bad-entry",
                                     f"{where}“{LABELS[key]}”（{key}）应为{expected}，实际为 {value!r}"))

    if not isinstance(table, dict):
        problems.append(IndexProblem("index-bad-entry", f"{where}应为表（键 = 值）"))
        return None
    before = len(problems)
    for key in sorted(set(table) - set(LABELS)):
        problems.append(IndexProblem("index-bad-entry", f"{where}含未知的键“{key}”（可用：{'、'.join(LABELS)}）"))
    values: dict[str, Any] = {}
    for key in ("numerator", "denominator", "points"):
        if key in table:
            values[key] = _number(table[key])
            if values[key] is None:
                wrong_value(key, "数字", table[key])
    for key in ("condition", "occurrences"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key == "condition" else 0):
                wrong_value(key, "从 1 起的整数" if key == "condition" else "非负整数", value)
            else:
                values[key] = value - 1 if key == "condition" else value
    if "met" in table:
        met = table["met"]
        if not isinstance(met, list) or not all(isinstance(flag, bool) for flag in met):
            wrong_value("met", "true/false 的列表", met)
        else:
            values["met"] = tuple(met)
    for key in ("grade", "reason"):
        if key in table:
            if not isinstance(table[key], str):
                wrong_value(key, "文字", table[key])
            else:
                values[key] = table[key].strip()
    return IndicatorEntry(**values) if len(problems) == before else None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
