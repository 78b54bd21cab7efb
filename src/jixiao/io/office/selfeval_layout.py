"""The self-evaluation table (项目支出绩效自评表) as a grid of merged cells, shared by the xlsx, docx and PDF writers.

One layout, three renderings, so every format puts the same text in the same cell and reads back alike: the
title and year, the labelled header (项目名称, 主管部门 / 实施单位, 项目负责人 / 联系电话), the funding block
(项目资金（万元） merged down, the 年度资金总额 row and its 其中 rows under 年初预算数 … 得分), the annual goal
(预期目标 / 实际完成情况), the indicator table (绩效指标 merged down; 一级指标 merged over its rows with the block
weight in it, "产出指标(50分)"; 二级指标 merged within it; 年度指标值 over 指标性质 / 指标值 / 度量单位; 其中 sub-rows
named "其中：…"), the 总分 row with 自评等级, and the sign-off. The score sheet (决策/过程/产出/效益) adds 评价标准
and 复核分 and calls the score 自评分. Numbers are written exactly as stored ("15.00", "98.50%"); a blank is
an empty cell, except that a missing 一级 or 二级 指标 is "—" so that it does not read as the one above.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from jixiao.domain.selfeval_table import FUNDING_ROW_LABELS, EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.domain.text import format_decimal

TITLES = {"form": "项目支出绩效自评表", "score_sheet": "项目支出绩效自评评分表"}
DASH = "—"
SUB_ROW = "其中："
FORM_FIELDS = ("level1", "level2", "name", "operator", "target", "unit_of_measure", "actual", "weight", "score",
               "deviation_reason")
SCORE_SHEET_FIELDS = ("level1", "level2", "name", "weight", "criteria", "operator", "target", "unit_of_measure",
                      "actual", "score", "recheck_score", "deviation_reason")
HEADINGS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "operator": "指标性质", "target": "指标值",
            "unit_of_measure": "度量单位", "actual": "实际完成值", "weight": "分值", "score": "得分",
            "criteria": "评价标准", "recheck_score": "复核分", "deviation_reason": "偏差原因分析及改进措施"}
TARGET_GROUP = ("operator", "target", "unit_of_measure")  # under one 年度指标值 heading
WIDTHS = {"block": 7.0, "level1": 7.5, "level2": 8.0, "name": 12.0, "operator": 5.0, "target": 8.0,
          "unit_of_measure": 5.5, "actual": 9.0, "weight": 5.0, "score": 5.5, "criteria": 14.0, "recheck_score": 5.5,
          "deviation_reason": 16.0}
FUNDING_FIELDS = ("initial_wan", "adjusted_wan", "spent_wan", "execution_weight", "execution_rate", "execution_score")
FUNDING_HEADINGS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
SHORT = frozenset({"operator", "unit_of_measure", "weight", "score", "recheck_score"})  # centred, "number" cells


@dataclass(frozen=True, slots=True)
class Cell:
    """One (possibly merged) cell: its top-left position, its span and what kind of cell it is.

    ``style``: ``label`` (a printed heading), ``value``, ``number`` (a short value, not wrapped), ``goal``
    (paragraphs kept).
    """

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    style: str = "value"
    number: Decimal | None = None  # the amount, score or rate ``text`` prints, for a writer with numeric cells
    percent: bool = False  # ``text`` is ``number`` with a % sign ("95.00%")


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    year_line: str
    width: int  # grid columns
    rows: int
    cells: tuple[Cell, ...]
    widths: tuple[float, ...]  # per grid column, percent of the table's width
    header_row: int  # the first row of the indicator header (repeated on each printed page)
    header_rows: int  # 1 or 2
    total_row: int  # the 总分 row (the sign-off follows)


def number(value: Decimal | None) -> str:
    return format_decimal(value) or ""


def rate(value: Decimal | None) -> str:
    return f"{format_decimal(value)}%" if value is not None else ""


def _fields(table: SelfEvaluationTable) -> tuple[str, ...]:
    if table.variant == "score_sheet":
        return SCORE_SHEET_FIELDS
    fields = list(FORM_FIELDS)
    if any(item.criteria for item in table.indicators):  # a form that carries criteria keeps them
        fields.insert(fields.index("actual"), "criteria")
    if any(item.recheck_score is not None for item in table.indicators):
        fields.insert(fields.index("score") + 1, "recheck_score")
    return tuple(fields)


def level1_text(item: EvaluatedIndicator) -> str:
    if item.level1_weight is not None:
        return f"{item.level1 or ''}({format_decimal(item.level1_weight)}分)"
    return item.level1 or DASH


def name_text(item: EvaluatedIndicator, previous_top: str | None) -> str:
    """A 其中 sub-row as the form prints it: "其中：名称" under its row, "其中（所属指标）：名称" elsewhere (as the
    text form, :mod:`jixiao.io.writers.selfeval_text`)."""
    name = item.name or ""
    if item.parent is None:
        return name
    return f"{SUB_ROW}{name}" if item.parent == previous_top else f"其中（{item.parent}）：{name}"


def indicator_text(item: EvaluatedIndicator, field: str, previous_top: str | None = None) -> str:
    if field == "name":
        return name_text(item, previous_top)
    value = getattr(item, field)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    return str(value)


def funding_label(row: FundingRow, first_component: bool) -> str:
    label = row.label or (FUNDING_ROW_LABELS.get(row.key) if row.key else None) or ""
    return SUB_ROW + label if first_component and not label.startswith("其中") else label


def funding_text(row: FundingRow, field: str) -> str:
    value = getattr(row, field)
    return rate(value) if field == "execution_rate" else number(value)


def _runs(keys: list[object]) -> list[tuple[int, int]]:
    """(start, length) of the runs of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


