"""The review report as plain data (the JSON shape every renderer starts from)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jixiao.domain import SelfEvaluationTable, Severity
from jixiao.domain.selfeval_table import KIND_LABELS, VARIANT_LABELS
from jixiao.rules.engine import ReviewReport, TableReview
from jixiao.rules.model import CATEGORY_LABELS, Finding
from jixiao.rules.registry import bands_text, fmt

REPORT_FORMAT = "jixiao.review"
REPORT_VERSION = 1
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
RECOMPUTE_RULE = ("自评表的复算总分 = 按本配置公式复算的资金执行率得分 + 各项指标得分（定性等不能按公式复算的项"
                  "按公布得分计，限于 0 至其分值；其中的子行不重复计入），复算等级按自评分档：{bands}。")
GRADE_RULE = ("建议审核等级 = 100 − 各规则扣分之和（同一规则在一张表中最多计 {cap} 次；"
              "每次扣分：错误 {error}、警告 {warning}、提示 {info}），再按分档：{bands}。")


def grade_explanation(report: ReviewReport) -> str:
    policy = report.profile.grade_policy
    bands = "，".join(f"{name} ≥ {fmt(minimum)}" for name, minimum in policy.bands)
    return GRADE_RULE.format(cap=policy.max_per_rule,
                             error=fmt(policy.deductions.get(Severity.ERROR)),
                             warning=fmt(policy.deductions.get(Severity.WARNING)),
                             info=fmt(policy.deductions.get(Severity.INFO)), bands=bands)


def sorted_findings(review: TableReview) -> list[Finding]:
    return sorted(review.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


def table_summary(review: TableReview) -> dict[str, Any]:
    """One table's line of the report. ``kind`` says which table it is (绩效目标表 reviewed, or 绩效自评表
    audited); a self-evaluation adds its published 总分 and 自评等级 beside the ones jixiao recomputes."""
    table = review.table
    unit = (table.implementing_unit or table.department) if isinstance(table, SelfEvaluationTable) else table.unit
    summary: dict[str, Any] = {
        "kind": table.kind,
        "kind_label": KIND_LABELS[table.kind],
        "project_code": table.project_code,
        "project_name": table.project_name,
        "label": table.label(),
        "unit": unit.display() if unit else None,
        "source": {"file": table.source.file, "line": table.source.line} if table.source else None,
        "score": fmt(review.score),
        "grade": review.grade,
        "counts": {str(s): review.count(s) for s in Severity},
        "deductions": [{"code": code, "count": count, "points": fmt(points)}
                       for code, count, points in review.deductions],
        "self_evaluation": None,
    }
    if isinstance(table, SelfEvaluationTable):
        summary["self_evaluation"] = {
            "variant": table.variant,
            "variant_label": VARIANT_LABELS[table.variant],
            "published_total_score": None if table.published_total_score is None else fmt(table.published_total_score),
            "published_grade": table.published_grade,
            "recomputed_total_score": None if review.recomputed_score is None else fmt(review.recomputed_score),
            "recomputed_grade": review.recomputed_grade,
        }
    summary["compared_with"] = review.compared_with  # the approved target table's file (A020–A022), or None
    return summary


def recompute_explanation(report: ReviewReport) -> str:
    """How the audit's 复算总分 and 复算等级 of a self-evaluation are found."""
    return RECOMPUTE_RULE.format(bands=bands_text(report.profile.scoring.grade_bands))


def report_to_dict(report: ReviewReport) -> dict[str, Any]:
    findings = [(index, f) for index, review in enumerate(report.reviews) for f in sorted_findings(review)]
    counts = Counter(str(f.severity) for _, f in findings)
    grades = Counter(review.grade for review in report.reviews)
    kinds: Counter[str] = Counter(review.table.kind for review in report.reviews)
    profile = report.profile
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "profile": {"name": profile.name, "title": profile.title, "version": profile.version,
                    "source": profile.source},
        "rules_run": [rule.code for rule in report.rules],
        "grade_rule": grade_explanation(report),
        "recompute_rule": recompute_explanation(report) if kinds["self_evaluation"] else None,
        "summary": {
            "tables": len(report.reviews),
            "kinds": {kind: kinds.get(kind, 0) for kind in KIND_LABELS},
            "findings": len(findings),
            **{str(s): counts.get(str(s), 0) for s in Severity},
            "grades": {name: grades.get(name, 0) for name, _ in profile.grade_policy.bands},
            "reading": len(report.reading),
        },
        "tables": [table_summary(review) for review in report.reviews],
        # "table" is the position in "tables": project codes may be missing or repeated
        "findings": [f.to_dict() | {"category_label": CATEGORY_LABELS[f.category], "table": index}
                     for index, f in findings],
        # what the readers said about the files (errors and warnings): a value not read explains a finding
        "reading": [d.to_dict() | {"location": d.location()} for d in report.reading],
    }
