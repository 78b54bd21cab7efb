"""Rich text view of a review report, grouped by project: target tables reviewed, self-evaluations audited,
each table headed by its kind."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from jixiao.domain import SelfEvaluationTable, Severity, kind_label
from jixiao.domain.diagnostics import SEVERITY_LABELS
from jixiao.rules.model import CATEGORY_LABELS
from jixiao.services.review import ReviewReport, fmt, grade_explanation, recompute_explanation, sorted_findings

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_GRADE_STYLES = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}


def print_review(console: Console, report: ReviewReport) -> None:
    profile = report.profile
    audited = sum(1 for review in report.reviews if review.kind == "self_evaluation")
    title = "审核" if not report.reviews else "绩效目标审核" if not audited else (
        "绩效自评表审计" if audited == len(report.reviews) else "绩效目标审核与自评表审计")
    console.print(Text(f"{title}　配置：{profile.title}（{profile.version}）", style="bold"))
    for review in report.reviews:
        table = review.table
        heading = Text("\n")
        heading.append(table.label(), style="bold")
        heading.append("　建议等级 ")
        heading.append(review.grade, style=_GRADE_STYLES.get(review.grade, "bold"))
        heading.append(f"（{fmt(review.score)} 分）　{kind_label(table)}")
        if isinstance(table, SelfEvaluationTable):
            published = fmt(table.published_total_score) if table.published_total_score is not None else "未填"
            heading.append(f"　公布总分 {published}（{table.published_grade or '未填等级'}）")
            if review.recomputed_score is not None:
                heading.append(f"　复算总分 {fmt(review.recomputed_score)}（{review.recomputed_grade}）")
        if table.source:
            heading.append(f"　{table.source}", style="dim")
        console.print(heading)
        if review.compared_with:
            console.print(Text(f"  对照的绩效目标表：{review.compared_with}", style="dim"))
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
    if audited:
        summary.append(f"其中绩效目标表 {len(report.reviews) - audited} 张，绩效自评表 {audited} 张。")
    console.print(summary)
    console.print(Text(grade_explanation(report), style="dim"))
    if audited:
        console.print(Text(recompute_explanation(report), style="dim"))