class _Grid:
    def __init__(self, width: int) -> None:
        self.width = width
        self.cells: list[Cell] = []
        self.row = 0

    def put(self, row: int, col: int, text: str, rows: int = 1, cols: int = 1, style: str = "value",
            number: Decimal | None = None, percent: bool = False) -> None:
        self.cells.append(Cell(row, col, text, rows, cols, style, number, percent))

    def pair_row(self, left: tuple[str, str], right: tuple[str, str] | None) -> None:
        """标签 | 值 (| 标签 | 值) across the width."""
        middle = 1 + (self.width - 1) // 2
        self.put(self.row, 0, left[0], style="label")
        if right is None:
            self.put(self.row, 1, left[1], cols=self.width - 1)
        else:
            self.put(self.row, 1, left[1], cols=middle - 2)
            self.put(self.row, middle - 1, right[0], style="label")
            self.put(self.row, middle, right[1], cols=self.width - middle)
        self.row += 1


def _header(grid: _Grid, table: SelfEvaluationTable) -> None:
    project = table.project.display() if table.project else ""
    grid.pair_row(("项目名称", project), None)
    grid.pair_row(("主管部门", table.department.display() if table.department else ""),
                  ("实施单位", table.implementing_unit.display() if table.implementing_unit else ""))
    grid.pair_row(("项目负责人", table.contact_person or ""), ("联系电话", table.contact_phone or ""))


def _funding(grid: _Grid, table: SelfEvaluationTable) -> None:
    rows = ([table.budget] if table.budget is not None else []) + list(table.funding_rows)
    if not rows:
        return
    label_end = grid.width - len(FUNDING_FIELDS)  # the row labels span columns 1 … label_end - 1
    top = grid.row
    grid.put(top, 0, "项目资金（万元）", rows=len(rows) + 1, style="label")
    grid.put(top, 1, "", cols=label_end - 1, style="label")
    for offset, heading in enumerate(FUNDING_HEADINGS):
        grid.put(top, label_end + offset, heading, style="label")
    for number_, row in enumerate(rows, start=1):
        first_component = row is not table.budget and (number_ == 1 or rows[number_ - 2] is table.budget)
        grid.put(top + number_, 1, funding_label(row, first_component), cols=label_end - 1, style="label")
        for offset, field in enumerate(FUNDING_FIELDS):
            grid.put(top + number_, label_end + offset, funding_text(row, field), style="number",
                     number=getattr(row, field), percent=field == "execution_rate")
    grid.row = top + len(rows) + 1


