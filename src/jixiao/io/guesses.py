"""Guesses about values, each marked in the table and said (issue 15, item 2): never a silent correction.

A reader of rough text (the layout-independent reader, office grids, the published self-evaluation layouts)
hands its tables to :func:`mark`, which looks at the values for what real published tables get wrong:

- an Excel date serial where a date is expected (``44561`` under 时效指标 is 2021-12-31): kept, marked;
- an amount in 元 under a 万元 heading (an amount 10000 times what the arithmetic of the others needs): kept,
  marked;
- a number with one thousands separator (``44,561``, which could be a list or a decimal comma): the text kept,
  its number read without it, marked (several groups, ``1,298,400``, leave no doubt: read as every reader does);
- a number split by a space (``968.191 8``): joined, marked.

Each guess names the field in the row's (or the table's) ``ambiguous`` list and comes with a diagnostic of its
own code (``date-serial``, ``amount-yuan-under-wan``, ``thousands-separator``, ``split-number``). The clean
text layouts (jixiao's own form, JSON) are not looked at: :data:`UNGUESSED_READERS`, so they read as fast and
exactly as before.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import combinations

import msgspec

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.indicator import Indicator
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.domain.table import FUNDING_SOURCES, TargetTable
from jixiao.domain.values import Value
from jixiao.io.readers.base import ReadResult

UNGUESSED_READERS = frozenset({"json"})  # a JSON document carries its own marks
# jixiao's own layout: a table it read without a word to say (its fast path) is what is printed, and is not looked at
CLEAN_WHEN_SILENT = frozenset({"label-text"})
TEN_THOUSAND = Decimal(10000)
SERIAL_RANGE = (30000, 60000)  # 1982-02-19 … 2064-04-08
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_TIME_WORDS = ("时效", "时间", "日期", "时限", "期限", "到位时", "完成时", "截止")
_DATE_UNITS = frozenset({"年", "月", "日", "年月日", "日期", "时间", "年月", "年-月-日"})
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_SPLIT_RE = re.compile(r"([≥≤<>=＞＜]?\s*\d+\.\d+) (\d{1,4})")
_FIELDS = ("history", "target", "current_target", "actual")
Table = TargetTable | SelfEvaluationTable
Row = Indicator | EvaluatedIndicator


def excel_date(serial: int) -> datetime.date:
    """The date an Excel serial stands for (1900 date system, the 1900-02-29 bug included: 60 and after)."""
    return _EXCEL_EPOCH + datetime.timedelta(days=serial)


def is_time_row(row: Row) -> bool:
    """Whether ``row`` expects a date or a period: a 时效 indicator, a name or unit that says time."""
    texts = (row.level2 or "", row.name or "")
    return any(word in text for text in texts for word in _TIME_WORDS) or (row.unit_of_measure or "") in _DATE_UNITS


def _value_guesses(row: Row, kind: str, value: Value, source: str | None) -> tuple[Value, list[Diagnostic], bool]:
    """(the value read, what was said about it, whether that is a guess to mark). One thousands separator
    ("44,561") may be a list or a decimal comma: a guess; several ("1,298,400") leave no doubt and are read as
    every reader reads them (:func:`jixiao.domain.text.parse_decimal`), without a word."""
    text, notes, line = value.text, [], row.line
    guessed = False
    split = _SPLIT_RE.fullmatch(text.strip())
    if split is not None:
        joined = split.group(1) + split.group(2)
        notes.append(Diagnostic("split-number", Severity.WARNING,
                                f"“{text}”疑为被空格断开的一个数，读作“{joined}”；请核对原件", source, line))
        value, text, guessed = Value(joined), joined, True
    bare = text.strip().lstrip("≥≤<>=＞＜ ")
    separated = _THOUSANDS_RE.match(bare)
    figure = separated.group().replace(",", "") if separated is not None else None
    if separated is not None and separated.group().count(",") == 1:  # "1,298,400" is plainly a number
        notes.append(Diagnostic("thousands-separator", Severity.INFO,
                                f"“{text}”带千位分隔符，按 {figure} 读取", source, line))
        guessed = True
    number = value.number if value.number is not None else Decimal(figure) if figure is not None else None
    if number is not None and number == number.to_integral_value() and SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1] \
            and is_time_row(row):
        date = excel_date(int(number))
        notes.append(Diagnostic("date-serial", Severity.WARNING,
                                f"“{text}”疑为 Excel 日期序列号，即 {date.isoformat()}；数值按原样保留，请核对原件",
                                source, line))
        guessed = True
    return value, notes, guessed


def _row_guesses(row: Row, source: str | None) -> tuple[Row, list[Diagnostic]]:
    notes: list[Diagnostic] = []
    changes: dict[str, Value] = {}
    marked: list[str] = list(row.ambiguous)
    for kind in _FIELDS:
        value = getattr(row, kind, None)
        if not isinstance(value, Value) or not any(ch.isdigit() for ch in value.text):
            continue
        new, found, guessed = _value_guesses(row, kind, value, source)
        notes += found
        if found and guessed and kind not in marked:
            marked.append(kind)
        if new is not value:
            changes[kind] = new
    if not changes and len(marked) == len(row.ambiguous):
        return row, notes
    return msgspec.structs.replace(row, ambiguous=tuple(marked), **changes), notes


def _yuan_amounts(total: Decimal | None, parts: Sequence[Decimal | None]) -> tuple[bool, list[int]]:
    """(the total is in 元, the parts in 元) when the parts add up to the total only with some amounts ÷ 10000;
    nothing when they add up as printed or cannot be made to."""
    given = [(index, part) for index, part in enumerate(parts) if part is not None and part != 0]
    printed = sum((p for _i, p in given), Decimal(0))
    if total is None or total == 0 or not given or printed == total:
        return False, []
    if _close(printed, total / TEN_THOUSAND):
        return True, []
    for size in range(1, len(given) + 1):
        for chosen in combinations(given, size):
            if any(part <= total for _index, part in chosen):  # in 元, a part is far above the 万元 total
                continue
            picked = {index for index, _part in chosen}
            rest = sum((p for i, p in given if i not in picked), Decimal(0))
            if _close(rest + sum((p for _i, p in chosen), Decimal(0)) / TEN_THOUSAND, total):
                return False, sorted(picked)
    return False, []


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(Decimal("0.01"), abs(b) * Decimal("0.0001"))


def _yuan_note(label: str, amount: Decimal, source: str | None, line: int | None) -> Diagnostic:
    wan = format(amount / TEN_THOUSAND, "f")
    return Diagnostic("amount-yuan-under-wan", Severity.WARNING,
                      f"“{label}”的金额 {format(amount, 'f')} 疑为以元填写（合 {wan} 万元），表头单位为万元；"
                      "数值按原样保留，请核对", source, line)


def _target_header(table: TargetTable, source: str | None) -> tuple[list[str], list[Diagnostic]]:
    parts = [getattr(table.funding, key) for key, _label in FUNDING_SOURCES]
    in_yuan, which = _yuan_amounts(table.total_wan, parts)
    line = table.field_lines.get("total_wan")
    if in_yuan and table.total_wan is not None:
        return ["total_wan"], [_yuan_note("项目总额", table.total_wan, source, line)]
    fields, notes = [], []
    for index in which:
        key, label = FUNDING_SOURCES[index]
        amount = parts[index]
        assert amount is not None
        fields.append(f"funding.{key}")
        notes.append(_yuan_note(label, amount, source, table.field_lines.get(key, line)))
    return fields, notes


_ROW_COLUMNS = ("initial_wan", "adjusted_wan", "spent_wan")
_COLUMN_LABELS = {"initial_wan": "年初预算数", "adjusted_wan": "全年预算数", "spent_wan": "全年执行数"}


def _selfeval_header(table: SelfEvaluationTable, source: str | None) -> tuple[list[str], list[Diagnostic]]:
    budget = table.budget
    if budget is None:
        return [], []
    fields: list[str] = []
    notes: list[Diagnostic] = []
    rows: list[FundingRow] = list(table.funding_rows)
    for column in _ROW_COLUMNS:
        total = getattr(budget, column)
        in_yuan, which = _yuan_amounts(total, [getattr(row, column) for row in rows])
        flagged = [("budget", budget)] if in_yuan else [(f"funding_rows[{i}]", rows[i]) for i in which]
        for path, row in flagged:
            amount = getattr(row, column)
            fields.append(f"{path}.{column}")
            notes.append(_yuan_note(f"{row.label or ''}·{_COLUMN_LABELS[column]}", amount,
                                    source, row.line))
    return fields, notes


def mark(table: Table, source: str | None = None) -> tuple[Table, list[Diagnostic]]:
    """``table`` with every guess about its values marked (``ambiguous``), and a diagnostic for each guess."""
    notes: list[Diagnostic] = []
    rows: list[Row] = []
    changed = False
    for row in table.indicators:
        new, found = _row_guesses(row, source)
        changed = changed or new is not row
        rows.append(new)
        notes += found
    header, header_notes = (_selfeval_header(table, source) if isinstance(table, SelfEvaluationTable)
                            else _target_header(table, source))
    if not changed and not header:
        return table, notes
    marked = tuple(dict.fromkeys((*table.ambiguous, *header)))
    return msgspec.structs.replace(table, indicators=tuple(rows), ambiguous=marked), notes + header_notes


def guessed_fields(table: Table) -> Iterator[str]:
    """Every field marked as guessed, as a path (``total_wan``, ``indicators[2].target``)."""
    yield from table.ambiguous
    rows: tuple[Row, ...] = table.indicators
    for index, row in enumerate(rows):
        for kind in row.ambiguous:
            yield f"indicators[{index}].{kind}"


def marked(results: Iterator[ReadResult] | list[ReadResult], reader: str) -> Iterator[ReadResult]:
    """``results`` of ``reader`` with their guesses marked (:func:`mark`); the clean layouts' as they are."""
    if reader in UNGUESSED_READERS:
        yield from results
        return
    silent_is_clean = reader in CLEAN_WHEN_SILENT
    for result in results:
        table = result.table
        if table is None or (silent_is_clean and not result.diagnostics):
            yield result
            continue
        source = table.source.file if table.source is not None else None
        new, notes = mark(table, source)
        yield result if new is table and not notes else ReadResult(new, (*result.diagnostics, *notes))
