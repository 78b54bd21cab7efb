"""The one row grammar of the self-evaluation table (项目支出绩效自评表): rows of cells → :class:`SelfEvaluationTable`.

Every layout that keeps the form's rows feeds it: :mod:`~jixiao.io.readers.grid` hands over the rows of one table
from a sheet, a Word or PDF table or an HTML page (from its title, or its first row, to the next table), and
:mod:`~jixiao.io.readers.selfeval_text` the lines of jixiao's text form (``标签：值`` lines, tab- or ``|``-separated
rows). The grammar reads them block by block, each block by its own header row: the labels (项目名称, 主管部门 …,
here), the funding block (:mod:`selfeval_grid_funding`), the annual goal (预期目标 / 实际完成情况, here), the
indicator table and its 总分 row (:mod:`selfeval_grid_indicators`: 一级 … 偏差原因分析及改进措施, or the score
sheet's 评价标准 / 自评分 / 复核分; a two-row header such as 年度指标值 over 指标性质 / 指标值 / 度量单位) and the
sign-off. Cells are taken by column, so merged cells read as blanks after their first cell; a blank 一级 or 二级
cell continues the one above (merged down). A text line may wrap onto the next lines. Every diagnostic names the
cell (``Sheet1!F12``) or, on a text line, the field, and says what was expected, in the codes and words each
family of files has always had (:mod:`selfeval_wording`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jixiao.domain import CodedName, ProjectCode, ProjectRef, SourceRef
from jixiao.domain.selfeval_table import SelfEvaluationTable, Variant
from jixiao.domain.text import clean, fold_width
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.selfeval_grid_cells import Row, grade_word, label_of, segments
from jixiao.io.readers.selfeval_grid_funding import YUAN_RE, FundingBlock, default_columns
from jixiao.io.readers.selfeval_grid_indicators import IndicatorTable
from jixiao.io.readers.selfeval_shared import simplified, split_contact
from jixiao.io.readers.selfeval_wording import Said, diagnostic

__all__ = ["Row", "SelfEvalParser"]

_YEAR_ONLY_RE = re.compile(r"[(（]?\s*((?:19|20)\d\d)\s*年度?\s*[)）]?")
_YEAR_VALUE_RE = re.compile(r"[(（]?\s*((?:19|20)\d\d)\s*(?:年度?)?\s*[)）]?")  # 年度 | 2023, 2023年, （2023年度）
_SIGN_OFF = ("grade", "evaluator", "evaluated_on")  # labels under the indicator table
_WRAPPING = frozenset({"project", "project_code", "department", "implementing_unit", "contact_person",
                       "contact_phone", "evaluator", "evaluated_on", "goal_expected", "goal_actual", "skip"})
_NO_YEAR_RE = re.compile(r"\s*[(（]?\s*年度?\s*[)）]?\s*")


class SelfEvalParser(FundingBlock, IndicatorTable):
    """Reads the rows of one self-evaluation table (see the module docstring); ``wrapped``: PDF cells."""

    # -- reading ------------------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        filled = row.filled()
        if not filled:
            self.continuing = None
            return
        if self.first_line is None:
            self.first_line = row.number
        first_index, first = filled[0]
        continuing, self.continuing = self.continuing, None
        if "表" in first and len(filled) <= 3 and self.ind_cols is None and words.is_title(first):
            self._title(first)
            return
        if len(filled) == 1 and (year := _YEAR_ONLY_RE.fullmatch(fold_width(first).strip())) is not None:
            self.year = int(year.group(1)) if self.year is None else self.year
            return
        if len(filled) == 1 and _NO_YEAR_RE.fullmatch(fold_width(first)):
            return  # "（　　年度）": the year line of a form left blank
        if continuing is not None and len(filled) == 1 and label_of(first)[0] is None and not words.is_section(first):
            self._continue(continuing, first)
            return
        if len(filled) <= 2 and all(words.is_section(text) for _, text in filled):  # "项目资金（元）" alone
            self.yuan = self.yuan or any(YUAN_RE.search(fold_width(text)) is not None for _, text in filled)
            return
        if row.wraps and self.ind_cols is None and len(filled) == 2:
            field, inline = label_of(first)
            value_at, value = filled[1]
            if field is not None and inline is None and label_of(value)[0] is None and value_at - first_index <= 12:
                self._set(field, value, row, value_at)  # "标签：值", the text form's label line: never a heading
                return
        compact = "".join(row.texts)  # for the cheap tests before the cell-by-cell ones
        if not row.wraps:
            compact = "".join(compact.split())  # a sheet's cell may keep the spaces of a narrow column
        if words.traditional(compact):  # a form in traditional characters: its words compared in simplified
            compact = simplified(compact)
        funding_words, indicator_words = words.may_be_heading(compact)
        if indicator_words and (words.is_indicator_header(row.texts) or _plain_indicator_header(row.texts)):
            self._indicator_header(row)
            return
        if self.ind_cols is not None and self.header_row == row.number - 1 and self._sub_header(row):
            return
        if funding_words and words.is_funding_header(row.texts):
            self._funding_header(row)
            return
        if self.ind_cols is None and words.may_be_goal(compact) and self._goal_header(row):
            return
        if self.ind_cols is not None and not self.after_total:
            if words.label_field(first) == "total":
                self._total(row, first_index)
            elif not (words.may_be_sign_off(compact) and self._pairs(row, only=_SIGN_OFF)):
                self._indicator(row)
            return
        labelled = label_of(first)[0] is not None  # a label is never a funding row's
        if self.fund_cols is not None and self.goal_cols is None and not labelled and self._funding_row(row):
            return
        if self.fund_cols is None and len(filled) > 1 and words.funding_row_key(first) is not None:
            self._funding_row(row, default_columns(first_index))  # a funding row without its heading row
            return
        if self.goal_cols is not None and self.ind_cols is None and self._goal_text(row):
            return
        if self._pairs(row):
            return
        if self.after_total or words.norm(first) in vocabulary.IGNORED_LABELS:
            return  # notes, warnings and sign-off lines under the table
        self.tell(self.wording.stray_row([t for _, t in filled], self.ind_cols is None), row, first_index)

    def _continue(self, field: str, text: str) -> None:
        """A text line that goes on with the value of the line above (a wrapped 项目名称, a goal's paragraphs)."""
        if field in ("goal_expected", "goal_actual"):
            before = self.goal.get(field)
            self.goal[field] = f"{before}\n{text}" if before else text
        else:
            before = self.values.get(field)
            self.values[field] = f"{before}{text}" if before else text
        self.continuing = field

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
            field, inline = label_of(cell) if cell else (None, None)
            if field is None or (only and field not in only):
                index += 1
                continue
            found = True
            if inline is not None:
                for more_field, value in segments(field, inline):  # "填报人：王芳　　填报日期：2024年1月15日"
                    if not only or more_field in only:
                        self._set(more_field, value, row, index)
                index += 1
                continue
            value_at = index + 1
            while value_at < len(texts) and not texts[value_at] and value_at < index + 12:
                value_at += 1
            if value_at < len(texts) and texts[value_at] and label_of(texts[value_at])[0] is None:
                self._set(field, texts[value_at], row, value_at)
                index = value_at + 1
            else:
                if row.wraps and field in _WRAPPING:
                    self.continuing = field  # "预期目标：" and its text on the lines below
                index += 1
        return found

    def _set(self, field: str, text: str, row: Row, index: int) -> None:
        value = text.strip()
        if not value or (field == "grade" and self._blank_figure(value)):
            return
        if field == "grade":
            self.grade = grade_word(value)
            return
        if self._blank_text(value):
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
        if field in ("goal_expected", "goal_actual"):
            if not self.goal.get(field):
                self.goal[field] = self._paragraphs(row, index)
                self.field_lines[field] = row.number
            self.continuing = field if row.wraps else None
            return
        if field == "contact":
            person, phone = split_contact(value)
            self._set_value("contact_person", person or "", row)
            self._set_value("contact_phone", phone or "", row)
            return
        self._set_value(field, value, row)
        if row.wraps and field in _WRAPPING:
            self.continuing = field

    def _set_value(self, field: str, value: str, row: Row) -> None:
        cleaned = clean(value)
        if cleaned is not None and field not in self.values:
            self.values[field] = cleaned
            self.field_lines[field] = row.number

    # -- the annual goal --------------------------------------------------------------------------------
    def _goal_header(self, row: Row) -> bool:
        filled = row.filled()
        block = words.is_goal_opener(filled[0][1])
        rest = filled[1 if block else 0:]
        goals = {index: words.goal_field(t) for index, t in rest}
        columns = {index: field for index, field in goals.items() if field is not None}
        if columns and len(columns) == len(rest) and (block or "goal_expected" in columns.values()):
            self.goal_cols = columns  # the headings only: the texts are on the row below
            return True
        if columns:
            return False  # a heading and its text beside it: a label and its value
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
        if label_of(row.filled()[0][1])[0] is not None:
            return False  # a label row, not the goal's texts
        positions = sorted(self.goal_cols)
        for number, start in enumerate(positions):
            end = positions[number + 1] if number + 1 < len(positions) else len(row.texts)
            index = next((i for i in range(start, min(end, len(row.texts))) if row.texts[i]), None)
            field = self.goal_cols[start]
            if index is not None:
                text = self._paragraphs(row, index)
                if not self._blank_text(text):
                    self.goal[field] = text
                    self.field_lines[field] = row.number
            self.goal.setdefault(field, "")
        if row.wraps and len(positions) == 1:
            self.continuing = self.goal_cols[positions[0]]
        return True

    # -- building ---------------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        text = self.wording.text and (self.fund_cols is not None or self.year is not None)  # the text form's way
        return not (self.values or self.budget or self.funding_rows or self.goal or self.ind_cols is not None
                    or self.total is not None or text)

    def _table_note(self, said: Said | None, line: int | None) -> None:
        if said is not None:
            self.diagnostics.append(diagnostic(said, self.source, line))

    def build(self) -> ReadResult:
        if self.is_empty():
            self._table_note(self.wording.empty_table(self.title), self.first_line)
            return ReadResult(None, tuple(self.diagnostics))
        if self.ind_cols is None:
            self._table_note(self.wording.no_indicator_table(), self.first_line)
        elif not self.indicators:
            self._table_note(self.wording.empty_indicator_table(),
                             self.first_line if self.wording.text else self.header_row)
        get = self.values.get
        project = ProjectRef.parse(get("project"))
        code = get("project_code")
        if code:
            project = ProjectRef(ProjectCode(code.strip()), project.name if project else None,
                                 project.suffix if project else None)
        variant: Variant = "score_sheet" if self.score_sheet or self._score_sheet_levels() else "form"
        if variant == "form" and self.budget is None and not self.funding_rows:
            self._table_note(self.wording.no_budget_row(), self.first_line)
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


def _plain_indicator_header(cells: list[str]) -> bool:
    """一级指标 with 二级 or 三级指标 and one more column, inside a table already known to be a self-evaluation."""
    fields = [words.indicator_column(cell) for cell in cells if cell]
    return "level1" in fields and bool({"name", "level2"} & set(fields)) and sum(f is not None for f in fields) >= 3