def _goal(grid: _Grid, table: SelfEvaluationTable) -> None:
    middle = 1 + (grid.width - 1) // 2
    top = grid.row
    grid.put(top, 0, "年度总体目标", rows=2, style="label")
    grid.put(top, 1, "预期目标", cols=middle - 1, style="label")
    grid.put(top, middle, "实际完成情况", cols=grid.width - middle, style="label")
    grid.put(top + 1, 1, table.goal_expected or "", cols=middle - 1, style="goal")
    grid.put(top + 1, middle, table.goal_actual or "", cols=grid.width - middle, style="goal")
    grid.row = top + 2


def _indicators(grid: _Grid, table: SelfEvaluationTable, fields: tuple[str, ...]) -> tuple[int, int]:
    top = grid.row
    items = table.indicators
    grid.put(top, 0, "绩效指标", rows=2 + len(items), style="label")
    for index, field in enumerate(fields, start=1):
        if field == "operator":
            grid.put(top, index, "年度指标值", cols=len(TARGET_GROUP), style="label")
        if field in TARGET_GROUP:
            grid.put(top + 1, index, HEADINGS[field], style="label")
        else:
            heading = "自评分" if field == "score" and table.variant == "score_sheet" else HEADINGS[field]
            grid.put(top, index, heading, rows=2, style="label")
    first = top + 2
    level1_runs = _runs([(item.level1, item.level1_weight) for item in items])
    column = {field: index for index, field in enumerate(fields, start=1)}
    for start, length in level1_runs:
        grid.put(first + start, column["level1"], level1_text(items[start]), rows=length)
        block = items[start:start + length]
        for start2, length2 in _runs([item.level2 for item in block]):
            grid.put(first + start + start2, column["level2"], block[start2].level2 or DASH, rows=length2)
    last_top: str | None = None  # the name of the last row that is no 其中 row
    for offset, item in enumerate(items):
        for field in fields:
            if field in ("level1", "level2"):
                continue
            value = getattr(item, field)
            grid.put(first + offset, column[field], indicator_text(item, field, last_top),
                     style="number" if field in SHORT else "value",
                     number=value if isinstance(value, Decimal) else None)
        if item.parent is None:
            last_top = item.name
    grid.row = first + len(items)
    return top, 2


def _total(grid: _Grid, table: SelfEvaluationTable, fields: tuple[str, ...]) -> None:
    score_col = fields.index("score") + 1
    grid.put(grid.row, 0, "总分", cols=score_col, style="label")
    grid.put(grid.row, score_col, number(table.published_total_score), style="number",
             number=table.published_total_score)
    grid.put(grid.row, score_col + 1, f"自评等级：{table.published_grade or ''}", cols=grid.width - score_col - 1)
    grid.row += 1
    grid.pair_row(("填报人", table.evaluator or ""), ("填报日期", table.evaluated_on or ""))


def layout(table: SelfEvaluationTable) -> Layout:
    fields = _fields(table)
    grid = _Grid(1 + len(fields))
    _header(grid, table)
    _funding(grid, table)
    _goal(grid, table)
    header_row, header_rows = _indicators(grid, table, fields)
    total_row = grid.row
    _total(grid, table, fields)
    raw = [WIDTHS["block"], *(WIDTHS[field] for field in fields)]
    total = sum(raw)
    year = f"（{table.year}年度）" if table.year is not None else "（　　年度）"
    return Layout(TITLES[table.variant], year, grid.width, grid.row, tuple(grid.cells),
                  tuple(round(width * 100 / total, 2) for width in raw), header_row, header_rows,
                  total_row)


def sheet_name(table: SelfEvaluationTable, index: int, taken: set[str]) -> str:
    """A unique Excel sheet name (≤ 31 characters, none of []:*?/\\) from the project's name."""
    name = table.project_name or f"自评表{index}"
    base = "".join(c for c in name if c not in "[]:*?/\\'")[:24] or f"自评表{index}"
    result, n = base, 1
    while result in taken:
        n += 1
        result = f"{base[:24]}（{n}）"
    taken.add(result)
    return result


def save(data: bytes, target: str | Path | IO[bytes]) -> None:
    """Write a file's bytes to a path or a binary stream (what :mod:`jixiao.services.tables` hands a writer)."""
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
