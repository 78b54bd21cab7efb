"""Click's usage errors, said in Chinese.

Typer (0.29) ships its own copy of Click without gettext, so there is no catalogue to install:
its parser writes "No such option: --x" as plain f-strings. What it does keep is structure: each
error is an exception class with the option name, the close matches, the parameter, and, for a
value that failed conversion, the pydantic error as ``__cause__``. ``explain`` renders those in
Chinese; the few errors that carry only a sentence ("Got unexpected extra argument(s) (…)",
"No such command 'x'.") are matched whole. Anything unknown is shown as it came.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_PATH_KINDS: dict[str, str] = {"File": "文件", "Directory": "目录", "Path": "路径"}
_PATH_STATES: dict[str, str] = {"a file": "是文件，不是目录", "a directory": "是目录，不是文件",
                                "not readable": "不可读", "not writable": "不可写"}
_TYPES: dict[str, str] = {"int": "整数", "float": "数字", "bool": "是/否值", "str": "文本", "integer": "整数",
                          "number": "数字", "boolean": "是/否值", "datetime": "日期时间",
                          "UUID": "UUID", "Path": "路径"}
_PYDANTIC: dict[str, str] = {"int_parsing": "整数", "int_from_float": "整数", "float_parsing": "数字",
                             "bool_parsing": "是/否值", "decimal_parsing": "数字", "datetime_parsing": "日期时间",
                             "date_parsing": "日期", "uuid_parsing": "UUID"}
_SENTENCES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$", re.S),
     lambda m: f"多余的参数：{m['args']}"),
    (re.compile(r"No such command '(?P<name>.*?)'\.(?: Did you mean (?P<close>.*)\?)?$", re.S),
     lambda m: f"没有这个命令：{m['name']}" + (f"；是否为：{_quoted_list(m['close'])}？" if m["close"] else "")),
    (re.compile(r"Missing command\.$"), lambda m: "缺少子命令"),
    (re.compile(r"Option '(?P<opt>.*?)' requires an argument\.$"), lambda m: f"选项 {m['opt']} 需要一个值"),
    (re.compile(r"Option '(?P<opt>.*?)' requires (?P<n>\d+) arguments\.$"),
     lambda m: f"选项 {m['opt']} 需要 {m['n']} 个值"),
    (re.compile(r"Option '(?P<opt>.*?)' does not take a value\.$"), lambda m: f"选项 {m['opt']} 不接受值"),
    (re.compile(r"Argument '(?P<arg>.*?)' takes (?P<n>\d+) values\.$"),
     lambda m: f"参数 {m['arg']} 需要 {m['n']} 个值"),
    # the messages of a bad value (after "Invalid value for …: ")
    (re.compile(r"(?:Value error, )?(?P<value>'.*?') is not one of (?P<choices>.*)\.$", re.S),
     lambda m: f"{_chinese_quotes(m['value'])} 不是可选的值（可选：{_quoted_list(m['choices'])}）"),
    (re.compile(r"(?P<what>File|Directory|Path) (?P<path>'.*') does not exist\.$", re.S),
     lambda m: f"{_PATH_KINDS[m['what']]}{_chinese_quotes(m['path'])}不存在"),
    (re.compile(r"(?P<what>File|Directory|Path) (?P<path>'.*') is (?P<state>a file|a directory|not readable|"
                r"not writable)\.$", re.S),
     lambda m: f"{_PATH_KINDS[m['what']]}{_chinese_quotes(m['path'])}{_PATH_STATES[m['state']]}"),
    (re.compile(r"Value (?P<value>.*) is not a valid (?P<type>\w+)\.$", re.S),
     lambda m: f"{_chinese_quotes(m['value'])} 不是有效的{_TYPES.get(m['type'], m['type'])}"),
)


def _chinese_quotes(text: str) -> str:
    return f"“{text[1:-1]}”" if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else f"“{text}”"


def _quoted_list(text: str) -> str:
    return "、".join(part.strip().strip("'\"") for part in text.split(","))


def _names(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def _sentence(message: str) -> str:
    for pattern, render in _SENTENCES:
        found = pattern.match(message.strip())
        if found:
            return render(found)
    return message


def _hint(error: Any) -> str:
    """The parameter as the user typed it: “--format / -f” or FILES."""
    hint: str | Sequence[str] | None = getattr(error, "param_hint", None)
    param = getattr(error, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint()
    if hint is None:
        return ""
    parts = [hint] if isinstance(hint, str) else list(hint)
    text = " / ".join(p.strip() for part in parts for p in part.split(" / "))
    return text.replace("'", "")


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) if descriptor is not None else None
    return [str(getattr(c, "value", c)) for c in choices] if choices else []


def _value_problem(error: BaseException, message: str) -> str:
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        first = (errors() or [{}])[0]
        kind, value = first.get("type"), first.get("input")
        if kind in _PYDANTIC:
            return f"“{value}”不是有效的{_PYDANTIC[kind]}"
        bound = _BOUNDS.get(kind or "")
        if bound is not None:
            limit = (first.get("ctx") or {}).get(bound[1])
            return f"“{value}”应{bound[0]} {limit}"
    return _sentence(message)


_BOUNDS: dict[str, tuple[str, str]] = {"greater_than_equal": ("不小于", "ge"), "greater_than": ("大于", "gt"),
                                       "less_than_equal": ("不大于", "le"), "less_than": ("小于", "lt")}


def explain(error: BaseException) -> str:
    """The Chinese message for one of Click's usage errors (or the original message, if unknown)."""
    names = _names(error)
    message = str(getattr(error, "message", "") or "")
    if "NoSuchOption" in names:
        option = getattr(error, "option_name", "")
        close = [p for p in getattr(error, "possibilities", None) or () if p != "--help"]
        if message.startswith("No such option"):
            message = f"没有这个选项：{option}"
        return message + (f"；是否为：{'、'.join(close)}？" if close else "")
    if "MissingParameter" in names:
        param = getattr(error, "param", None)
        kind = str(getattr(error, "param_type", None) or getattr(param, "param_type_name", ""))
        what = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        hint = _hint(error)
        if kind == "argument":
            hint = hint.upper()
        choices = _choices(param)
        return f"缺少{what} {hint}".rstrip() + (f"（可选：{'、'.join(choices)}）" if choices else "")
    if "BadParameter" in names:
        hint = _hint(error)
        problem = _value_problem(error, message)
        return f"{hint} 的值无效：{problem}" if hint else f"值无效：{problem}"
    if "FileError" in names:
        return f"无法打开文件“{getattr(error, 'ui_filename', '')}”：{message}"
    return _sentence(message)
