"""The row grammar of the self-evaluation form: rows of cells (a text line, a sheet row) → tables as they complete.

The official form (财预〔2020〕10号 附件) and the score sheet are grids: a title, label/value pairs (项目名称, 主管部门,
实施单位…), the funding block under its heading row (年初预算数 全年预算数 全年执行数 分值 执行率 得分), the annual
goal (预期目标, 实际完成情况), the indicator table under its heading row, 总分 and 自评等级. A layout only turns its
file into rows of cell texts (with the cells' names, for sheets) and feeds them here; which row is which is told
by the words of :mod:`selfeval_vocabulary`, so the same grammar reads text, and any grid a reader hands it.
Merged cells come as blanks: a blank 一级 or 二级 cell continues the row above.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from jixiao.domain import CodedName, Diagnostic, ProjectCode, ProjectRef, Severity, SourceRef, Value
from jixiao.domain.selfeval_labels import FUNDING_COLUMN_LABELS, INDICATOR_COLUMN_LABELS
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable, Variant
from jixiao.domain.text import clean, parse_decimal
from jixiao.io.readers import selfeval_cells as cells_of
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_shared import split_subrow, yuan_message
from jixiao.io.readers.vocabulary import normalise

_TEXT_FIELDS = ("goal_expected", "goal_actual")  # paragraphs: a wrapped line is a new paragraph
_ROW_LIKE_CELLS = 4


def _label(cell: str) -> str | None:
    """A header label's field, or a goal heading's (预期目标 → goal_expected): both take the value beside them."""
    return words.label_field(cell) or words.goal_field(cell)


def _is_section(cell: str) -> bool:
    return words.is_section(cell)


class _Draft:
    """What has been read of the table being read."""

    def __init__(self, line: int | None, variant: Variant | None = None) -> None:
        self.line = line
        self.variant = variant
        self.values: dict[str, Any] = {}
        self.field_lines: dict[str, int] = {}
        self.funding: dict[int, str] | None = None  # cell position → FundingRow field
        self.in_yuan = False
        self.budget: FundingRow | None = None
        self.rows: list[FundingRow] = []
        self.columns: dict[int, str] | None = None  # cell position → EvaluatedIndicator field
        self.column_offset = 0
        self.indicators: list[EvaluatedIndicator] = []
        self.level1: tuple[str | None, Decimal | None] = (None, None)
        self.level2: str | None = None
        self.top_name: str | None = None
        self.pending_goals: list[str] = []
        self.continuing: str | None = None
        self.diagnostics: list[Diagnostic] = []
        self.content = False


class SelfEvalRows:
    """Feed rows with :meth:`feed` (each completed table is yielded), then :meth:`finish`."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.draft: _Draft | None = None
        self.tables = 0
        self._line: int | None = None
        self._names: Sequence[str] | None = None

    # -- diagnostics ---------------------------------------------------------------------------
    def say(self, code: str, severity: Severity, message: str, column: str | None = None,
            index: int | None = None) -> None:
        names = self._names
        cell = names[index] if names is not None and index is not None and index < len(names) else None
        draft = self._open()
        draft.diagnostics.append(Diagnostic(code, severity, message, self.source, self._line,
                                            None if cell else column, cell))

    def _reporter(self, index: int | None) -> cells_of.Report:
        def report(label: str, expected: str, raw: str) -> None:
            self.say("selfeval-bad-number", Severity.ERROR, f"“{label}”应为{expected}，实际为“{raw}”，该值未读入",
                     label, index)
        return report

    # -- rows --------------------------------------------------------------------------------------
    def feed(self, line: int | None, cells: Sequence[str], names: Sequence[str] | None = None) -> Iterator[ReadResult]:
        """Read one row; yields the previous table when this row starts the next one."""
        self._line, self._names = line, names
        row = [cell.strip() for cell in cells]
        while row and not row[-1]:
            row.pop()
        filled = [cell for cell in row if cell]
        if not filled:
            if self.draft is not None:
                self.draft.continuing = None
            return
        if len(filled) <= 2 and "表" in filled[0] and words.is_title(filled[0]):
            yield from self._close()
            variant: Variant = "score_sheet" if words.is_score_sheet_title(filled[0]) else "form"
            self.draft = _Draft(line, variant)
            year = cells_of.title_year(filled[0])
            if year is not None:
                self._set("year", year)
            return
        start = next(index for index, cell in enumerate(row) if cell)
        draft = self.draft
        if draft is not None and draft.values.get("project") and draft.indicators and _label(row[start]) == "project":
            yield from self._close()  # a new table without a title: its 项目名称 after the last one's indicators
        self._row(row, start, filled)

    def finish(self) -> Iterator[ReadResult]:
        yield from self._close()

    def _open(self) -> _Draft:
        if self.draft is None:
            self.draft = _Draft(self._line)
        return self.draft

    def _set(self, field: str, value: Any) -> None:
        draft = self._open()
        draft.values[field] = value
        draft.content = True
        if self._line is not None:
            draft.field_lines.setdefault(field, self._line)

    def _row(self, row: list[str], start: int, filled: list[str]) -> None:
        draft = self._open()
        first = row[start]
        if len(filled) == 1:
            year = cells_of.year_line(first)
            if year is not None and "year" not in draft.values:
                self._set("year", year)
                return
            if draft.continuing is not None and _label(first) is None and not _is_section(first):
                self._continue(draft, first)
                return
        while start < len(row) - 1 and (not row[start] or _is_section(row[start])):
            if "元" in row[start]:
                draft.in_yuan = "万元" not in row[start]
            start += 1
        first = row[start]
        if _is_section(first):  # a section heading alone ("年度总体目标"), its unit noted above
            draft.in_yuan = ("元" in first and "万元" not in first) or draft.in_yuan
            draft.continuing = None
            return
        if _label(first) is not None:
            self._labels(row, start)
        elif draft.pending_goals:
            for field, value in zip(draft.pending_goals, [cell for cell in row[start:] if cell], strict=False):
                self._set(field, value)
            draft.pending_goals = []
        elif self._heading(row, start):
            draft.continuing = None
        elif draft.columns is None and draft.funding is not None and (
                words.funding_row_key(first) is not None or _other_funding_row(row, start)):
            self._funding_row(row, start)
        elif draft.columns is not None:
            self._indicator(row)
        elif draft.funding is None and words.funding_row_key(first) is not None and len(filled) > 1:
            self._funding_row(row, start)
        elif len(filled) >= _ROW_LIKE_CELLS:
            self.say("row-without-header", Severity.ERROR,
                     f"指标行出现在指标表头之前，未读入：“{' '.join(filled)[:60]}”")
        else:
            self.say("stray-line", Severity.WARNING, f"无法识别的行，未读入：“{' '.join(filled)[:60]}”")

    def _continue(self, draft: _Draft, text: str) -> None:
        field = draft.continuing
        assert field is not None
        before = draft.values.get(field)
        joiner = "\n" if field in _TEXT_FIELDS else ""
        draft.values[field] = text if not before else f"{before}{joiner}{text}"

    def _labels(self, row: list[str], start: int) -> None:
        """Label/value pairs across the row: "项目名称 | X | 主管部门 | Y"; a label without a value waits for one."""
        draft = self._open()
        draft.continuing = None
        index, waiting = start, []
        while index < len(row):
            field = _label(row[index]) if row[index] else None
            if field is None:
                index += 1
                continue
            if field == "total":
                self._total(row[index + 1:], index)
                return
            value = row[index + 1] if index + 1 < len(row) else ""
            if value and _label(value) is None:
                self._field(field, value, index + 1)
                index += 2
            else:
                waiting.append(field)
                index += 1
        goals = [field for field in waiting if field in _TEXT_FIELDS]
        if len(goals) > 1:  # 预期目标 | 实际完成情况 as headings: the next row holds the two texts
            draft.pending_goals = goals
        elif waiting:
            draft.continuing = waiting[-1]
            if waiting[-1] in draft.values:  # "预期目标：" again: the text follows on the next lines
                draft.values.pop(waiting[-1])
            draft.field_lines.setdefault(waiting[-1], self._line or 0)

    def _field(self, field: str, value: str, index: int) -> None:
        draft = self._open()
        report = self._reporter(index)
        if field == "year":
            year = cells_of.year(value, report)
            if year is not None:
                self._set("year", year)
        elif field == "contact":
            person, phone = cells_of.person_and_phone(value)
            self._set("contact_person", person)
            if phone is not None:
                self._set("contact_phone", phone)
        elif field == "grade":
            self._set("grade", cells_of.blank(value))
        elif field == "skip":
            return
        else:
            self._set(field, value)
            draft.continuing = field

    def _total(self, rest: list[str], index: int) -> None:
        """总分 and what follows it: "总分 | 100 | 96 | 优" (分值, 得分, 等级) or "总分：96"."""
        numbers: list[Decimal] = []
        for offset, cell in enumerate(rest):
            if not cells_of.blank(cell):
                continue
            value = cells_of.number(cell, "总分", "分数（如 96.5）", lambda *_: None, units=("分",))
            if value is not None:
                numbers.append(value)
            elif words.label_field(cell) == "grade":
                continue
            elif normalise(cell) in vocabulary.GRADES:
                self._set("grade", cell)
            else:
                self._reporter(index + 1 + offset)("总分", "分数（如 96.5）", cell)
        if numbers:
            self._set("total", numbers[-1])
        else:
            self._set("total", None)

    def _heading(self, row: list[str], start: int) -> bool:
        funding, indicators = words.may_be_heading(row)
        return (funding and self._funding_heading(row, start)) or (indicators and self._indicator_heading(row))

    def _funding_heading(self, row: list[str], start: int) -> bool:
        fields = {index: words.funding_column(cell) for index, cell in enumerate(row) if cell}
        named = {index: field for index, field in fields.items() if field}
        core = {"initial_wan", "adjusted_wan", "spent_wan", "execution_rate"}
        if len(named) < 2 or not core & set(named.values()) or any(words.indicator_column(c) == "level1" for c in row):
            return False
        draft = self._open()
        draft.funding = named
        draft.content = True
        return True

    def _indicator_heading(self, row: list[str]) -> bool:
        fields = [words.indicator_column(cell) if cell else None for cell in row]
        if "level1" not in fields or not {"name", "level2"} & set(fields) or sum(f is not None for f in fields) < 3:
            return False
        draft = self._open()
        columns: dict[int, str] = {}
        for index, (cell, field) in enumerate(zip(row, fields, strict=True)):
            if not cell or (field is None and _is_section(cell)):
                continue
            if field is None or field in columns.values():
                what = "未识别的列" if field is None else "重复的列"
                self.say("unknown-column", Severity.WARNING,
                         f"指标表第{index + 1}列“{cell}”是{what}，该列内容不读入", cell, index)
                continue
            columns[index] = field
        draft.columns = columns
        draft.column_offset = min(columns)
        draft.content = True
        return True

    def _funding_row(self, row: list[str], start: int) -> None:
        draft = self._open()
        label = row[start].rstrip(":：")
        key = words.funding_row_key(label)
        label = words.strip_subrow(label)[1]
        columns = draft.funding or dict(enumerate(FUNDING_COLUMN_LABELS, start + 1))
        shift = max(0, start + 1 - min(columns))
        found: dict[str, Decimal | None] = {}
        converted: list[tuple[str, Decimal]] = []
        for index, field in columns.items():
            position = index + shift
            text = row[position] if position < len(row) else None
            where = f"{label}·{FUNDING_COLUMN_LABELS[field]}"
            report = self._reporter(position)
            if field in ("initial_wan", "adjusted_wan", "spent_wan"):
                found[field] = cells_of.money(text, where, report, draft.in_yuan)
                if draft.in_yuan and text and found[field] is not None:
                    converted.append((text, found[field]))  # type: ignore[arg-type]
            elif field == "execution_rate":
                found[field] = cells_of.percent(text, where, report)
            else:
                found[field] = cells_of.points(text, where, report)
        if converted:
            self.say("amount-in-yuan", Severity.INFO, yuan_message(label, converted))
        funding_row = FundingRow(key, label, line=self._line, **found)
        draft.content = True
        if key == "total" and draft.budget is None:
            draft.budget = funding_row
            draft.field_lines.setdefault("budget", self._line or 0)
        else:
            draft.rows.append(funding_row)

    def _indicator(self, row: list[str]) -> None:
        draft = self._open()
        assert draft.columns is not None
        shift = draft.column_offset if row[0] and draft.column_offset and len(row) <= max(draft.columns) else 0
        cells: dict[str, str | None] = {}
        for index, field in draft.columns.items():
            position = index - shift
            cells[field] = row[position] if 0 <= position < len(row) else None
        last = max(draft.columns) - shift
        extra = [cell for cell in row[last + 1:] if cell]
        if extra:
            self.say("row-extra-cells", Severity.ERROR,
                     f"该行有{len(row)}个单元格，指标表只有{last + 1}列；多出的“{' '.join(extra)[:40]}”未读入")
        self._add_indicator(cells, {field: index - shift for index, field in draft.columns.items()})

    def _add_indicator(self, cells: dict[str, str | None], positions: dict[str, int]) -> None:
        draft = self._open()
        reported = {field: self._reporter(position) for field, position in positions.items()}
        raw_level1 = cells_of.blank(cells.get("level1"))
        if raw_level1 is None:
            level1, block = draft.level1
            level2 = clean(cells.get("level2")) or draft.level2
        else:
            level1, block = cells_of.level1_cell(raw_level1, reported["level1"])
            level2 = clean(cells.get("level2"))
            if level1 == draft.level1[0] and level2 is None:
                level2 = draft.level2
        name_cell = clean(cells.get("name"))
        parent, name = None, name_cell
        if name_cell is not None:
            rest, explicit, is_sub = split_subrow(name_cell)
            if explicit is not None:
                parent, name = explicit, rest
            elif is_sub:
                name = rest
                parent = draft.top_name
                if parent is None:
                    self.say("selfeval-orphan-subrow", Severity.WARNING,
                             f"“其中”行“{name}”之前没有它所属的三级指标，按普通指标读入", "三级指标",
                             positions.get("name"))
        where = f"三级指标“{name}”的" if name else f"第{len(draft.indicators) + 1}个指标的"
        operator, known = cells_of.operator(cells.get("operator"))
        if not known:
            self.say("unknown-operator", Severity.WARNING,
                     f"指标性质“{operator}”不是 ≥、＞、=、＜、≤、定性 之一，按原文保留", "指标性质",
                     positions.get("operator"))

        def score(field: str) -> Decimal | None:
            text = cells.get(field)
            if text is None:
                return None
            return cells_of.points(text, where + INDICATOR_COLUMN_LABELS[field], reported[field])

        item = EvaluatedIndicator(
            level1, level2, name, operator, Value.of(clean(cells.get("target"))), clean(cells.get("unit_of_measure")),
            score("weight"), Value.of(clean(cells.get("actual"))), score("score"), clean(cells.get("deviation_reason")),
            parent, block, clean(cells.get("criteria")), score("recheck_score"), self._line)
        draft.indicators.append(item)
        draft.field_lines.setdefault("indicators", self._line or 0)
        draft.level1, draft.level2 = (level1, block), level2
        if parent is None:
            draft.top_name = name
        draft.content = True

    # -- the table ---------------------------------------------------------------------------------
    def _close(self) -> Iterator[ReadResult]:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        if not draft.content:
            if draft.variant is not None:  # a title and nothing after it
                message = "标题“项目支出绩效自评表”之后没有任何内容"
                draft.diagnostics.append(Diagnostic("empty-table", Severity.WARNING, message, self.source, draft.line))
            if draft.diagnostics:
                yield ReadResult(None, tuple(draft.diagnostics))
            return
        self._line, self._names = draft.line, None
        table = self._table(draft)
        if draft.columns is None:
            draft.diagnostics.append(Diagnostic(
                "no-indicator-table", Severity.ERROR,
                "没有找到绩效指标表（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）",
                self.source, draft.line))
        elif not draft.indicators:
            draft.diagnostics.append(Diagnostic("empty-indicator-table", Severity.WARNING, "指标表没有任何指标行",
                                                self.source, draft.line))
        if table.variant == "form" and draft.budget is None and not draft.rows:
            draft.diagnostics.append(Diagnostic("missing-field", Severity.WARNING, "表头缺少“年度资金总额”行",
                                                self.source, draft.line))
        self.tables += 1
        yield ReadResult(table, tuple(draft.diagnostics))

    def _table(self, draft: _Draft) -> SelfEvaluationTable:
        values = draft.values
        project = ProjectRef.parse(clean(values.get("project")))
        code = clean(values.get("project_code"))
        if code is not None and (project is None or project.code is None):
            name, suffix = (project.name, project.suffix) if project else (None, None)
            project = ProjectRef(ProjectCode(code), name, suffix)
        variant = draft.variant or _inferred_variant(draft)
        return SelfEvaluationTable(
            variant=variant,
            project=project,
            department=CodedName.parse(clean(values.get("department"))),
            implementing_unit=CodedName.parse(clean(values.get("implementing_unit"))),
            contact_person=clean(values.get("contact_person")),
            contact_phone=clean(values.get("contact_phone")),
            year=values.get("year"),
            budget=draft.budget,
            funding_rows=tuple(draft.rows),
            goal_expected=clean(values.get("goal_expected")),
            goal_actual=clean(values.get("goal_actual")),
            indicators=tuple(draft.indicators),
            published_total_score=values.get("total"),
            published_grade=clean(values.get("grade")),
            evaluator=clean(values.get("evaluator")),
            evaluated_on=clean(values.get("evaluated_on")),
            source=SourceRef(self.source, draft.line),
            field_lines=draft.field_lines,
        )


def _other_funding_row(row: list[str], start: int) -> bool:
    """A row of the funding block under a label of its own ("中央补助资金 | 5.00 | 5.00 | …"): text, then figures."""
    rest = [cells_of.blank(cell) for cell in row[start + 1:]]
    figures = [cell for cell in rest if cell is not None]
    return (cells_of.blank(row[start]) is not None and parse_decimal(row[start]) is None and bool(figures)
            and all(parse_decimal(cell.rstrip("%")) is not None for cell in figures))


def _inferred_variant(draft: _Draft) -> Variant:
    """Without a title: the score sheet by its columns (评价标准, 复核分) or its first levels (决策/过程/产出/效益)."""
    if draft.columns and vocabulary.SCORE_SHEET_FIELDS & set(draft.columns.values()):
        return "score_sheet"
    names = [normalise(item.level1) for item in draft.indicators if item.level1]
    sheet = sum(name in vocabulary.SCORE_SHEET_LEVEL1 for name in names)
    return "score_sheet" if names and sheet * 2 > len(names) else "form"
