"""The indicator table of a self-evaluation table in a grid: its header (one row, or two such as 年度指标值 over
指标性质 / 指标值 / 度量单位; the score sheet's 评价标准 / 自评分 / 复核分), its rows by grid column (a blank 一级 or
二级 cell continues the one above, a dash ends it; a 其中 row names its parent) and the 总分 row with the grade.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from jixiao.domain import Value, parse_operator
from jixiao.domain.selfeval_labels import INDICATOR_COLUMN_LABELS
from jixiao.domain.selfeval_table import EvaluatedIndicator
from jixiao.domain.text import parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.selfeval_grid_cells import GridState, Row, first_number, grade_word, label_of
from jixiao.io.readers.selfeval_shared import block_weight, split_subrow

_LEVELS = ("level1", "level2")
_operator = lru_cache(maxsize=256)(parse_operator)  # the same few operators on every row
_canonical = lru_cache(maxsize=256)(words.canonical_operator)


class IndicatorTable(GridState):
    """Reads the indicator table's header and rows into ``indicators``, and the 总分 row."""

    # -- the indicator table ------------------------------------------------------------------------------
    def _indicator_header(self, row: Row) -> None:
        columns: dict[int, str] = {}
        for index, text in row.filled():
            field = words.indicator_column(text)
            if words.norm(text) in vocabulary.SCORE_SHEET_COLUMNS:
                self.score_sheet = True
            if field is None or field in columns.values():
                if not words.is_block_label(text):
                    self.tell(self.wording.unknown_column(index, text, field is not None), row, index, text)
                continue
            columns[index] = field
        if self.ind_cols is not None and columns == self.ind_cols:
            self.header_row = row.number
            return  # the header repeated on a new page
        self.ind_cols = columns
        self.column_offset = min(columns) if columns else 0
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
        shift, top, texts = 0, max(self.ind_cols), row.texts
        if row.wraps and texts[0] and self.column_offset and len(texts) <= top:
            shift = self.column_offset  # a text line that leaves out the cells left of the header (绩效指标)
        cells: dict[str, tuple[int, str]] = {field: (index - shift, texts[index - shift])
                                             for index, field in self.ind_cols.items()
                                             if 0 <= index - shift < len(texts)}
        last = top - shift
        extra = [text for text in row.texts[last + 1:] if text]
        if extra:
            self.tell(self.wording.extra_cells(len(row.texts), last + 1, extra), row, None)

        def text(field: str) -> str:
            return cells[field][1] if field in cells else ""

        level1_text, level2_text = text("level1"), text("level2")
        if self.wording.text and level1_text and self._blank_figure(level1_text):
            level1_text = ""  # the text form's dash under a 一级 goes on with the one above
        if level1_text:
            before = self.level1[0]
            if words.is_placeholder(level1_text):
                self.level1 = (None, None)
            elif self.wording.text:
                printed, block, unreadable = block_weight(level1_text)
                if unreadable:
                    self.tell(self.wording.bad_block_weight(level1_text), row, cells["level1"][0], "一级指标分值")
                self.level1 = (printed or None, block)
            else:
                name, weight, unreadable = words.split_level1(self._joined(row, cells["level1"][0]))
                if unreadable:
                    self.tell(self.wording.bad_block_weight(level1_text), row, cells["level1"][0], "一级指标分值")
                self.level1 = (name, weight)
            if self.level1[0] != before or level2_text:
                self.level2 = None  # a new 一级 block; the same 一级 printed again goes on with its 二级
        if level2_text and self.wording.text:
            self.level2 = level2_text  # as written
        elif level2_text:
            self.level2 = None if words.is_placeholder(level2_text) else words.squeeze(
                self._joined(row, cells["level2"][0])).replace(" ", "") or None
        if row.wraps:  # a text line: its cells are the text, stripped
            values = {field: text or None for field, (_i, text) in cells.items() if field not in _LEVELS}
        else:
            values = {field: self._cell_text(row, index) for field, (index, _t) in cells.items()
                      if field not in _LEVELS}
        if not any(values.values()):
            return  # a 二级指标 on its own row, an empty block, a "……" row
        name, parent, sub_row = split_subrow(values.get("name"))
        if sub_row and parent is None:
            parent = self.parent
            if parent is None:
                self.tell(self.wording.orphan_subrow(name or ""), row, cells["name"][0], "三级指标")
        elif not sub_row:
            self.parent = name
        operator, target, unit = self._target(values)
        as_printed = values.get("operator")
        if as_printed is not None and self.wording.text and _operator(as_printed.strip()) is None:
            self.tell(self.wording.unknown_operator(as_printed.strip()), row, cells["operator"][0], "指标性质")
        level1, level1_weight = self.level1
        number = len(self.indicators) + 1
        self.indicators.append(EvaluatedIndicator(  # by position (faster): level1 … recheck_score, line
            level1, self.level2, name, operator, Value.of(target), unit,
            self._column_number(row, cells, "weight", name, number), Value.of(values.get("actual")),
            self._column_number(row, cells, "score", name, number), values.get("deviation_reason"), parent,
            level1_weight, values.get("criteria"), self._column_number(row, cells, "recheck_score", name, number),
            row.number))

    def _target(self, values: dict[str, str | None]) -> tuple[str | None, str | None, str | None]:
        assert self.ind_cols is not None
        printed = values.get("operator")
        operator = None if printed is None else _canonical(printed)
        target, unit = values.get("target"), values.get("unit_of_measure")
        if not self.wording.splits_target:
            return operator, target, unit
        columns = set(self.ind_cols.values())
        if target is not None:
            split_op, split_unit = "operator" not in columns, "unit_of_measure" not in columns
            found, target, measure = words.split_target(target, split_op, split_unit)
            operator = found if split_op else operator
            unit = measure if split_unit else unit
        return operator, target or None, unit

    def _column_number(self, row: Row, cells: dict[str, tuple[int, str]], field: str, name: str | None,
                       number: int) -> Decimal | None:
        if field not in cells:
            return None
        index, text = cells[field]
        if row.wraps and (value := parse_decimal(text)) is not None:
            return value  # the common case on a text line: a plain number
        if self._blank_figure(text):
            return None
        raw = self._raw(row, index).rstrip()
        return self._number(raw.removesuffix("分") if raw.endswith("分") else raw,
                            lambda: self.wording.indicator_place(name, number, INDICATOR_COLUMN_LABELS[field]), row,
                            index, self.wording.expected("points"), original=raw)

    def _total(self, row: Row, label_index: int) -> None:
        self.after_total = True
        self.field_lines["published_total_score"] = row.number
        columns = self.ind_cols or {}
        numbers: list[tuple[int, Decimal]] = []
        for index, text in row.filled():
            if index == label_index:
                continue
            field, inline = label_of(text)
            if field == "grade":
                if inline:
                    self.grade = grade_word(inline)
                else:
                    following = next((t for i, t in row.filled() if i > index), None)
                    self.grade = grade_word(following) if following else None
                continue
            if self._blank_figure(text):
                continue
            raw = self._raw(row, index)
            number = parse_decimal(first_number(raw))
            if number is None and raw.rstrip().endswith("分"):
                number = parse_decimal(first_number(raw).rstrip().removesuffix("分"))
            if number is not None:
                numbers.append((index, number))
            elif words.norm(text) in vocabulary.GRADE_LABELS:
                continue
            elif grade_word(text) in vocabulary.GRADES:
                self.grade = self.grade or grade_word(text)
            elif columns.get(index) == "score" or len(text) <= 4:
                self._number(raw, "总分", row, index, self.wording.expected("total"))
        by_column = {columns.get(index): number for index, number in numbers}
        if "score" in by_column:
            self.total = by_column["score"]
        elif numbers:
            self.total = numbers[-1][1]
