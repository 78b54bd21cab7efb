"""The indicator table of a self-evaluation table in a grid: its header (one row, or two such as 年度指标值 over
指标性质 / 指标值 / 度量单位; the score sheet's 评价标准 / 自评分 / 复核分), its rows by grid column (a blank 一级 or
二级 cell continues the one above, a dash ends it; a 其中 row names its parent) and the 总分 row with the grade.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain import Severity, Value
from jixiao.domain.selfeval_labels import INDICATOR_COLUMN_LABELS
from jixiao.domain.selfeval_table import EvaluatedIndicator
from jixiao.domain.text import parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.selfeval_grid_cells import GridState, Row, clip, first_number, grade_word, label_of
from jixiao.io.readers.selfeval_shared import split_subrow


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
                    self.note("selfeval-unknown-column", Severity.WARNING,
                               f"指标表第{index + 1}列“{clip(text, 20)}”未识别，该列内容不读入", row, index)
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
                               f"一级指标“{clip(level1_text, 20)}”中的分值不是数字，未读入（应如“产出指标(50分)”）",
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
                shown = clip(name or "", 30)
                self.note("selfeval-orphan-subrow", Severity.WARNING,
                          f"“其中”行“{shown}”之前没有它所属的三级指标，按普通指标读入", row, cells["name"][0])
        elif not sub_row:
            self.parent = name
        operator, target, unit = self._target(values)
        level1, level1_weight = self.level1
        what = f"{clip(name, 20)}·" if name else f"第{len(self.indicators) + 1}个指标·"
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
            field, inline = label_of(text)
            if field == "grade":
                if inline:
                    self.grade = grade_word(inline)
                else:
                    following = next((t for i, t in row.filled() if i > index), None)
                    self.grade = grade_word(following) if following else None
                continue
            if words.is_placeholder(text):
                continue
            number = parse_decimal(first_number(self._raw(row, index)))
            if number is not None:
                numbers.append((index, number))
            elif columns.get(index) == "score":
                self._number(self._raw(row, index), "总分", row, index, "数字，如 96.5")
            elif self.grade is None and len(text) <= 4 and words.norm(text) not in vocabulary.GRADE_LABELS:
                self.grade = grade_word(text)
        by_column = {columns.get(index): number for index, number in numbers}
        if "score" in by_column:
            self.total = by_column["score"]
        elif numbers:
            self.total = numbers[-1][1]
