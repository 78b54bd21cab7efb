"""A self-evaluation table (项目支出绩效自评表) laid out in cells, read into :class:`SelfEvaluationTable`.

:mod:`~jixiao.io.readers.grid` hands over the rows of one table, from its title (or its first row) to the
next table; this module reads them as a whole, block by block, each block by its own header row: the
labels (项目名称, 主管部门 …), the funding block (年初预算数 … 得分, rows 年度资金总额 and 其中 …), the annual
goal (预期目标 / 实际完成情况), the indicator table (一级 … 偏差原因分析及改进措施, or the score sheet's 评价标准
/ 自评分 / 复核分; a two-row header such as 年度指标值 over 指标性质 / 指标值 / 度量单位), the 总分 row with the
grade, and the sign-off. Cells are taken by grid column, so merged cells read as blanks after their first
cell; a blank 一级 or 二级 cell continues the one above (merged down), a dash ends it. Every diagnostic names
the cell (``Sheet1!F12``), the field's Chinese label and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jixiao.domain import CodedName, Diagnostic, ProjectCode, ProjectRef, Severity, SourceRef, Value
from jixiao.domain.selfeval_labels import FUNDING_COLUMN_LABELS, INDICATOR_COLUMN_LABELS
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable, Variant
from jixiao.domain.text import clean, fold_width, parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_shared import split_contact, split_subrow, yuan_message, yuan_to_wan

PARAGRAPH_MARK = "\u3000\u3000"  # as grid.PARAGRAPH_MARK: a wrapped PDF cell's new paragraph
_YUAN_RE = re.compile(r"[(（]\s*元\s*[)）]")
_YEAR_ONLY_RE = re.compile(r"[(（]?\s*((?:19|20)\d\d)\s*年度?\s*[)）]?")
_YEAR_VALUE_RE = re.compile(r"[(（]?\s*((?:19|20)\d\d)\s*(?:年度?)?\s*[)）]?")  # 年度 | 2023, 2023年, （2023年度）
_NO_YEAR_RE = re.compile(r"\s*[(（]?\s*年度?\s*[)）]?\s*")
_WIDE_SPACE_RE = re.compile(r"\s*\u3000+\s*|\s{2,}")
_SPACED_LABEL_RE = re.compile(r"\s*(\S+)\s+(\S.*)", re.DOTALL)
_GRADE_CUT_RE = re.compile(r"[\s(（,，;；]")


class Row:
    """One grid row as the parser needs it: texts by grid column (merged continuations blank), raw texts
    (PDF line breaks kept), the cell names and the row number the user sees."""

    __slots__ = ("number", "raw", "refs", "texts")

    def __init__(self, texts: list[str], raw: list[str], refs: list[str], number: int) -> None:
        self.texts, self.raw, self.refs, self.number = texts, raw, refs, number

    def ref(self, index: int) -> str | None:
        if 0 <= index < len(self.refs):
            return self.refs[index]
        return self.refs[-1] if self.refs else None

    def filled(self) -> list[tuple[int, str]]:
        return [(index, text) for index, text in enumerate(self.texts) if text]


def _unwrap(text: str, paragraphs: bool) -> str:
    """A PDF cell's visual lines joined; with ``paragraphs``, an indented line starts a new paragraph."""
    lines = [line.strip("\r") for line in text.split("\n")]
    if not paragraphs:
        return "".join(line.strip() for line in lines).strip()
    out: list[str] = []
    for line in lines:
        if line.startswith(PARAGRAPH_MARK) or not out:
            out.append(line.removeprefix(PARAGRAPH_MARK).strip())
        else:
            out[-1] += line.strip()
    return "\n".join(part for part in out if part)


