"""Writer of the self-evaluation table as published text: the official form (财预〔2020〕10号 附件) or the score sheet.

The inverse of :mod:`jixiao.io.readers.selfeval_text`: what it writes reads back to an equal table. The form's
grid is written line by line — the title and the year, the header fields as ``标签：值``, the funding block and the
indicator table as tab-separated rows under their heading rows, the annual goal, 总分, 自评等级 and the sign-off —
in the order the form prints them. A block weight is written in the 一级 cell ("产出指标(50分)"), a 其中 sub-row
as "其中：名称" under its row (or "其中（所属指标）：名称" when it does not follow it).

Within a cell a line break is written as a space (a row is one line); a goal's paragraphs stay lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TextIO

from jixiao.domain import CodedName, Value
from jixiao.domain.selfeval_labels import FUNDING_COLUMN_LABELS, INDICATOR_COLUMN_LABELS
from jixiao.domain.selfeval_table import FUNDING_ROW_LABELS, EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.domain.text import format_decimal

FORM_TITLE = "项目支出绩效自评表"
SCORE_SHEET_TITLE = "项目支出绩效自评评分表"
# The indicator columns each variant prints, in the form's order; columns a table uses beyond them are added.
FORM_COLUMNS = ("level1", "level2", "name", "operator", "target", "unit_of_measure", "actual", "weight", "score",
                "deviation_reason")
SCORE_SHEET_COLUMNS = ("level1", "level2", "name", "weight", "criteria", "score", "recheck_score")
_ALL_COLUMNS = (*FORM_COLUMNS, "criteria", "recheck_score")
_HEADINGS = {**INDICATOR_COLUMN_LABELS, "score": "得分"}
_SCORE_SHEET_HEADINGS = {**_HEADINGS, "score": "自评分"}


def _cell(value: str | Value | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value) or ""
    return " ".join(str(value).replace("\t", " ").splitlines())


def _coded(value: CodedName | None) -> str:
    return value.display() if value else ""


def _funding_row(row: FundingRow, first_component: bool) -> str:
    label = row.label or (FUNDING_ROW_LABELS.get(row.key) if row.key else None) or ""
    if first_component:
        label = f"其中：{label}"
    rate = format_decimal(row.execution_rate)
    figures = [_cell(row.initial_wan), _cell(row.adjusted_wan), _cell(row.spent_wan), _cell(row.execution_weight),
               f"{rate}%" if rate is not None else "", _cell(row.execution_score)]
    return "\t".join([label, *figures])


def _funding(table: SelfEvaluationTable) -> list[str]:
    if table.budget is None and not table.funding_rows:
        return []
    lines = ["\t".join(["项目资金（万元）", *FUNDING_COLUMN_LABELS.values()])]
    if table.budget is not None:
        lines.append(_funding_row(table.budget, False))
    lines += [_funding_row(row, index == 0) for index, row in enumerate(table.funding_rows)]
    return lines


def _columns(table: SelfEvaluationTable) -> Sequence[str]:
    base = SCORE_SHEET_COLUMNS if table.variant == "score_sheet" else FORM_COLUMNS
    used = [field for field in _ALL_COLUMNS if field not in base
            and any(getattr(item, field) is not None for item in table.indicators)]
    return (*base, *used)


def _indicator_cells(item: EvaluatedIndicator, previous_top: str | None) -> dict[str, str]:
    level1 = _cell(item.level1)
    if item.level1_weight is not None:
        level1 = f"{level1}({format_decimal(item.level1_weight)}分)"
    name = _cell(item.name)
    if item.parent is not None:
        name = f"其中：{name}" if item.parent == previous_top else f"其中（{_cell(item.parent)}）：{name}"
    cells = {field: _cell(getattr(item, field)) for field in _ALL_COLUMNS}
    cells.update(level1=level1, name=name)
    return cells


def _indicators(table: SelfEvaluationTable) -> list[str]:
    columns = _columns(table)
    headings = _SCORE_SHEET_HEADINGS if table.variant == "score_sheet" else _HEADINGS
    lines = ["\t".join(headings[field] for field in columns)]
    top: str | None = None
    for item in table.indicators:
        cells = _indicator_cells(item, top)
        lines.append("\t".join(cells[field] for field in columns))
        if item.parent is None:
            top = item.name
    return lines


def _paragraphs(label: str, text: str | None) -> str:
    lines = [line.replace("\t", " ") for line in (text or "").splitlines() if line.strip()]
    return f"{label}：" + "\n".join(lines)


def format_selfeval(table: SelfEvaluationTable) -> str:
    """One self-evaluation table as the form's text (ends with a newline)."""
    title = SCORE_SHEET_TITLE if table.variant == "score_sheet" else FORM_TITLE
    head = [title] + ([f"（{table.year}年度）"] if table.year is not None else [])
    header = [
        f"项目名称：{_cell(table.project.display() if table.project else None)}",
        f"主管部门：{_cell(_coded(table.department))}",
        f"实施单位：{_cell(_coded(table.implementing_unit))}",
        f"项目负责人：{_cell(table.contact_person)}",
        f"联系电话：{_cell(table.contact_phone)}",
    ]
    goal = ["年度总体目标", _paragraphs("预期目标", table.goal_expected),
            _paragraphs("实际完成情况", table.goal_actual)]
    closing = [
        f"总分：{_cell(table.published_total_score)}",
        f"自评等级：{_cell(table.published_grade)}",
        f"填报人：{_cell(table.evaluator)}",
        f"填报日期：{_cell(table.evaluated_on)}",
    ]
    blocks = [head, header, _funding(table), goal, _indicators(table), closing]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def write_selfevals(tables: Iterable[SelfEvaluationTable], out: TextIO) -> int:
    """Write tables one after another (streaming), a blank line between them; return how many were written."""
    count = 0
    for table in tables:
        if count:
            out.write("\n")
        out.write(format_selfeval(table))
        count += 1
    return count
