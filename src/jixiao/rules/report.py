"""The review report as plain data (the JSON shape every renderer starts from)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jixiao.domain import Severity
from jixiao.domain.selfeval_table import KIND_LABELS
from jixiao.rules.engine import ReviewReport, TableReview
from jixiao.rules.model import CATEGORY_LABELS, Finding
from jixiao.rules.registry import fmt

REPORT_FORMAT = "jixiao.review"
REPORT_VERSION = 1
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
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
    table = review.table
    return {
        "project_code": table.project_code,
        "project_name": table.project_name,
        "label": table.label(),
        "kind": table.kind,
        "kind_label": KIND_LABELS[table.kind],
        "unit": table.unit.display() if table.unit else None,
        "source": {"file": table.source.file, "line": table.source.line} if table.source else None,
        "score": fmt(review.score),
        "grade": review.grade,
        "counts": {str(s): review.count(s) for s in Severity},
        "deductions": [{"code": code, "count": count, "points": fmt(points)}
                       for code, count, points in review.deductions],
    }


def report_to_dict(report: ReviewReport) -> dict[str, Any]:
    findings = [(index, f) for index, review in enumerate(report.reviews) for f in sorted_findings(review)]
    counts = Counter(str(f.severity) for _, f in findings)
    grades = Counter(review.grade for review in report.reviews)
    profile = report.profile
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "profile": {"name": profile.name, "title": profile.title, "version": profile.version,
                    "source": profile.source},
        "rules_run": [rule.code for rule in report.rules],
        "grade_rule": grade_explanation(report),
        "summary": {
            "tables": len(report.reviews),
            "findings": len(findings),
            **{str(s): counts.get(str(s), 0) for s in Severity},
            "grades": {name: grades.get(name, 0) for name, _ in profile.grade_policy.bands},
        },
        "tables": [table_summary(review) for review in report.reviews],
        # "table" is the position in "tables": project codes may be missing or repeated
        "findings": [f.to_dict() | {"category_label": CATEGORY_LABELS[f.category], "table": index}
                     for index, f in findings],
    }
