"""Reader for the JSON interchange format (version 1): one table object or an array, of either kind.

A table with ``"kind": "self_evaluation"`` is a self-evaluation table (its own schema); any other table
is a target table (``kind`` absent or ``"target"``), so an array may mix kinds. jsonschema is imported
when the first table is validated, not when the reader is registered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from jixiao.domain import AnyTable, Diagnostic, Severity, SourceRef
from jixiao.domain.labels import path_label
from jixiao.domain.selfeval_labels import selfeval_path_label
from jixiao.io.json_format import decode_valid, schema, table_from_dict, table_from_doc
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.vocabulary import Vocabulary
from jixiao.io.selfeval_doc import decode_valid_selfeval, selfeval_from_doc, selfeval_schema
from jixiao.io.selfeval_json import KIND as SELFEVAL_KIND
from jixiao.io.selfeval_json import selfeval_from_dict

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {"string": "字符串", "null": "null", "object": "对象", "array": "数组",
               "integer": "整数", "number": "数字", "boolean": "布尔值"}


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # imported when a JSON document is read, not at start-up

    return Draft202012Validator(schema())


@cache
def _selfeval_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(selfeval_schema())


def _is_selfeval(item: Any) -> bool:
    return isinstance(item, dict) and item.get("kind") == SELFEVAL_KIND


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "（根）"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]


def _explain(error: ValidationError, label: Callable[[str], str] = path_label) -> str:
    """A Chinese sentence for each kind of schema error (never the validator's English), naming the field by its
    Chinese label (the path itself is the diagnostic's column); ``label`` names the paths of the table's kind."""
    path = _path(error.absolute_path)
    where = label(path)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "required":
        missing = [key for key in expected if isinstance(instance, dict) and key not in instance]
        return f"{where}缺少必填项{'、'.join(label(key) for key in missing)}"
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in known]
        return f"{where}含有格式第1版未定义的键：“{'”“'.join(extra)}”"
    if validator == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = "或".join(_TYPE_NAMES.get(n, str(n)) for n in names)
        return f"{where}应为{wanted}，实际为 {_shown(instance)}"
    if validator == "pattern":
        return f"{where}应为以字符串书写的数字（半角数字，如 \"15.00\"），实际为 {_shown(instance)}"
    if validator == "const":
        return f"{where}应为 {expected}（本程序支持格式第1版）"
    if validator == "enum":
        allowed = "、".join(_shown(value) for value in expected)
        return f"{where}应为 {allowed} 之一，实际为 {_shown(instance)}"
    if validator == "minimum":
        return f"{where}应不小于 {expected}，实际为 {_shown(instance)}"
    if validator == "maximum":
        return f"{where}应不大于 {expected}，实际为 {_shown(instance)}"
    return f"{where}的值 {_shown(instance)} 不符合格式第1版的要求（{validator}）"


_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键名应使用双引号",
    "Unterminated string starting at": "字符串没有结束的引号",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid control character at": "字符串中有未转义的控制字符",
}


def _json_problem(message: str) -> str:
    return next((chinese for english, chinese in _JSON_MESSAGES.items() if message.startswith(english)),
                "语法错误")


def _column(index: int | None, parts: Iterable[Any]) -> str:
    inner = _path(parts)
    if index is None:
        return inner
    return f"[{index}]" if inner == "（根）" else f"[{index}].{inner}"


class JsonReader:
    name = "json"
    title = "JSON 交换格式第1版"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()

    def with_vocabulary(self, vocabulary: Vocabulary) -> JsonReader:
        """JSON names its fields, not its labels: the same reader whatever the vocabulary."""
        return self

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None:
            return 0.0
        stripped = head.lstrip("\ufeff \t\r\n")
        if stripped.startswith(("{", "[")) and '"format_version"' in head:
            return 1.0
        return 0.6 if stripped.startswith(("{", "[")) else 0.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        text = "".join(line if line.endswith("\n") else line + "\n" for _, line in lines)
        valid = decode_valid(text)
        if valid:  # the usual case: valid throughout, read in one typed pass
            default = SourceRef(source)
            for doc in valid:
                yield ReadResult(table_from_doc(doc, default))
            return
        selfevals = decode_valid_selfeval(text)
        if selfevals:  # a document of self-evaluation tables only, valid throughout
            default = SourceRef(source)
            for evaluation in selfevals:
                yield ReadResult(selfeval_from_doc(evaluation, default))
            return
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            yield ReadResult(None, (Diagnostic(
                "bad-json", Severity.ERROR,
                f"不是有效的 JSON：第{error.lineno}行第{error.colno}列附近{_json_problem(error.msg)}",
                source, error.lineno),))
            return
        except (RecursionError, ValueError):  # absurd nesting, numbers of thousands of digits
            yield ReadResult(None, (Diagnostic(
                "bad-json", Severity.ERROR,
                "JSON 嵌套过深或数字过长，无法读取（绩效目标表不会有这样的内容）", source),))
            return
        items = document if isinstance(document, list) else [document]
        prefix = isinstance(document, list)
        if not items:
            yield ReadResult(None, (Diagnostic("no-table", Severity.ERROR,
                                               "JSON 数组是空的，没有任何绩效目标表或绩效自评表", source),))
        for index, item in enumerate(items):
            problems = _problems(item)
            if problems:
                diagnostics = tuple(
                    Diagnostic("schema-error", Severity.ERROR, f"第{index + 1}张表未读入：" + message, source, None,
                               _column(index if prefix else None, parts))
                    for parts, message in problems
                )
                yield ReadResult(None, diagnostics)
                continue
            yield ReadResult(_table_from_valid(item, SourceRef(source)))


_KINDS = ("target", SELFEVAL_KIND)


def _problems(item: Any) -> list[tuple[list[Any], str]]:
    """(path parts, Chinese message) for each way ``item`` breaks the schema of its kind. An unknown kind is
    the one problem named (the table's other keys cannot be judged without knowing its kind)."""
    if isinstance(item, dict) and "kind" in item and item["kind"] not in _KINDS:
        return [(["kind"], f"{path_label('kind')}应为 \"target\"（绩效目标表，可省略）或 \"self_evaluation\""
                           f"（绩效自评表），实际为 {_shown(item['kind'])}")]
    selfeval = _is_selfeval(item)
    validator = _selfeval_validator() if selfeval else _validator()
    label = selfeval_path_label if selfeval else path_label
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
    return [(list(error.absolute_path), _explain(error, label)) for error in errors]


def _table_from_valid(item: dict[str, Any], source: SourceRef) -> AnyTable:
    """The table of a valid item, of its kind (``year`` written ``2022.0`` is valid JSON Schema integer)."""
    if not _is_selfeval(item):
        return table_from_dict(item, source)
    if isinstance(item.get("year"), float):
        item = {**item, "year": int(item["year"])}
    return selfeval_from_dict(item, source)


def schema_problems(item: Any) -> list[tuple[str, str]]:
    """(path, Chinese message) for each way ``item`` breaks format v1, e.g. ``("indicators[2].weight", …)``.

    The schema of the item's kind: a self-evaluation table (``"kind": "self_evaluation"``) or a target table."""
    return [(_path(parts), message) for parts, message in _problems(item)]
