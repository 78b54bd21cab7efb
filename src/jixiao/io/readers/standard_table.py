"""The table of the published shape built straight from its regex match, without a TableBuilder.

:func:`build_standard` is the label-text reader's hot path: it runs once per table of files with
100,000s of them. It takes only the plain case (no wrapped line that could be read otherwise, rows
of eleven tab-separated cells, every cell and amount readable) and then does what the
:class:`~jixiao.io.readers.table_builder.TableBuilder` would do. Anything else (a note to report,
an odd row) gives ``None`` and the builder path reads the table, so every diagnostic still comes
from one place; ``tests/test_text_fast_path.py`` holds the two equal.

The module is plain typed loops so that mypyc can compile it (``setup.py``; the compiled module
shadows this file when built, and ``tests/test_standard_table_compiled.py`` holds the two equal).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from re import Match
from typing import Final, TypeVar

from jixiao.domain import CodedName, Funding, Indicator, ProjectCode, ProjectRef, SourceRef, TargetTable, Value
from jixiao.domain.text import CLEAN_STRIPPED
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.table_builder import _UNREADABLE, _coded_name, _direction_text, _operator_text, _to_decimal

T = TypeVar("T")
_CACHE_LIMIT: Final = 8192  # entries per cache: memory stays flat however many tables a file holds
_GOAL: Final = 9  # annual_goal: its wrapped lines are paragraphs (joined by "\n"); other wraps are mid-word

# Cell text → what the builder makes of it (never a text it reports: those go to the builder).
_OPERATORS: Final[dict[str, str | None]] = {}
_DIRECTIONS: Final[dict[str, str | None]] = {}
_WEIGHTS: Final[dict[str, Decimal | None]] = {}
_VALUES: Final[dict[str, Value | None]] = {}


class _Odd(Exception):
    """A cell or value the builder must read itself (it has a note to report)."""


def _remember(cache: dict[str, T], text: str, value: T) -> T:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[text] = value
    return value


# One look-up per cell: a cached ``None`` (a text the builder reads as blank) is simply read again.
def _operator(text: str) -> str | None:
    found = _OPERATORS.get(text)
    if found is not None:
        return found
    operator, known = _operator_text(text)
    if not known:
        raise _Odd
    return _remember(_OPERATORS, text, operator)


def _direction(text: str) -> str | None:
    found = _DIRECTIONS.get(text)
    if found is not None:
        return found
    direction, known = _direction_text(text)
    if not known:
        raise _Odd
    return _remember(_DIRECTIONS, text, direction)


def _weight(text: str) -> Decimal | None:
    if not text:
        return None
    found = _WEIGHTS.get(text)
    if found is not None:
        return found
    number = _to_decimal(text, "")
    if number is _UNREADABLE:
        raise _Odd
    return _remember(_WEIGHTS, text, number)


def _value(text: str) -> Value | None:
    if not text:
        return None
    found = _VALUES.get(text)
    if found is not None:
        return found
    cleaned = _clean(text)  # Value.of
    return _remember(_VALUES, text, None if cleaned is None else Value(cleaned))


def _plain_number(text: str) -> bool:
    """``-?\\d+(?:\\.\\d+)?`` in ASCII (table_builder's _PLAIN_NUMBER_RE), without the regex."""
    size = len(text)
    at = 1 if size > 0 and text[0] == "-" else 0
    digits = 0
    while at < size and "0" <= text[at] <= "9":
        at += 1
        digits += 1
    if digits == 0:
        return False
    if at == size:
        return True
    if text[at] != "." or at + 1 == size:
        return False
    at += 1
    while at < size:
        if not "0" <= text[at] <= "9":
            return False
        at += 1
    return True


def _amount(text: str, unit: str) -> Decimal | None:
    """``_to_decimal`` of a header amount: every table has its own, so no cache; "221.79 万元" without a regex."""
    if not text:  # most funding rows are blank
        return None
    if unit and text.endswith(unit):  # as _to_decimal's first test
        head = text[: len(text) - len(unit)].rstrip(" ")
        if _plain_number(head):
            return Decimal(head)
    elif not unit and _plain_number(text):  # "10": _to_decimal folds it to itself
        return Decimal(text)
    number = _to_decimal(text, unit)
    if number is _UNREADABLE:
        raise _Odd
    return number


def _clean(text: str) -> str | None:
    """``domain.text.clean``."""
    stripped = text.strip(CLEAN_STRIPPED)
    return stripped if stripped else None


def _project(text: str) -> ProjectRef | None:
    """``ProjectRef.parse`` of a stripped value, without its intermediate CodedName in the usual case."""
    head, dash, tail = text.partition("-")
    if dash and head.isascii() and head.isalnum() and not tail.endswith((")", "）")):
        name = tail.strip()
        return ProjectRef(ProjectCode(head), name if name else None)
    return ProjectRef.parse(text)


def _maybe_not_wrapped(line: str) -> bool:
    """Whether ``wrapped_ok`` must look at a wrapped line: one without a colon, both header words, a tab,
    two spaces or an ideographic space can be neither a label nor a header row nor an indicator row."""
    return ("：" in line or ":" in line or ("一级指标" in line and "三级指标" in line)
            or "\t" in line or "  " in line or "\u3000" in line)


def build_standard(match: Match[str], block: str, first: int, source: str, wrapped_ok: Callable[[str], bool],
                   odd_row: Callable[[str], list[str] | None]) -> ReadResult | None:
    """The table of ``block`` (its title on line ``first``) that ``match`` (of _BLOCK_RE) found, or ``None``.

    The line-by-line grammar decides what is not plain: ``wrapped_ok(line)`` says whether a wrapped
    line of a header value is only that (not a label, a header row or an indicator row), and
    ``odd_row(raw)`` gives the cells of a row that is not plain tab-separated text (``[]`` for a
    blank line, ``None`` when the line is not a row).
    """
    tail: str = block[match.end():]
    if "三级指标" in tail:
        return None  # (a second header row ends the table)
    body = tail.rstrip("\n")
    if not body:
        return None
    plain = " " not in tail and "\u3000" not in tail and "\xa0" not in tail
    groups: tuple[str, ...] = match.groups()
    # Each field's line: the one after the previous field's, plus its wrapped (or blank) lines.
    lines: list[int] = []
    values: list[str] = []
    line = first + 1 + groups[0].count("\n")
    for position in range(14):
        value: str = groups[2 * position + 1].strip()
        wrapped: str = groups[2 * position + 2]
        lines.append(line)
        line += 1
        if wrapped == "\n":  # one blank line: the usual case
            line += 1
        elif wrapped:
            line += wrapped.count("\n")
            if not wrapped.isspace():
                joiner = "\n" if position == _GOAL else ""
                for part in wrapped.split("\n"):
                    part = part.strip()
                    if part:
                        if _maybe_not_wrapped(part) and not wrapped_ok(part):
                            return None
                        value = f"{value}{joiner}{part}" if value else part
        values.append(value)
    try:
        indicators: list[Indicator] = []
        for row in body.split("\n"):
            line += 1
            if plain and row and not row[0].isspace() and not row[-1].isspace():
                cells = row.split("\t")  # what _Walk makes of a row that is its own stripped text
            else:
                odd = odd_row(row)
                if odd is None:
                    return None
                if not odd:
                    continue
                cells = odd
            if len(cells) != 11:
                return None
            level1, level2, name, operator, history, target, current, unit, weight, current_weight, direction = cells
            indicators.append(Indicator(
                level1 if level1 else None, level2 if level2 else None, name if name else None,
                _operator(operator) if operator else None, _value(history), _value(target), _value(current),
                unit if unit else None, _weight(weight), _weight(current_weight),
                _direction(direction) if direction else None, line))
        total_wan = _amount(values[5], "万元")
        execution_weight = _amount(values[6], "")
        funding = Funding(_amount(values[8], "万元"), _amount(values[10], "万元"), _amount(values[11], "万元"),
                          _amount(values[12], "万元"), _amount(values[13], "万元"))
    except _Odd:
        return None
    field_lines = {  # TableBuilder's, in its order (funding: its first row's, 财政资金)
        "unit": lines[0], "project": lines[1], "function": lines[2], "department": lines[3],
        "contact_person": lines[4], "total_wan": lines[5], "execution_weight": lines[6], "contact_phone": lines[7],
        "fiscal": lines[8], "annual_goal": lines[9], "special_account": lines[10], "unit_own": lines[11],
        "social": lines[12], "bank_loan": lines[13], "project_code": lines[1], "funding": lines[8]}
    unit_name: CodedName | None = _coded_name(values[0])
    table = TargetTable(
        unit_name, _project(values[1]) if values[1] else None, _coded_name(values[2]), _coded_name(values[3]),
        _clean(values[4]), _clean(values[7]), total_wan, execution_weight, funding, _clean(values[9]),
        tuple(indicators), SourceRef(source, first), field_lines)
    return ReadResult(table)
