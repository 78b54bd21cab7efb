"""Rich views of tables and diagnostics for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jixiao.domain import Diagnostic, Severity, TargetTable
from jixiao.domain.diagnostics import SEVERITY_LABELS
from jixiao.domain.text import format_decimal

_SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_BLANK = Text("（空）", style="dim")


def _text(value: object) -> Text | str:
    if value is None or value == "":
        return _BLANK
    return str(value)


def _money(value: object) -> Text | str:
    if value is None:
        return _BLANK
    return f"{format_decimal(value)} 万元"  # type: ignore[arg-type]


def table_view(table: TargetTable, subtitle: str | None = None) -> Panel:
    """A panel with the header facts, the annual goal and the indicator grid (``subtitle``: below the panel,
    what ``jixiao parse`` recognised it as)."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("单位信息", _text(table.unit.display() if table.unit else None))
    facts.add_row("主管部门", _text(table.department.display() if table.department else None))
    facts.add_row("职能职责与活动", _text(table.function.display() if table.function else None))
    facts.add_row("项目经办人", _text(table.contact_person))
    facts.add_row("经办人电话", _text(table.contact_phone))
    facts.add_row("项目总额", _money(table.total_wan))
    for _, label, amount in table.funding.items():
        if amount is not None:
            facts.add_row(f"  其中：{label}", _money(amount))
    facts.add_row("预算执行率权重", _text(format_decimal(table.execution_weight)))
    facts.add_row("年度目标", _text(table.annual_goal))

    grid = Table(show_lines=False, header_style="bold", expand=False)
    for title, justify in (("一级指标", "left"), ("二级指标", "left"), ("三级指标", "left"),
                           ("性质", "center"), ("历史值", "right"), ("指标值", "right"),
                           ("本年值", "right"), ("单位", "left"), ("权重", "right"),
                           ("本年权重", "right"), ("方向", "left")):
        grid.add_column(title, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for item in table.indicators:
        grid.add_row(
            item.level1 or "", item.level2 or "", item.name or "", item.operator or "",
            str(item.history or ""), str(item.target or ""), str(item.current_target or ""),
            item.unit_of_measure or "", format_decimal(item.weight) or "",
            format_decimal(item.current_weight) or "", (item.direction or "").replace("指标", ""),
        )
    weight = format_decimal(table.indicator_weight_total())
    caption = f"指标 {len(table.indicators)} 条，权重合计 {weight or '（空）'}"
    if table.source:
        caption += f"　来源 {table.source}"
    grid.caption = caption
    return Panel(Group(facts, grid), title=f"[bold]{table.label()}[/]", title_align="left",
                 subtitle=Text(subtitle) if subtitle else None,
                 subtitle_align="left")


def print_tables(console: Console, tables: Iterable[TargetTable]) -> None:
    for table in tables:
        console.print(table_view(table))


def diagnostic_text(item: Diagnostic) -> Text:
    text = Text(f"{item.location()}: ")
    text.append(f"{SEVERITY_LABELS[item.severity]} {item.code}", style=_SEVERITY_STYLES[item.severity])
    text.append(f" {item.message}")
    return text
