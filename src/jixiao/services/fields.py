"""What the database can store, and what a person may type, checked before a write.

No NUL in any text, no value longer than its column; and per field (:func:`field_problems`, the editor and the
API's draft): limits and checks with messages naming the field by its Chinese label.

PostgreSQL refuses ``\\0`` in text and values longer than a ``varchar``; SQLite stores both. Checking
here, with the lengths read from the models themselves, makes both databases refuse the same files
with the same Chinese diagnostic (``unstorable-value``) instead of one of them answering 500. The web
edge refuses NUL in requests (``web/inputs.py``); this covers what arrives inside uploaded files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.labels import COLUMN_LABELS, FIELD_LABELS, path_label
from jixiao.storage.models import ImportBatch, Organization, Project


def column_length(column: Any) -> int:
    """The length of a model's string column (``Project.code`` → 64)."""
    return int(column.property.columns[0].type.length)


# (path in the JSON format v1 document, Chinese label, the column it is stored in)
ORG_CODE, ORG_NAME = column_length(Organization.code), column_length(Organization.name)
COLUMNS = (
    ("project_code", "项目编码", column_length(Project.code)),
    ("project_name", "项目名称", column_length(Project.name)),
    ("unit.code", "单位编码", ORG_CODE), ("unit.name", "单位名称", ORG_NAME),
    ("department.code", "主管部门编码", ORG_CODE), ("department.name", "主管部门名称", ORG_NAME),
)
FILE_NAME = column_length(ImportBatch.file_name)


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), path)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def label(path: str) -> str:
    """``indicators[2].name`` → ``第3行指标的“三级指标”``; ``unit.code`` → ``“单位信息”的编码``."""
    if path.startswith("indicators["):
        index, _, rest = path[len("indicators["):].partition("]")
        key = rest.lstrip(".")
        row = f"第{int(index) + 1}行指标" if index.isdigit() else "指标"
        return f"{row}的“{COLUMN_LABELS.get(key, key)}”" if key else row
    head, _, rest = path.partition(".")
    name = FIELD_LABELS.get(head, "项目名称" if head == "project_name" else head)
    return f"“{name}”" + (f"的{'编码' if rest == 'code' else '名称' if rest == 'name' else rest}" if rest else "")


def _get(content: dict[str, Any], path: str) -> Any:
    value: Any = content
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def content_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """``(path, message)`` for each value of a table document the database could not store."""
    problems = [(path, f"{label(path)}含有空字符（NUL）") for path, text in _strings(content) if "\0" in text]
    for path, name, limit in COLUMNS:
        value = _get(content, path)
        if isinstance(value, str) and len(value) > limit:
            problems.append((path, f"“{name}”长 {len(value)} 个字符，超过上限 {limit} 个字符"))
    code, title = content.get("project_code"), content.get("project_name")
    if not code and isinstance(title, str) and len("（无编码）" + title) > column_length(Project.code):
        problems.append(("project_name", f"没有项目编码的表以名称为编码，名称长 {len(title)} 个字符，"
                                         f"超过上限 {column_length(Project.code) - len('（无编码）')} 个字符"))
    return problems


def value_problem(name: str, value: str, limit: int) -> str | None:
    """The message for one text value the database could not store (``name``: its Chinese label)."""
    if "\0" in value:
        return f"“{name}”含有空字符（NUL）"
    return f"“{name}”长 {len(value)} 个字符，超过上限 {limit} 个字符" if len(value) > limit else None


def file_problems(name: str, contents: list[tuple[str | None, int | None, dict[str, Any]]]) -> list[Diagnostic]:
    """Diagnostics (``unstorable-value``) for a file name and its tables (``(file, line, document)``)."""
    messages: list[tuple[str, str | None, int | None]] = []
    if "\0" in name:
        messages.append(("文件名含有空字符（NUL）", None, None))
    elif len(name) > FILE_NAME:
        messages.append((f"文件名长 {len(name)} 个字符，超过上限 {FILE_NAME} 个字符", None, None))
    shown = name.replace("\0", "")[:FILE_NAME]
    for file, line, content in contents:
        messages += [(message, (file or shown).replace("\0", ""), line)
                     for _path, message in content_problems(content)[:20]]
    return [Diagnostic("unstorable-value", Severity.ERROR, f"{message}，整个文件未导入", file, line)
            for message, file, line in messages]


# -- what a person may type into each field (the editor and the API's draft) ---------------------------------
# Text limits in characters, per field: generous for real tables (the longest 年度目标 of the seed is under 400
# characters; published ones stay within a page), short enough that a table still prints and reads as one.
TEXT_LIMITS: dict[str, int] = {
    "project_suffix": 50, "function.code": 64, "function.name": 200, "contact_person": 50, "contact_phone": 50,
    "annual_goal": 3000,
}
ROW_TEXT_LIMITS: dict[str, int] = {
    "level1": 50, "level2": 50, "name": 200, "operator": 20, "history": 200, "target": 200, "current_target": 200,
    "unit_of_measure": 20, "direction": 20,
}
MONEY = ("total_wan", "funding.fiscal", "funding.special_account", "funding.unit_own", "funding.social",
         "funding.bank_loan")
PERCENT = ("execution_weight",)  # a share of 100 points
ROW_PERCENT = ("weight", "current_weight")
MAX_WAN = Decimal("100000000")  # 1 万亿元: more than any project's budget, so a slip of the keyboard is caught
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _number_problem(path: str, value: Any, money: bool) -> str | None:
    if value is None or value == "":
        return None
    name = path_label(path)
    if not isinstance(value, str) or _NUMBER.fullmatch(value) is None:
        what = "金额（万元，半角数字，如 15.00）" if money else "数字（0 到 100，如 20）"
        return f"{name}应为{what}，实际为“{value}”"
    number = Decimal(value)
    if number < 0:
        return f"{name}不能为负数，实际为 {value}" + ("（万元）" if money else "")
    if money and number > MAX_WAN:
        return f"{name}为 {value} 万元，超过 {MAX_WAN} 万元，请检查单位（万元）或位数"
    if not money and number > 100:
        return f"{name}应在 0 到 100 之间，实际为 {value}"
    return None


def _text_problem(path: str, value: Any, limit: int) -> str | None:
    if isinstance(value, str) and len(value) > limit:
        return f"{path_label(path)}长 {len(value)} 个字符，最多 {limit} 个字符"
    return None


def field_problems(content: dict[str, Any]) -> list[tuple[str, str]]:
    """``(path, message)`` for each field a person typed wrong: an empty 项目名称, a negative or non-numeric amount
    or weight, a text longer than its field's limit; each message names the field by its Chinese label."""
    found: list[tuple[str, str]] = []
    name = content.get("project_name")
    if not isinstance(name, str) or not name.strip():
        found.append(("project_name", f"{path_label('project_name')}不能为空"))
    for path in (*MONEY, *PERCENT):
        problem = _number_problem(path, _get(content, path), path in MONEY)
        if problem:
            found.append((path, problem))
    for path, limit in TEXT_LIMITS.items():
        problem = _text_problem(path, _get(content, path), limit)
        if problem:
            found.append((path, problem))
    rows = content.get("indicators")
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        for key in ROW_PERCENT:
            problem = _number_problem(f"indicators[{index}].{key}", row.get(key), False)
            if problem:
                found.append((f"indicators[{index}].{key}", problem))
        for key, limit in ROW_TEXT_LIMITS.items():
            problem = _text_problem(f"indicators[{index}].{key}", row.get(key), limit)
            if problem:
                found.append((f"indicators[{index}].{key}", problem))
    return found
