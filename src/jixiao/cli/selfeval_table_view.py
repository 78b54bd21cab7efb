"""The terminal view of a published self-evaluation table (``jixiao parse`` of a 自评表), as ``render.table_view``."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jixiao.domain import SelfEvaluationTable
from jixiao.domain.selfeval_table import VARIANT_LABELS, FundingRow
from jixiao.domain.text import format_decimal

_BLANK = Text("（空）", style="dim")


def _text(value: object) -> Text | str:
    return _BLANK if value is None or value == "" else str(value)


def _number(value: object) -> str:
    return format_decimal(value) or "" if value is not None else ""  # type: ignore[arg-type]


def _funding(table: SelfEvaluationTable) -> Table | None:
    rows: list[FundingRow] = ([table.budget] if table.budget else []) + list(table.funding_rows)
    if not rows:
        return None
    grid = Table(header_style="bold", expand=False, title="项目资金（万元）", title_justify="left")
    for title in ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"):
        grid.add_column(title, justify="left" if not title else "right")
    for row in rows:
        rate = format_decimal(row.execution_rate)
        grid.add_row(row.label or "", _number(row.initial_wan), _number(row.adjusted_wan), _number(row.spent_wan),
                     _number(row.execution_weight), f"{rate}%" if rate else "", _number(row.execution_score))
    return grid


def selfeval_table_view(table: SelfEvaluationTable, subtitle: str | None = None) -> Panel:
    """A panel with the header, the funding block, the goal, the indicator rows and the published total."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("表样", VARIANT_LABELS[table.variant])
    facts.add_row("年度", _text(table.year))
    facts.add_row("主管部门", _text(table.department.display() if table.department else None))
    facts.add_row("实施单位", _text(table.implementing_unit.display() if table.implementing_unit else None))
    facts.add_row("项目负责人", _text(table.contact_person))
    facts.add_row("预期目标", _text(table.goal_expected))
    facts.add_row("实际完成情况", _text(table.goal_actual))
    sheet = table.variant == "score_sheet"
    grid = Table(header_style="bold", expand=False)
    headings = (("一级指标", "left"), ("二级指标", "left"), ("三级指标", "left"), ("性质", "center"),
                ("年度指标值", "right"), ("实际完成值", "right"), ("分值", "right"),
                ("自评分" if sheet else "得分", "right"), ("复核分" if sheet else "偏差原因", "left"))
    for title, justify in headings:
        grid.add_column(title, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for item in table.indicators:
        level1 = item.level1 or ""
        if item.level1_weight is not None:
            level1 += f"({format_decimal(item.level1_weight)}分)"
        name = f"  其中：{item.name or ''}" if item.parent else item.name or ""
        last = _number(item.recheck_score) if sheet else item.deviation_reason or ""
        grid.add_row(level1, item.level2 or "", name, item.operator or "", str(item.target or ""),
                     str(item.actual or ""), _number(item.weight), _number(item.score), last)
    total = format_decimal(table.published_total_score)
    grade = table.published_grade or "（空）"
    grid.caption = (f"指标 {len(table.indicators)} 条，总分 {total or '（空）'}，自评等级 {grade}"
                    + (f"　来源 {table.source}" if table.source else ""))
    funding = _funding(table)
    body = Group(facts, funding, grid) if funding is not None else Group(facts, grid)
    return Panel(body, title=f"[bold]{table.label()}[/]", title_align="left",
                 subtitle=Text(subtitle) if subtitle else None,
                 subtitle_align="left")
