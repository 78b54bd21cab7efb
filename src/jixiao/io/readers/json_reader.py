"""Reader for the JSON interchange format (version 1): one table object or an array."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from jixiao.domain import Diagnostic, Severity, SourceRef
from jixiao.io.json_format import schema, table_from_dict
from jixiao.io.readers.base import Line, ReadResult

_TYPE_NAMES = {"string": "字符串", "null": "null", "object": "对象", "array": "数组",
               "integer": "整数", "number": "数字", "boolean": "布尔值"}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "（根）"


def _explain(error: ValidationError) -> str:
    """A Chinese sentence for the schema errors users actually make."""
    where = _path(error.absolute_path)
    validator, expected = error.validator, error.validator_value
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else error.message
        return f"{where} 缺少必填键“{missing}”"
    if validator == "additionalProperties":
        return f"{where} 含有格式第1版未定义的键：{error.message.split('(')[-1].rstrip(')')}"
    if validator == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = "或".join(_TYPE_NAMES.get(n, str(n)) for n in names)
        return f"{where} 应为{wanted}，实际为 {json.dumps(error.instance, ensure_ascii=False)[:40]}"
    if validator == "pattern":
        return (f"{where} 应为以字符串书写的数字（如 \"15.00\"），"
                f"实际为 {json.dumps(error.instance, ensure_ascii=False)[:40]}")
    if validator == "const":
        return f"{where} 应为 {expected}（本程序支持格式第1版）"
    return f"{where} 不符合格式：{error.message}"


class JsonReader:
    name = "json"
    title = "JSON 交换格式第1版"

    def sniff(self, head: str) -> float:
        stripped = head.lstrip("\ufeff \t\r\n")
        if stripped.startswith(("{", "[")) and '"format_version"' in head:
            return 1.0
        return 0.6 if stripped.startswith(("{", "[")) else 0.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        text = "".join(line if line.endswith("\n") else line + "\n" for _, line in lines)
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            yield ReadResult(None, (Diagnostic(
                "bad-json", Severity.ERROR,
                f"不是有效的 JSON：第{error.lineno}行第{error.colno}列附近（{error.msg}）",
                source, error.lineno),))
            return
        items = document if isinstance(document, list) else [document]
        prefix = isinstance(document, list)
        if not items:
            yield ReadResult(None, (Diagnostic("no-table", Severity.ERROR,
                                               "JSON 数组是空的，没有任何绩效目标表", source),))
        for index, item in enumerate(items):
            errors = sorted(_validator().iter_errors(item), key=lambda e: list(e.absolute_path))
            if errors:
                diagnostics = tuple(
                    Diagnostic("schema-error", Severity.ERROR,
                               f"第{index + 1}张表未读入：" + _explain(error), source, None,
                               (f"[{index}]." if prefix else "") + _path(error.absolute_path))
                    for error in errors
                )
                yield ReadResult(None, diagnostics)
                continue
            yield ReadResult(table_from_dict(item, SourceRef(source)))
