"""What the database can store, checked before a write: no NUL in any text, no value longer than its column.

PostgreSQL refuses ``\\0`` in text and values longer than a ``varchar``; SQLite stores both. Checking
here, with the lengths read from the models themselves, makes both databases refuse the same files
with the same Chinese diagnostic (``unstorable-value``) instead of one of them answering 500. The web
edge refuses NUL in requests (``web/inputs.py``); this covers what arrives inside uploaded files.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.labels import COLUMN_LABELS, FIELD_LABELS
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
