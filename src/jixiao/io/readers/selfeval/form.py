"""The grammar of the official self-evaluation form (财预〔2020〕10号 附件), read from cells.

The form is read in its printed order — header labels, the funding block, the annual goal, the
indicator table, the total — by what each cell says, never by its position, so the same grammar
reads a pipe table, one cell per line or a flattened Word table. Everything is kept as published:
numbers as printed (``Decimal``), blanks as ``None``; amounts printed in 元 are converted to 万元
exactly and the conversion is said. A capture that stops inside the table gives what is there and
a ``table-cut-off`` diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.codes import CodedName, ProjectRef
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.domain.table import SourceRef
from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers.selfeval.cells import Cell
from jixiao.io.readers.selfeval.funding import figure_like, place_funding
from jixiao.io.readers.selfeval.indicators import build_indicators, cut_blocks, merge_header
from jixiao.io.readers.selfeval.text import number, percent, unit_note, weight_note
from jixiao.io.readers.selfeval_shared import split_contact, yuan_message, yuan_to_wan

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_LEVEL_KINDS = ("level1", "level2", "name")


@dataclass
class Reading:
    """What one table has gathered so far."""

    source: str
    first_line: int
    fields: dict[str, object] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    funding: list[FundingRow] = field(default_factory=list)
    indicators: list[EvaluatedIndicator] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    ended: bool = False  # the table's end (合计/总分/说明…) was reached
    reached_indicators: bool = False
    last: Cell | None = None

    def note(self, code: str, severity: Severity, message: str, line: int | None) -> None:
        self.notes.append(Diagnostic(code, severity, message, self.source, line))


def read_tables(cells: Sequence[Cell], source: str, positional: bool) -> list[tuple[SelfEvaluationTable | None,
                                                                                      tuple[Diagnostic, ...]]]:
    """Every table in ``cells``: a new one starts where a 项目名称 label follows a finished indicator table."""
    starts = [0]
    seen_indicators = False
    for index, cell in enumerate(cells):
        if cell.key in ("一级指标", "指标名称", "三级指标"):
            seen_indicators = True
        elif seen_indicators and words.LABELS.get(cell.key) == "project":
            back = index
            while back > starts[-1] and _is_title(cells[back - 1]):
                back -= 1
            starts.append(back)
            seen_indicators = False
    out = []
    for begin, end in zip(starts, [*starts[1:], len(cells)], strict=True):
        out.append(_read_one(cells[begin:end], source, positional))
    return out


def _is_title(cell: Cell) -> bool:
    return cell.key.endswith(words.TITLES) or bool(re.fullmatch(r"\(?(?:19|20)\d{2}年度?\)?", cell.key))


def _read_one(cells: Sequence[Cell], source: str, positional: bool) -> tuple[SelfEvaluationTable | None,
                                                                            tuple[Diagnostic, ...]]:
    reading = Reading(source, cells[0].line if cells else 1)
    _Parser(cells, reading, positional).run()
    if not (reading.fields or reading.funding or reading.indicators):
        reading.note("no-selfeval-table", Severity.ERROR,
                     "没有找到绩效自评表：应有“项目名称”“年初预算数/全年执行数”和“一级指标…实际完成值…得分”等内容",
                     reading.first_line)
        return None, tuple(reading.notes)
    return _table(reading), tuple(reading.notes)


def _table(reading: Reading) -> SelfEvaluationTable:
    fields = reading.fields
    budget = next((row for row in reading.funding if row.key == "total"), None)
    components = tuple(row for row in reading.funding if row is not budget)
    return SelfEvaluationTable(
        project=fields.get("project"),  # type: ignore[arg-type]
        department=fields.get("department"),  # type: ignore[arg-type]
        implementing_unit=fields.get("implementing_unit"),  # type: ignore[arg-type]
        contact_person=fields.get("contact_person"),  # type: ignore[arg-type]
        contact_phone=fields.get("contact_phone"),  # type: ignore[arg-type]
        year=fields.get("year"),  # type: ignore[arg-type]
        budget=budget,
        funding_rows=components,
        goal_expected=fields.get("goal_expected"),  # type: ignore[arg-type]
        goal_actual=fields.get("goal_actual"),  # type: ignore[arg-type]
        indicators=tuple(reading.indicators),
        published_total_score=fields.get("total"),  # type: ignore[arg-type]
        published_grade=fields.get("grade"),  # type: ignore[arg-type]
        evaluator=fields.get("evaluator"),  # type: ignore[arg-type]
        evaluated_on=fields.get("evaluated_on"),  # type: ignore[arg-type]
        source=SourceRef(reading.source, reading.first_line),
        field_lines=dict(reading.field_lines),
        cut_off=any(note.code == "table-cut-off" for note in reading.notes),
    )


def _funding_label(cell: Cell) -> tuple[str | None, str] | None:
    """(FundingRow.key, label as printed) when ``cell`` names a funding row."""
    key = cell.key
    text = cell.printed
    for prefix in ("其中:", "其中"):
        if key.startswith(prefix) and key != prefix:
            key, text = key[len(prefix):], text.removeprefix("其中").lstrip(" :：")
            break
    if key in words.FUNDING_ROWS:
        return words.FUNDING_ROWS[key], text.rstrip(" :：")
    return None


def _is_landmark(cell: Cell) -> bool:
    key = cell.key
    return (key in words.LABELS or key in words.FUNDING_OPENERS or key in words.GOAL_OPENERS
            or key in words.INDICATOR_OPENERS or key in ("一级指标", "指标名称") or key in words.TABLE_END
            or _funding_label(cell) is not None)


class _Parser:
    def __init__(self, cells: Sequence[Cell], reading: Reading, positional: bool) -> None:
        self.cells = list(cells)
        self.reading = reading
        self.positional = positional
        self.i = 0
        self.money_unit = "万元"
        self.execution_weight: Decimal | None = None

    # -- helpers ------------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Cell | None:
        index = self.i + offset
        return self.cells[index] if index < len(self.cells) else None

    def set(self, name: str, value: object, line: int) -> None:
        if value is None or name in self.reading.fields:
            return
        self.reading.fields[name] = value
        self.reading.field_lines[name] = line

    # -- the walk -----------------------------------------------------------------------------
    def run(self) -> None:
        cells = self.cells
        while self.i < len(cells):
            cell = cells[self.i]
            self.reading.last = cell
            self._year(cell)
            key = cell.key
            if key in words.LABELS and not self.reading.reached_indicators:
                self._label(cell)
            elif _inline_label(cell) is not None and not self.reading.reached_indicators:
                self._inline(cell)
            elif key in words.FUNDING_OPENERS or (key in words.FUNDING_COLUMNS and not self.reading.funding
                                                  and self._funding_heading_run()):
                self._funding(cell)
            elif key in words.GOAL_OPENERS and not self.reading.reached_indicators:
                self._goal()
            elif key in words.INDICATOR_OPENERS or key in ("一级指标", "指标名称"):
                self._indicators()
            elif self.reading.reached_indicators and key in words.TABLE_END:
                self._tail()
            else:
                self.i += 1

    def _year(self, cell: Cell) -> None:
        if "year" in self.reading.fields or "年" not in cell.text:
            return
        if cell.key.endswith(words.TITLES) or re.fullmatch(r"\(?(?:19|20)\d{2}年度?\)?", cell.text) \
                or (cell.text.startswith("(") and "年度" in cell.text):
            match = _YEAR_RE.search(cell.text)
            if match:
                self.set("year", int(match.group(1)), cell.line)

    def _value_after(self) -> Cell | None:
        """The next non-blank cell, unless it is itself a label or another landmark."""
        self.i += 1
        while (cell := self.peek()) is not None and cell.blank:
            self.i += 1
        if cell is None or _is_landmark(cell):
            return None
        self.i += 1
        return cell

    def _label(self, cell: Cell) -> None:
        name = words.LABELS[cell.key]
        if name == "total":
            self._total_label(cell)
            return
        value = self._value_after()
        if value is None:
            return
        self._assign(name, value.printed, value.line)

    def _inline(self, cell: Cell) -> None:
        found = _inline_label(cell)
        assert found is not None
        name, value = found
        self._assign(name, value, cell.line)
        self.i += 1

    def _assign(self, name: str, text: str, line: int) -> None:
        if name == "project":
            self.set("project", ProjectRef.parse(text), line)
        elif name == "project_code":
            return
        elif name == "year":
            match = _YEAR_RE.search(text + "年") if text.strip().isdigit() else _YEAR_RE.search(text)
            self.set("year", int(match.group(1)) if match else None, line)
        elif name == "skip":
            return
        elif name in ("department", "implementing_unit"):
            self.set(name, CodedName.parse(text), line)
        elif name == "contact":
            person, phone = split_contact(text)
            self.set("contact_person", person, line)
            self.set("contact_phone", phone, line)
        elif name == "grade":
            self.set("grade", text, line)
        else:
            self.set(name, text, line)

    def _total_label(self, cell: Cell) -> None:
        self.i += 1
        while (nxt := self.peek()) is not None and nxt.blank:
            self.i += 1
        if nxt is not None and number(nxt.text) is not None:
            self.set("total", number(nxt.text), nxt.line)
            self.i += 1

    # -- funding block ------------------------------------------------------------------------
    def _funding_heading_run(self) -> bool:
        following = [c for c in self.cells[self.i:self.i + 4] if not c.blank]
        return sum(1 for c in following if c.key in words.FUNDING_COLUMNS) >= 3

    def _funding(self, opener: Cell) -> None:
        unit = unit_note(opener.raw) or unit_note(opener.text)
        if unit is not None:
            self.money_unit = unit
        weight = weight_note(opener.text)
        if weight is not None:
            self.execution_weight = weight
        if opener.key in words.FUNDING_OPENERS:
            self.i += 1
        columns: list[str] = []
        while (cell := self.peek()) is not None:
            if cell.blank or cell.key in words.FUNDING_OPENERS:
                unit = unit_note(cell.raw) or unit_note(cell.text)
                self.money_unit = unit or self.money_unit
                self.i += 1
                continue
            kind = words.FUNDING_COLUMNS.get(cell.key)
            if kind is None and not columns and len(cell.key) <= 8 and not _is_landmark(cell) \
                    and (nxt := self.peek(1)) is not None and nxt.key in words.FUNDING_COLUMNS:
                self.i += 1  # debris between the block's opener and its first heading (OCR)
                continue
            if kind is None or kind in columns:
                break
            columns.append(kind)
            self.i += 1
        if not columns:
            return
        first = True
        while (cell := self.peek()) is not None:
            found = _funding_label(cell)
            if found is None and first and not _is_landmark(cell) and figure_like(cell):
                found = ("total", "")  # 部门整体 forms print the figures under the headings, with no row label
                self.i -= 1
            first = False
            if found is None:
                if cell.blank or cell.key in words.FIGURE_BLANKS:
                    self.i += 1
                    continue
                break
            self.i += 1
            values: list[Cell] = []
            while (nxt := self.peek()) is not None and not _is_landmark(nxt):
                values.append(nxt)
                self.i += 1
            self._funding_row(found, cell, values, columns)

    def _funding_row(self, found: tuple[str | None, str], label: Cell, values: list[Cell],
                     columns: list[str]) -> None:
        key, text = found
        cells = [c for c in values if self.positional or not (c.blank or c.key in words.FIGURE_BLANKS)]
        while cells and (cells[-1].blank or cells[-1].key in words.FIGURE_BLANKS) and len(cells) > len(columns):
            cells.pop()
        best = place_funding(cells, columns)
        placed = best[1] if best is not None else None
        if placed is None:
            shown = " ".join(c.text for c in cells)
            self.reading.note("funding-unplaced", Severity.WARNING,
                              f"资金行“{text}”的数值“{shown}”无法对应到“{'、'.join(columns)}”各列，未读入",
                              label.line)
            placed = {}
        figures: dict[str, Decimal | None] = {}
        converted_from: list[tuple[str, Decimal]] = []
        for kind, cell in placed.items():
            if kind == "reason" or cell.blank or cell.key in words.FIGURE_BLANKS:
                continue
            value = percent(cell.text) if kind == "execution_rate" else number(cell.text)
            if value is None:
                self.reading.note("bad-number", Severity.ERROR,
                                  f"“{text}”的“{cell.text}”不是数字，未读入（应如 15.00）", cell.line)
                continue
            if kind.endswith("_wan") and self.money_unit == "元":
                value = yuan_to_wan(value)
                converted_from.append((cell.printed, value))
            figures[kind] = value
        if converted_from:
            self.reading.note("amount-in-yuan", Severity.INFO, yuan_message(text, converted_from), label.line)
        row = FundingRow(key=key, label=text or None, line=label.line, **figures)  # type: ignore[arg-type]
        self.reading.funding.append(row)
        self.reading.field_lines.setdefault(f"funding.{key or text}", label.line)

    # -- goal -----------------------------------------------------------------------------------
    def _goal(self) -> None:
        self.i += 1
        headings: list[str] = []
        while (cell := self.peek()) is not None:
            if cell.blank:
                self.i += 1
                continue
            if cell.key in words.GOAL_EXPECTED and "expected" not in headings:
                headings.append("expected")
            elif cell.key in words.GOAL_ACTUAL and "actual" not in headings:
                headings.append("actual")
            elif cell.key in words.GOAL_SKIPPED:
                headings.append("skipped")
            else:
                break
            self.i += 1
        for heading in headings or ["expected", "actual"]:
            cell = self.peek()
            while cell is not None and cell.blank:
                self.i += 1
                cell = self.peek()
            if cell is None or _is_landmark(cell) or cell.key in words.GOAL_SKIPPED:
                break
            self.i += 1
            if heading != "skipped":
                self.set(f"goal_{heading}", cell.printed, cell.line)

    # -- indicators -------------------------------------------------------------------------------
    def _indicators(self) -> None:
        self.reading.reached_indicators = True
        first: list[str] = []
        second: list[str] = []
        row = first
        while (cell := self.peek()) is not None:
            if cell.blank or cell.key in words.INDICATOR_OPENERS:
                self.i += 1
                continue
            kind = words.INDICATOR_COLUMNS.get(cell.key)
            if kind is None:
                break
            if kind == "level1" and first and row is first:
                row = second
            row.append(kind)
            self.i += 1
        columns = merge_header(first, second)
        body: list[Cell] = []
        while (cell := self.peek()) is not None and cell.key not in words.TABLE_END:
            body.append(cell)
            self.i += 1
        self.reading.ended = cell is not None
        blocks = cut_blocks(body)
        values = [kind for kind in columns if kind not in _LEVEL_KINDS]
        ocr: list[tuple[Cell, str]] = []
        indicators, dropped = build_indicators(blocks, values, self.positional, not self.reading.ended, ocr)
        for cell, reading in ocr:
            self.reading.note("ocr-reading", Severity.WARNING,
                              f"“{cell.text}”疑为识别错误，读作“{reading}”；请核对原件", cell.line)
        self.reading.indicators.extend(indicators)
        if not self.reading.ended:
            last = body[-1] if body else None
            where = f"“{last.text}”" if last else "指标表表头"
            tail = f"；最后一行“{dropped.text}”不完整，未读入" if dropped is not None else ""
            self.reading.note("table-cut-off", Severity.WARNING,
                              f"表在{where}处中断（之后没有“合计/总分”等表尾）：已读入中断前的 {len(indicators)} 行指标"
                              f"{tail}；总分与自评等级未读到", last.line if last else None)

    def _tail(self) -> None:
        cell = self.cells[self.i]
        self.i += 1
        if cell.key not in words.TOTAL_LABELS:
            return
        figures: list[Cell] = []
        while (nxt := self.peek()) is not None and not _is_landmark(nxt) and len(figures) < 4:
            if not nxt.blank:
                figures.append(nxt)
            self.i += 1
        numbers = [number(c.text) for c in figures if number(c.text) is not None]
        grade = next((c.text for c in figures if c.key in words.GRADES), None)
        if len(numbers) >= 2:
            self.set("total", numbers[1], cell.line)
        elif len(numbers) == 1 and not self._is_weight_total(numbers[0]):
            self.set("total", numbers[0], cell.line)
        if grade is not None:
            self.set("grade", grade, cell.line)

    def _is_weight_total(self, value: Decimal | None) -> bool:
        weights = [i.weight for i in self.reading.indicators if i.weight is not None and i.parent is None]
        budget = next((row for row in self.reading.funding if row.key == "total"), None)
        execution = budget.execution_weight if budget and budget.execution_weight is not None else Decimal(0)
        total = sum(weights, Decimal(0))
        return value in (total, total + execution)


def _inline_label(cell: Cell) -> tuple[str, str] | None:
    """"部门:临沧市永德县明朗中学", "项目名称:…": a label and its value in one cell."""
    if ":" not in cell.text:
        return None
    head, _, tail = cell.text.partition(":")
    from jixiao.io.readers.selfeval.text import key

    name = words.LABELS.get(key(head))
    if name is None or not tail.strip() or name in ("total", "grade"):
        return None
    return name, re.split("[:：]", cell.printed, maxsplit=1)[-1].strip()
