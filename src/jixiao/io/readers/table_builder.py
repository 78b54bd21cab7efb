"""Assemble a :class:`TargetTable` from raw cell texts, reporting what cannot be read.

Layout readers only find *where* each value is; this builder turns the texts into
the domain model the same way for every layout, so money, weights, codes and
indicator rows are read (and complained about) consistently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import repeat
from operator import is_

from jixiao.domain import (
    CodedName,
    Diagnostic,
    Funding,
    Indicator,
    ProjectRef,
    Severity,
    SourceRef,
    TargetTable,
    Value,
    parse_direction,
    parse_operator,
)
from jixiao.domain.labels import HEADER_FIELDS
from jixiao.domain.text import clean, fold_width, parse_decimal
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.columns import COLUMN_LABELS, INDICATOR_FIELDS, fit_cells
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary

MONEY_FIELDS = ("total_wan", "fiscal", "special_account", "unit_own", "social", "bank_loan")
_TEXT_JOINERS = {"annual_goal": "\n"}  # paragraphs stay paragraphs; other wraps are mid-word
_REQUIRED_COLUMNS = ("level1", "level2", "name", "operator", "target", "weight", "direction")
_WEIGHT_LABEL, _CURRENT_WEIGHT_LABEL = COLUMN_LABELS["weight"], COLUMN_LABELS["current_weight"]


_UNREADABLE = Decimal("NaN")  # sentinel: text present but not a number
_PLAIN_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)  # as domain.text.parse_decimal's first test


@lru_cache(maxsize=4096)
def _to_decimal(raw: str, strip_unit: str) -> Decimal | None:
    """Read "15.00", " 15.00 万元", "１５％"; ``None`` when blank, ``_UNREADABLE`` when not a number.

    Cached: published corpora repeat the same few amounts and weights endlessly.
    """
    if strip_unit and raw.endswith(strip_unit):  # "221.79 万元": the plain number needs no folding
        head = raw[: -len(strip_unit)].rstrip(" ")
        if _PLAIN_NUMBER_RE.fullmatch(head) is not None:
            return Decimal(head)
    folded = fold_width(raw).replace(" ", "").strip()
    if strip_unit and folded.endswith(strip_unit):
        folded = folded[: -len(strip_unit)]
    elif folded.endswith("%"):
        folded = folded[:-1]
    if not folded:
        return None
    number = parse_decimal(folded)
    return _UNREADABLE if number is None else number


@lru_cache(maxsize=256)
def _columns_for(header: tuple[str, ...], vocabulary: Vocabulary,
                 ) -> tuple[tuple[str, ...], tuple[tuple[str, str, str | None], ...]]:
    """Column identifiers for a header row, and (code, message, column) notes about it."""
    columns: list[str] = []
    notes: list[tuple[str, str, str | None]] = []
    for position, cell in enumerate(header, start=1):
        field = vocabulary.column_field(cell)
        if field is None or field in columns:
            what = "重复的列" if field else "未识别的列"
            notes.append(("unknown-column", f"指标表第{position}列“{cell}”是{what}，该列内容不读入", cell))
            field = f"?{position}"
        columns.append(field)
    missing = [COLUMN_LABELS[f] for f in _REQUIRED_COLUMNS if f not in columns]
    if missing:
        notes.append(("missing-column", f"指标表缺少列：{'、'.join(missing)}", None))
    return tuple(columns), tuple(notes)


@lru_cache(maxsize=256)
def _operator_text(text: str | None) -> tuple[str | None, bool]:
    """Canonical operator spelling and whether it was recognised (blank counts as fine)."""
    kind = parse_operator(text)
    return (str(kind), True) if kind is not None else (text, text is None)


@lru_cache(maxsize=256)
def _direction_text(text: str | None) -> tuple[str | None, bool]:
    kind = parse_direction(text)
    return (str(kind), True) if kind is not None else (text, text is None)


# Parsed names and values are immutable, so identical texts can share one object.
_coded_name = lru_cache(maxsize=4096)(CodedName.parse)
_value = lru_cache(maxsize=8192)(Value.of)


_FUNDING_ORDER = ("fiscal", "special_account", "unit_own", "social", "bank_loan")
_HEADER_KEYS = frozenset(HEADER_FIELDS)
_AMOUNT_FIELDS = ("total_wan", "execution_weight", *_FUNDING_ORDER)  # what build reads as numbers, in order
_AMOUNT_UNITS = ("万元", "", *["万元"] * len(_FUNDING_ORDER))
_BLANKS = repeat("")
_NOT_NUMBERS = repeat(_UNREADABLE)
_HEADER_COUNT = len(HEADER_FIELDS)


def _field_lines(value_lines: dict[str, int]) -> dict[str, int]:
    """Lines by model field; the funding block is located by its first row (``value_lines`` is reused)."""
    lines = value_lines
    funding = [lines[field] for field in _FUNDING_ORDER if field in lines]
    if "project" in lines:
        lines["project_code"] = lines["project"]
    if funding:
        lines["funding"] = min(funding)
    return lines


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TableBuilder:
    """Collects one table's raw values while a reader walks its lines (headings named by ``vocabulary``)."""

    __slots__ = ("_exact", "columns", "diagnostics", "indicators", "line", "source", "value_lines", "values",
                 "vocabulary")

    def __init__(self, source: str, line: int, vocabulary: Vocabulary = BUILTIN) -> None:
        self.source = source
        self.line = line
        self.vocabulary = vocabulary
        self.values: dict[str, str] = {}
        self.value_lines: dict[str, int] = {}
        self.columns: list[str] | None = None
        self.indicators: list[Indicator] = []
        self.diagnostics: list[Diagnostic] = []
        self._exact = False  # the header is exactly the eleven standard columns

    # -- collecting -----------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.values and self.columns is None and not self.diagnostics

    def counts_as_table(self) -> int:
        return 0 if self.is_empty() else 1

    def finish(self) -> ReadResult:
        """The table read so far, or a warning when a title was followed by nothing."""
        if self.is_empty():
            return ReadResult(None, (Diagnostic(
                "empty-table", Severity.WARNING,
                "标题“绩效目标表”之后没有任何表头或指标内容", self.source, self.line),))
        return self.build()

    def has(self, field: str) -> bool:
        return field in self.values

    def set(self, field: str, text: str, line: int) -> None:
        self.values[field] = text.strip()
        self.value_lines[field] = line

    def extend(self, field: str, text: str) -> None:
        joiner = _TEXT_JOINERS.get(field, "")
        previous = self.values.get(field, "")
        self.values[field] = f"{previous}{joiner}{text}" if previous else text

    def note(self, code: str, severity: Severity, message: str, line: int | None,
             column: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, self.source, line, column))

    def note_stray(self, line: int, text: str) -> None:
        self.note("stray-line", Severity.WARNING, f"无法识别的行，未读入：“{_clip(text)}”", line)

    def set_columns(self, header: Sequence[str], line: int) -> None:
        cells = list(header)
        while cells and not cells[-1]:
            cells.pop()
        columns, notes = _columns_for(tuple(cells), self.vocabulary)
        for code, message, column in notes:
            self.note(code, Severity.WARNING, message, line, column)
        self.columns = list(columns)
        self._exact = columns == INDICATOR_FIELDS

    def set_standard_columns(self) -> None:
        """:meth:`set_columns` for a header known to name the eleven standard columns in order (no notes)."""
        self.columns = list(INDICATOR_FIELDS)
        self._exact = True

    @property
    def standard_row(self) -> Callable[[Sequence[str], int], Indicator] | None:
        """With the eleven standard columns: what :meth:`add_row` builds from a row of eleven cells."""
        return self._standard_row if self._exact else None

    def add_row(self, cells: Sequence[str], line: int, text: str) -> None:
        if self.columns is None:
            self.note("row-without-header", Severity.ERROR,
                      f"指标行出现在指标表头之前，未读入：“{_clip(text)}”", line)
            return
        if self._exact and len(cells) == 11:  # the usual layout: straight to the model
            self.indicators.append(self._standard_row(cells, line))
            return
        placed = self._place(list(cells), line, text)
        if placed is not None:
            self.indicators.append(self._indicator(placed, line))

    def _standard_row(self, cells: Sequence[str], line: int) -> Indicator:
        """:meth:`_indicator` for the eleven standard columns in order, without the dict (the hot path)."""
        level1, level2, name, op_cell, history, target, current, unit, weight, current_weight, dir_cell = cells
        operator, known = _operator_text(op_cell or None)
        if not known:
            self.note("unknown-operator", Severity.WARNING,
                      f"指标性质“{operator}”不是 ≥、＞、=、＜、≤、定性 之一，按原文保留",
                      line, "指标性质")
        direction, known = _direction_text(dir_cell or None)
        if not known:
            self.note("unknown-direction", Severity.WARNING,
                      f"指标方向性“{direction}”不是 正向指标 或 反向指标，按原文保留",
                      line, "指标方向性")
        return Indicator(
            level1 or None,
            level2 or None,
            name or None,
            operator,
            _value(history) if history else None,
            _value(target) if target else None,
            _value(current) if current else None,
            unit or None,
            (None if not weight else self._number(weight, _WEIGHT_LABEL, line, "权重")
             if (number := _to_decimal(weight, "")) is _UNREADABLE else number),
            (None if not current_weight else self._number(current_weight, _CURRENT_WEIGHT_LABEL, line, "本年权重")
             if (number := _to_decimal(current_weight, "")) is _UNREADABLE else number),
            direction,
            line,
        )

    def _place(self, cells: list[str], line: int, text: str) -> dict[str, str] | None:
        columns = self.columns or []
        if self._exact and len(cells) == 11:  # the usual layout: no fitting needed
            return dict(zip(INDICATOR_FIELDS, cells, strict=True))
        if len(cells) > len(columns):
            extra = [c for c in cells[len(columns):] if c]
            if extra:
                self.note("row-extra-cells", Severity.ERROR,
                          f"该行有{len(cells)}个单元格，指标表只有{len(columns)}列；"
                          f"多出的“{'｜'.join(extra)}”未读入", line)
            cells = cells[: len(columns)]
        if len(cells) == len(columns):
            return dict(zip(columns, cells, strict=True))
        placed = fit_cells(cells, columns, self.vocabulary.level1)
        if placed is None:
            self.note("row-unreadable", Severity.ERROR,
                      f"该行只有{len(cells)}个单元格（应为{len(columns)}个），无法判断各值所属的列，"
                      f"未读入：“{_clip(text)}”", line)
            return None
        blanks = [COLUMN_LABELS.get(c, c) for c in columns if c not in placed and c[0] != "?"]
        self.note("row-cells-inferred", Severity.WARNING,
                  f"该行只有{len(cells)}个单元格（应为{len(columns)}个），已按内容判断，"
                  f"视为空白的列：{'、'.join(blanks)}；请核对", line)
        return placed

    def _indicator(self, placed: dict[str, str], line: int) -> Indicator:
        get = placed.get
        operator, known = _operator_text(get("operator") or None)
        if not known:
            self.note("unknown-operator", Severity.WARNING,
                      f"指标性质“{operator}”不是 ≥、＞、=、＜、≤、定性 之一，按原文保留",
                      line, "指标性质")
        direction, known = _direction_text(get("direction") or None)
        if not known:
            self.note("unknown-direction", Severity.WARNING,
                      f"指标方向性“{direction}”不是 正向指标 或 反向指标，按原文保留",
                      line, "指标方向性")
        return Indicator(
            get("level1") or None,
            get("level2") or None,
            get("name") or None,
            operator,
            _value(get("history") or None),
            _value(get("target") or None),
            _value(get("current_target") or None),
            get("unit_of_measure") or None,
            self._number(get("weight"), COLUMN_LABELS["weight"], line, "权重"),
            self._number(get("current_weight"), COLUMN_LABELS["current_weight"], line, "本年权重"),
            direction,
            line,
        )

    # -- building -------------------------------------------------------------------
    def _number(self, raw: str | None, label: str, line: int | None, column: str,
                strip_unit: str = "") -> Decimal | None:
        if not raw:
            return None
        number = _to_decimal(raw, strip_unit)
        if number is _UNREADABLE:
            text = raw.strip()
            unit = f"以{strip_unit}计的" if strip_unit else ""
            self.note("bad-number", Severity.ERROR,
                      f"“{label}”的值“{text}”不是{unit}数字，未读入（应如 15.00）", line, column)
            return None
        return number

    def _money(self, field: str) -> Decimal | None:
        raw = self.values.get(field)
        if not raw:
            return None
        label = HEADER_FIELDS[field]
        return self._number(raw, label, self.value_lines.get(field), label, strip_unit="万元")

    def build(self) -> ReadResult:
        seen = self.values
        missing = [] if len(seen) >= _HEADER_COUNT and seen.keys() >= _HEADER_KEYS else [
            label for field, label in HEADER_FIELDS.items() if field not in seen]
        if missing and seen:
            self.note("missing-field", Severity.WARNING,
                      f"表头缺少“{'”“'.join(missing)}”行", self.line)
        if self.columns is None:
            self.note("no-indicator-table", Severity.ERROR,
                      "没有找到指标表（应有“一级指标 二级指标 三级指标 …”表头行）", self.line)
        elif not self.indicators:
            self.note("empty-indicator-table", Severity.WARNING, "指标表没有任何指标行", self.line)
        get = self.values.get
        # The amounts at once (cached per text); read one by one, with their notes, only when one is not a number.
        amounts = list(map(_to_decimal, map(get, _AMOUNT_FIELDS, _BLANKS), _AMOUNT_UNITS))
        if any(map(is_, amounts, _NOT_NUMBERS)):  # (by identity: Decimal == None asks the numbers ABCs)
            amounts = [self._money("total_wan"),
                       self._number(get("execution_weight"), "预算执行率权重",
                                    self.value_lines.get("execution_weight"), "预算执行率权重"),
                       *map(self._money, _FUNDING_ORDER)]
        total_wan, execution_weight, *funding = amounts
        table = TargetTable(
            unit=_coded_name(get("unit")),
            project=ProjectRef.parse(get("project")),  # unique per table: no cache
            function=_coded_name(get("function")),
            department=_coded_name(get("department")),
            contact_person=clean(get("contact_person")),
            contact_phone=clean(get("contact_phone")),
            total_wan=total_wan,
            execution_weight=execution_weight,
            funding=Funding(*funding),
            annual_goal=clean(get("annual_goal")),
            indicators=tuple(self.indicators),
            source=SourceRef(self.source, self.line),
            field_lines=_field_lines(self.value_lines),
        )
        return ReadResult(table, tuple(self.diagnostics))


__all__ = ["HEADER_FIELDS", "INDICATOR_FIELDS", "MONEY_FIELDS", "TableBuilder"]