class SelfEvalParser:
    """Reads the rows of one self-evaluation table (see the module docstring); ``wrapped``: PDF cells."""

    def __init__(self, source: str, wrapped: bool) -> None:
        self.source = source
        self.wrapped = wrapped
        self.diagnostics: list[Diagnostic] = []
        self.values: dict[str, str] = {}
        self.field_lines: dict[str, int] = {}
        self.first_line: int | None = None
        self.title: str | None = None
        self.score_sheet = False
        self.year: int | None = None
        self.budget: FundingRow | None = None
        self.funding_rows: list[FundingRow] = []
        self.fund_cols: dict[int, str] | None = None
        self.yuan = False
        self.goal_cols: dict[int, str] | None = None
        self.goal: dict[str, str] = {}
        self.ind_cols: dict[int, str] | None = None
        self.header_row: int | None = None  # the number of the last indicator header row
        self.indicators: list[EvaluatedIndicator] = []
        self.level1: tuple[str | None, Decimal | None] = (None, None)
        self.level2: str | None = None
        self.parent: str | None = None
        self.total: Decimal | None = None
        self.grade: str | None = None
        self.after_total = False

    # -- reading ------------------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        filled = row.filled()
        if not filled:
            return
        if self.first_line is None:
            self.first_line = row.number
        first_index, first = filled[0]
        if words.is_title(first) and len(filled) <= 3 and self.ind_cols is None:
            self._title(first)
            return
        if len(filled) == 1 and (year := _YEAR_ONLY_RE.fullmatch(fold_width(first).strip())) is not None:
            self.year = int(year.group(1)) if self.year is None else self.year
            return
        if len(filled) == 1 and _NO_YEAR_RE.fullmatch(fold_width(first)):
            return  # "（　　年度）": the year line of a form left blank
        if words.is_indicator_header(row.texts):
            self._indicator_header(row)
            return
        if self.ind_cols is not None and self.header_row == row.number - 1 and self._sub_header(row):
            return
        if words.is_funding_header(row.texts):
            self._funding_header(row)
            return
        if self.ind_cols is None and self._goal_header(row):
            return
        if self.ind_cols is not None and not self.after_total:
            if words.label_field(first) == "total":
                self._total(row, first_index)
            elif not self._pairs(row, only=("grade", "evaluator", "evaluated_on")):
                self._indicator(row)
            return
        if self.fund_cols is not None and self.goal_cols is None and self._funding_row(row):
            return
        if self.goal_cols is not None and self.ind_cols is None and self._goal_text(row):
            return
        if self._pairs(row):
            return
        if self.after_total or words.norm(first) in vocabulary.IGNORED_LABELS:
            return  # notes, warnings and sign-off lines under the table
        text = "｜".join(t for _, t in filled)
        self.note("selfeval-stray-row", Severity.WARNING, f"自评表中无法识别的行，未读入：“{_clip(text)}”", row,
                   first_index)

    def _title(self, text: str) -> None:
        self.title = text
        self.score_sheet = self.score_sheet or words.is_score_sheet_title(text)
        match = words.YEAR_RE.search(fold_width(text))
        if match is not None and self.year is None:
            self.year = int(match.group(1))

    # -- labels ---------------------------------------------------------------------------------------
    def _pairs(self, row: Row, only: Sequence[str] = ()) -> bool:
        """Label cells and the value beside them (or after a colon in the same cell); ``only`` those fields."""
        texts = row.texts
        found = False
        index = 0
        while index < len(texts):
            cell = texts[index]
            field, inline = self._label(cell) if cell else (None, None)
            if field is None or (only and field not in only):
                index += 1
                continue
            found = True
            if inline is not None:
                for more_field, value in _segments(field, inline):  # "填报人：王芳　　填报日期：2024年1月15日"
                    if not only or more_field in only:
                        self._set(more_field, value, row, index)
                index += 1
                continue
            value_at = index + 1
            while value_at < len(texts) and not texts[value_at] and value_at < index + 12:
                value_at += 1
            if value_at < len(texts) and texts[value_at] and self._label(texts[value_at])[0] is None:
                self._set(field, texts[value_at], row, value_at)
                index = value_at + 1
            else:
                index += 1
        return found

    @staticmethod
    def _label(cell: str) -> tuple[str | None, str | None]:
        field = words.label_field(cell)
        if field is not None:
            return field, None
        folded = fold_width(cell)
        head, colon, _rest = folded.partition(":")
        if colon:
            field = words.label_field(head)
            if field is not None:
                return field, cell[len(head) + 1:].strip()
        spaced = _SPACED_LABEL_RE.match(folded)  # "自评等级 优": a label and its value in one cell
        if spaced is not None and (field := words.label_field(spaced.group(1))) in ("grade", "evaluator",
                                                                                     "evaluated_on"):
            return field, cell[spaced.start(2):].strip()
        return None, None

    def _set(self, field: str, text: str, row: Row, index: int) -> None:
        value = text.strip()
        if not value or words.is_placeholder(value):
            return
        if field == "grade":
            self.grade = _grade(value)
            return
        if field == "total":
            self.total = self._number(self._raw(row, index), "总分", row, index, "数字，如 96.5")
            return
        if field == "evaluated_on" and not any(ch.isdigit() for ch in value):
            return  # the blank date line of a printed form: 年　月　日
        if field == "skip":
            return
        if field == "year":
            year = _YEAR_VALUE_RE.fullmatch(fold_width(value).strip())
            if year is not None and self.year is None:
                self.year = int(year.group(1))
            return
        if field == "contact":
            person, phone = split_contact(value)
            self._set_value("contact_person", person or "", row)
            self._set_value("contact_phone", phone or "", row)
            return
        self._set_value(field, value, row)

    def _set_value(self, field: str, value: str, row: Row) -> None:
        cleaned = clean(value)
        if cleaned is not None and field not in self.values:
            self.values[field] = cleaned
            self.field_lines[field] = row.number

    # -- the funding block ------------------------------------------------------------------------------
    def _funding_header(self, row: Row) -> None:
        self.fund_cols = {}
        for index, text in row.filled():
            field = words.funding_column(text)
            if field is not None and field not in self.fund_cols.values():
                self.fund_cols[index] = field
            self.yuan = self.yuan or bool(_YUAN_RE.search(fold_width(text)))
        self.field_lines.setdefault("budget", row.number)

    def _funding_row(self, row: Row) -> bool:
        assert self.fund_cols is not None
        first_column = min(self.fund_cols)
        found: tuple[str, Any] | None = None
        for index in range(min(first_column, len(row.texts)) - 1, -1, -1):
            text = row.texts[index]
            if not text:
                continue
            found = words.funding_label(text)
            if found is not None or not words.is_funding_block(text):
                break
        if found is None:  # the block's label alone (a continued merged cell) is still the block
            return any(words.is_funding_block(t) for t in row.texts[:first_column])
        label, key = found
        self.yuan = self.yuan or any(words.is_funding_block(t) and _YUAN_RE.search(fold_width(t))
                                     for t in row.texts[:first_column])
        amounts: dict[str, Decimal | None] = {}
        for index, field in self.fund_cols.items():
            amounts[field] = self._funding_value(row, index, field, label)
        self._yuan_note(row, label, amounts)
        rate_at = next((i for i, f in self.fund_cols.items() if f == "execution_rate"), None)
        if rate_at is not None and rate_at < len(row.texts) and "%" not in fold_width(row.texts[rate_at]):
            amounts = self._rate_as_percent(amounts)  # a rate printed without its % sign
        funding = FundingRow(key, label, line=row.number, **amounts)
        if key == "total" and self.budget is None:
            self.budget = funding
        else:
            self.funding_rows.append(funding)
        return True

    def _yuan_note(self, row: Row, label: str, amounts: dict[str, Decimal | None]) -> None:
        """The amount-in-yuan note, as every reader gives it, when the row's amounts were converted."""
        if not self.yuan or self.fund_cols is None:
            return
        converted: list[tuple[int, str, Decimal]] = []
        for index, field in sorted(self.fund_cols.items()):
            wan = amounts.get(field)
            if field.endswith("_wan") and wan is not None:
                converted.append((index, self._raw(row, index), wan))
        if converted:
            message = yuan_message(label, [(text, wan) for _, text, wan in converted])
            self.note("amount-in-yuan", Severity.INFO, message, row, converted[0][0])

    def _funding_value(self, row: Row, index: int, field: str, label: str) -> Decimal | None:
        if index >= len(row.texts):
            return None
        text = self._raw(row, index)
        if not text or words.is_placeholder(text):
            return None
        where = f"{label}·{FUNDING_COLUMN_LABELS[field]}"  # 年度资金总额·全年执行数
        if field == "execution_rate":
            return self._number(text.rstrip().removesuffix("%").removesuffix("％"), where, row, index,
                                "百分比，如 98.50%", original=text)
        if field in ("execution_weight", "execution_score"):
            return self._number(text, where, row, index, "数字，如 10")
        unit = "元" if self.yuan else "万元"
        number = self._number(text.rstrip().removesuffix("万元").removesuffix("元").rstrip(), where, row, index,
                              f"以{unit}计的数字，如 15.00", original=text)
        return yuan_to_wan(number) if number is not None and self.yuan else number

    @staticmethod
    def _rate_as_percent(amounts: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
        """A rate stored as a fraction (an Excel number shown as 95%) back to the percent the form shows."""
        rate, adjusted, spent = amounts.get("execution_rate"), amounts.get("adjusted_wan"), amounts.get("spent_wan")
        if rate is None or rate > 1 or not adjusted or spent is None:
            return amounts
        if abs(spent / adjusted - rate) < Decimal("0.005") and abs(spent / adjusted * 100 - rate) >= Decimal("0.5"):
            amounts["execution_rate"] = rate * 100
        return amounts

    # -- the annual goal --------------------------------------------------------------------------------
    def _goal_header(self, row: Row) -> bool:
        filled = row.filled()
        block = words.is_goal_opener(filled[0][1])
        goals = {index: words.goal_field(t) for index, t in filled[1 if block else 0:]}
        columns = {index: field for index, field in goals.items() if field is not None}
        if columns and (block or "goal_expected" in columns.values()):
            self.goal_cols = columns
            return True
        if block and len(filled) >= 2:  # 年度总体目标 | the goal, in one row
            self.goal["goal_expected"] = self._paragraphs(row, filled[1][0])
            self.field_lines["goal_expected"] = row.number
            self.goal_cols = {}
            return True
        return False

    def _goal_text(self, row: Row) -> bool:
        assert self.goal_cols is not None
        if not self.goal_cols or any(field in self.goal for field in self.goal_cols.values()):
            return False
        positions = sorted(self.goal_cols)
        for number, start in enumerate(positions):
            end = positions[number + 1] if number + 1 < len(positions) else len(row.texts)
            index = next((i for i in range(start, min(end, len(row.texts))) if row.texts[i]), None)
            field = self.goal_cols[start]
            if index is not None:
                text = self._paragraphs(row, index)
                if text and not words.is_placeholder(text):
                    self.goal[field] = text
                    self.field_lines[field] = row.number
            self.goal.setdefault(field, "")
        return True

    def _paragraphs(self, row: Row, index: int) -> str:
        raw = row.raw[index]
        if self.wrapped:
            return _unwrap(raw, paragraphs=True)
        return "\n".join(line.strip() for line in raw.strip().split("\n"))

    # -- the indicator table ------------------------------------------------------------------------------
    def _indicator_header(self, row: Row) -> None:
        columns: dict[int, str] = {}
        for index, text in row.filled():
            field = words.indicator_column(text)
            if words.norm(text) in vocabulary.SCORE_SHEET_COLUMNS:
                self.score_sheet = True
            if field is None or field in columns.values():
                if not words.is_block_label(text):
                    self.note("selfeval-unknown-column", Severity.WARNING,
                               f"指标表第{index + 1}列“{_clip(text, 20)}”未识别，该列内容不读入", row, index)
                continue
            columns[index] = field
        if self.ind_cols is not None and columns == self.ind_cols:
            self.header_row = row.number
            return  # the header repeated on a new page
        self.ind_cols = columns
        self.header_row = row.number
        self.field_lines.setdefault("indicators", row.number)

    def _sub_header(self, row: Row) -> bool:
        """指标性质 / 指标值 / 度量单位 under a merged 年度指标值 (and the like): refine the columns above."""
        assert self.ind_cols is not None
        fields = {index: words.indicator_column(text) for index, text in row.filled()}
        if not fields or any(field is None or field in ("level1", "level2", "name") for field in fields.values()):
            return False
        for index, field in fields.items():
            assert field is not None
            self.ind_cols = {i: f for i, f in self.ind_cols.items() if f != field or i == index}
            self.ind_cols[index] = field
        self.header_row = row.number
        return True

    def _indicator(self, row: Row) -> None:
        assert self.ind_cols is not None
        cells: dict[str, tuple[int, str]] = {field: (index, row.texts[index]) for index, field in self.ind_cols.items()
                                             if index < len(row.texts)}

        def text(field: str) -> str:
            return cells[field][1] if field in cells else ""

        level1_text, level2_text = text("level1"), text("level2")
        if level1_text:
            if words.is_placeholder(level1_text):
                self.level1 = (None, None)
            else:
                name, weight, unreadable = words.split_level1(self._joined(row, cells["level1"][0]))
                if unreadable:
                    self.note("selfeval-bad-block-weight", Severity.WARNING,
                               f"一级指标“{_clip(level1_text, 20)}”中的分值不是数字，未读入（应如“产出指标(50分)”）",
                               row, cells["level1"][0])
                self.level1 = (name, weight)
            self.level2 = None
        if level2_text:
            self.level2 = None if words.is_placeholder(level2_text) else words.squeeze(
                self._joined(row, cells["level2"][0])).replace(" ", "") or None
        values = {field: self._cell_text(row, index) for field, (index, _t) in cells.items()
                  if field not in ("level1", "level2")}
        if not any(values.values()):
            return  # a 二级指标 on its own row, an empty block, a "……" row
        name, parent, sub_row = split_subrow(values.get("name"))
        if sub_row and parent is None:
            parent = self.parent
            if parent is None:
                shown = _clip(name or "", 30)
                self.note("selfeval-orphan-subrow", Severity.WARNING,
                          f"“其中”行“{shown}”之前没有它所属的三级指标，按普通指标读入", row, cells["name"][0])
        elif not sub_row:
            self.parent = name
        operator, target, unit = self._target(values)
        level1, level1_weight = self.level1
        what = f"{_clip(name, 20)}·" if name else f"第{len(self.indicators) + 1}个指标·"
        self.indicators.append(EvaluatedIndicator(
            level1=level1, level2=self.level2, name=name, operator=operator, target=Value.of(target),
            unit_of_measure=unit, weight=self._column_number(row, cells, "weight", what),
            actual=Value.of(values.get("actual")), score=self._column_number(row, cells, "score", what),
            deviation_reason=values.get("deviation_reason"), parent=parent, level1_weight=level1_weight,
            criteria=values.get("criteria"), recheck_score=self._column_number(row, cells, "recheck_score", what),
            line=row.number))

    def _target(self, values: dict[str, str | None]) -> tuple[str | None, str | None, str | None]:
        assert self.ind_cols is not None
        columns = set(self.ind_cols.values())
        operator = words.canonical_operator(values.get("operator"))
        target, unit = values.get("target"), values.get("unit_of_measure")
        if target is not None and "operator" not in columns:
            operator, target = words.split_operator(target)
        if target is not None and "unit_of_measure" not in columns:
            target, unit = words.split_unit(target)
        return operator, target or None, unit

    def _cell_text(self, row: Row, index: int) -> str | None:
        text = self._joined(row, index)
        if not text or words.is_placeholder(text):
            return None
        return text

    def _joined(self, row: Row, index: int) -> str:
        raw = row.raw[index] if index < len(row.raw) else ""
        if self.wrapped:
            return _unwrap(raw, paragraphs=False)
        return "".join(part.strip() for part in raw.split("\n")).strip()

    def _column_number(self, row: Row, cells: dict[str, tuple[int, str]], field: str, what: str) -> Decimal | None:
        if field not in cells:
            return None
        index, text = cells[field]
        if not text or words.is_placeholder(text):
            return None
        raw = self._raw(row, index).rstrip()
        return self._number(raw.removesuffix("分") if raw.endswith("分") else raw, INDICATOR_COLUMN_LABELS[field],
                            row, index, "数字，如 10", original=raw, place=what)

    def _total(self, row: Row, label_index: int) -> None:
        self.after_total = True
        self.field_lines["published_total_score"] = row.number
        columns = self.ind_cols or {}
        numbers: list[tuple[int, Decimal]] = []
        for index, text in row.filled():
            if index == label_index:
                continue
            field, inline = self._label(text)
            if field == "grade":
                if inline:
                    self.grade = _grade(inline)
                else:
                    following = next((t for i, t in row.filled() if i > index), None)
                    self.grade = _grade(following) if following else None
                continue
            if words.is_placeholder(text):
                continue
            number = parse_decimal(_first_number(self._raw(row, index)))
            if number is not None:
                numbers.append((index, number))
            elif columns.get(index) == "score":
                self._number(self._raw(row, index), "总分", row, index, "数字，如 96.5")
            elif self.grade is None and len(text) <= 4 and words.norm(text) not in vocabulary.GRADE_LABELS:
                self.grade = _grade(text)
        by_column = {columns.get(index): number for index, number in numbers}
        if "score" in by_column:
            self.total = by_column["score"]
        elif numbers:
            self.total = numbers[-1][1]

    # -- numbers --------------------------------------------------------------------------------------------
    def _raw(self, row: Row, index: int) -> str:
        return row.raw[index] if index < len(row.raw) else ""

    def _number(self, raw: str, label: str, row: Row, index: int, expected: str, original: str | None = None,
                place: str = "") -> Decimal | None:
        """A number as printed; in a PDF, a score cell may print its working under it (the first line counts)."""
        joined = _unwrap(raw, False) if self.wrapped else "".join(raw.split("\n")).strip()
        number = parse_decimal(fold_width(joined).replace(" ", "")) if joined else None
        if number is None and "\n" in raw:
            first = raw.split("\n")[0]
            if words.is_placeholder(first):
                return None  # "未计分" with the reason printed under it
            number = parse_decimal(fold_width(first).strip())
        if number is not None or not joined:
            return number
        shown = (original or raw).strip().replace("\n", "")
        self.note("selfeval-bad-number", Severity.ERROR,
                  f"“{place}{label}”应为{expected}，实际为“{_clip(shown, 30)}”，该值未读入", row, index)
        return None

    def note(self, code: str, severity: Severity, message: str, row: Row, index: int) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, self.source, row.number, cell=row.ref(index)))

    # -- building ---------------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not (self.values or self.budget or self.funding_rows or self.goal or self.ind_cols is not None
                    or self.total is not None)

    def build(self) -> ReadResult:
        if self.is_empty():
            return ReadResult(None, (*self.diagnostics, Diagnostic(
                "selfeval-empty", Severity.WARNING, f"标题“{self.title or '绩效自评表'}”之后没有自评表的内容",
                self.source, self.first_line),))
        if self.ind_cols is None:
            self.diagnostics.append(Diagnostic(
                "selfeval-no-indicators", Severity.ERROR,
                "自评表中没有找到绩效指标（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）",
                self.source, self.first_line))
        elif not self.indicators:
            self.diagnostics.append(Diagnostic("selfeval-empty-indicators", Severity.WARNING,
                                               "绩效指标表没有任何指标行", self.source, self.header_row))
        get = self.values.get
        project = ProjectRef.parse(get("project"))
        code = get("project_code")
        if code:
            project = ProjectRef(ProjectCode(code.strip()), project.name if project else None,
                                 project.suffix if project else None)
        variant: Variant = "score_sheet" if self.score_sheet or self._score_sheet_levels() else "form"
        table = SelfEvaluationTable(
            variant=variant,
            project=project,
            department=CodedName.parse(get("department")),
            implementing_unit=CodedName.parse(get("implementing_unit")),
            contact_person=get("contact_person"),
            contact_phone=get("contact_phone"),
            year=self.year,
            budget=self.budget,
            funding_rows=tuple(self.funding_rows),
            goal_expected=self.goal.get("goal_expected") or None,
            goal_actual=self.goal.get("goal_actual") or None,
            indicators=tuple(self.indicators),
            published_total_score=self.total,
            published_grade=self.grade,
            evaluator=get("evaluator"),
            evaluated_on=get("evaluated_on"),
            source=SourceRef(self.source, self.first_line),
            field_lines=dict(self.field_lines),
        )
        return ReadResult(table, tuple(self.diagnostics))

    def _score_sheet_levels(self) -> bool:
        names = {item.level1 for item in self.indicators if item.level1}
        return bool(names) and names <= vocabulary.SCORE_SHEET_LEVEL1


def _segments(field: str, value: str) -> list[tuple[str, str]]:
    """A label's value, and the labels and values that follow it in the same cell after a wide space."""
    parts = _WIDE_SPACE_RE.split(value.strip())
    found = [(field, parts[0])]
    for part in parts[1:]:
        more, inline = SelfEvalParser._label(part)
        if more is None or inline is None:
            found[-1] = (found[-1][0], f"{found[-1][1]} {part}")
        else:
            found.append((more, inline))
    return found


def _first_number(raw: str) -> str:
    stripped = raw.strip()
    return stripped.split("\n")[0].strip() if "\n" in stripped else stripped


def _grade(text: str) -> str | None:
    """The grade word of "优", "自评等级：良（未完成计分）", "优 未完成计分"."""
    stripped = text.strip().lstrip(":：").strip()
    head = _GRADE_CUT_RE.split(stripped, maxsplit=1)[0].strip()
    return head or None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
