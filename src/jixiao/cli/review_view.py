"""Rich text view of a review report, grouped by project."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from jixiao.domain import Severity, kind_label
from jixiao.domain.diagnostics import SEVERITY_LABELS
from jixiao.rules.model import CATEGORY_LABELS
from jixiao.services.review import ReviewReport, fmt, grade_explanation, sorted_findings

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_GRADE_STYLES = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}


def print_review(console: Console, report: ReviewReport) -> None:
    profile = report.profile
    console.print(Text(f"绩效目标审核　配置：{profile.title}（{profile.version}）", style="bold"))
    for review in report.reviews:
        table = review.table
        heading = Text("\n")
        heading.append(table.label(), style="bold")
        heading.append("　建议等级 ")
        heading.append(review.grade, style=_GRADE_STYLES.get(review.grade, "bold"))
        heading.append(f"（{fmt(review.score)} 分）　{kind_label(table)}")
        if table.source:
            heading.append(f"　{table.source}", style="dim")
        console.print(heading)
        findings = sorted_findings(review)
        if not findings:
            console.print(Text("  未发现问题", style="green"))
        for finding in findings:
            line = Text("  ")
            line.append(f"{SEVERITY_LABELS[finding.severity]} {finding.code}",
                        style=_STYLES[finding.severity])
            line.append(f" [{CATEGORY_LABELS[finding.category]}] {finding.title}：", style="bold")
            line.append(finding.message)
            where = finding.location.describe()
            if where:
                line.append(f"（{where}）", style="dim")
            console.print(line)
    counts = report.counts()
    summary = Text("\n")
    summary.append(f"共审核 {len(report.reviews)} 张表：", style="bold")
    summary.append(f"错误 {counts[Severity.ERROR]} 条", style=_STYLES[Severity.ERROR])
    summary.append("，")
    summary.append(f"警告 {counts[Severity.WARNING]} 条", style=_STYLES[Severity.WARNING])
    summary.append("，")
    summary.append(f"提示 {counts[Severity.INFO]} 条", style=_STYLES[Severity.INFO])
    grades = [review.grade for review in report.reviews]
    bands = "，".join(f"{name} {grades.count(name)} 张" for name, _ in profile.grade_policy.bands)
    summary.append(f"。建议等级：{bands}。")
    console.print(summary)
    console.print(Text(grade_explanation(report), style="dim"))
