"""Rich text views of self-evaluation scores and monitoring lights."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jixiao.scoring.model import Light, ProjectMonitor, ProjectScore, show

_GRADE = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}
_LIGHT = {Light.GREEN: "bold green", Light.YELLOW: "bold yellow", Light.RED: "bold red", Light.BLUE: "bold blue",
          Light.UNKNOWN: "dim"}


def _amount(value: Decimal | None) -> str:
    """Amounts in 万元 as entered ("15.00"), not trimmed like scores in arithmetic."""
    return "—" if value is None else format(value, "f")


def print_scores(console: Console, projects: list[ProjectScore]) -> None:
    for project in projects:
        grid = Table(header_style="bold", expand=False)
        for title, justify in (("指标", "left"), ("年度指标值", "right"), ("实际完成值", "right"),
                               ("分值", "right"), ("得分", "right"), ("计算", "left")):
            grid.add_column(title, justify=justify, overflow="fold")  # type: ignore[arg-type]
        execution = project.execution
        budget = execution.budget
        grid.add_row("预算执行率", f"{_amount(budget.adjusted if budget else None)} 万元",
                     f"{_amount(budget.executed if budget else None)} 万元",
                     show(execution.weight), _amount(execution.score) if execution.score is not None else "未计分",
                     execution.explanation.arithmetic)
        for item in project.indicators:
            row = project.table.indicators[item.index]
            target = row.current_target or row.target
            actual = item.actual.value.text if item.actual and item.actual.value else "—"
            scored = _amount(item.score) if item.score is not None else Text("未计分", style="red")
            wanted = f"{row.operator or ''}{target.text if target else ''}{row.unit_of_measure or ''}"
            grid.add_row(item.name or "", wanted, actual, show(item.weight), scored, item.explanation.arithmetic)
        heading = Text(f"总分 {_amount(project.total)}　自评等级 ")
        heading.append(project.grade, style=_GRADE.get(project.grade, "bold"))
        notes = [*project.warnings, *execution.warnings] + [
            f"{i.name}：{w}" for i in project.indicators for w in i.warnings]
        body: list[Table | Text] = [grid, heading, *(Text(f"· {note}", style="yellow") for note in notes)]
        console.print(Panel(Group(*body), title=f"[bold]{project.table.label()}[/]", title_align="left"))


def print_monitors(console: Console, projects: list[ProjectMonitor]) -> None:
    for project in projects:
        grid = Table(header_style="bold")
        for title in ("指标", "年度指标值", "累计完成值", "进度", "信号", "计算", "还缺"):
            grid.add_column(title, overflow="fold")
        for item in project.indicators:
            row = project.table.indicators[item.index]
            target = row.current_target or row.target
            to_date = item.progress.to_date.text if item.progress and item.progress.to_date else "—"
            ratio = f"{show((item.signal.ratio * 100).quantize(1))}%" if item.signal.ratio is not None else "—"
            wanted = f"{row.operator or ''}{target.text if target else ''}{row.unit_of_measure or ''}"
            grid.add_row(item.name or "", wanted, to_date, ratio,
                         Text(item.signal.light.value, style=_LIGHT[item.signal.light]),
                         item.signal.arithmetic, "、".join(item.missing) or "")
        spending = Text(f"{project.month}月 双监控：资金 ")
        spending.append(project.spending.light.value, style=_LIGHT[project.spending.light])
        spending.append(f"（{project.spending.arithmetic}）　指标 ")
        spending.append(project.indicator_light.value, style=_LIGHT[project.indicator_light])
        console.print(Panel(Group(spending, grid), title=f"[bold]{project.table.label()}[/]", title_align="left"))
