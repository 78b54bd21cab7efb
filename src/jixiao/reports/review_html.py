"""Render a review report as one self-contained HTML page (inline CSS, no scripts).

The page is built from :func:`jixiao.rules.report.report_to_dict` plus the rule
catalogue, the same data the JSON and xlsx outputs use, so every format says the
same thing. The output carries no date or other run-dependent content: the same
report always renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jixiao.domain import Severity
from jixiao.domain.diagnostics import SEVERITY_LABELS
from jixiao.reports.templating import render_template
from jixiao.rules import ReviewReport
from jixiao.rules.engine import ENGINE_FAULT
from jixiao.rules.model import CATEGORY_LABELS, Category, Location
from jixiao.rules.profile import Profile
from jixiao.rules.registry import RULES
from jixiao.rules.report import report_to_dict

TEMPLATE = "review.html.j2"
TITLE = "绩效目标审核报告"  # a report of target tables only (the usual one)
AUDIT_TITLE = "绩效自评表审计报告"  # of published self-evaluations only
MIXED_TITLE = "绩效目标表审核与自评表审计报告"
ENGINE_FAULT_DESCRIPTION = ("某条规则检查本表时因数据异常而出错，该规则未能完成检查。"
                            "这不是对表格内容的判断，请人工复核该表。")
# CSS class per severity and per grade band position (best first).
SEVERITY_CLASSES = {str(s): f"sev-{s}" for s in Severity}
GRADE_CLASSES = ("grade-1", "grade-2", "grade-3", "grade-4")


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS[Severity(severity)]


def category_label(category: str) -> str:
    return CATEGORY_LABELS[Category(category)]


def where(location: dict[str, Any], with_file: bool = True, with_line: bool = True) -> str:
    """The location of a finding in words, from its dict form (as ``Location.describe``)."""
    return Location(**location).describe(with_file, with_line)


def findings_by_table(data: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Split ``data["findings"]`` into one list per table, by each finding's ``table`` index
    (project codes may be missing or repeated, positions are not)."""
    groups: list[list[dict[str, Any]]] = [[] for _ in data["tables"]]
    for finding in data["findings"]:
        groups[finding["table"]].append(finding)
    return groups


def rule_info(code: str, profile: Profile, findings: Sequence[dict[str, Any]] = ()) -> dict[str, str]:
    """Code, title, category, severity (as the profile sets it) and description of a rule.

    Also for the engine-fault code, which is not in the catalogue: its title and
    category come from the findings that carry it.
    """
    sample = next((f for f in findings if f["code"] == code), None)
    rule = RULES.get(code)
    if rule is not None:
        title, category, description = rule.title, str(rule.category), rule.description
        severity = str(profile.severities.get(code, rule.severity))
    else:
        title = sample["title"] if sample else code
        category = sample["category"] if sample else str(Category.STRUCTURE)
        description = ENGINE_FAULT_DESCRIPTION if code == ENGINE_FAULT else ""
        severity = str(Severity.ERROR)
    if sample is not None:
        severity = sample["severity"]
    return {"code": code, "title": title, "category": category, "category_label": category_label(category),
            "severity": severity, "severity_label": severity_label(severity),
            "severity_class": SEVERITY_CLASSES[severity], "description": description}


def grade_class(grade: str, bands: list[str]) -> str:
    """Badge class by the grade's place among the profile's bands: best green, worst red."""
    if grade not in bands:
        return "grade-none"
    index = bands.index(grade)
    if index == len(bands) - 1 and len(bands) > 1:
        return GRADE_CLASSES[-1]
    return GRADE_CLASSES[min(index, len(GRADE_CLASSES) - 2)]


def report_title(data: dict[str, Any]) -> str:
    """The report's title by the kinds of table it holds (from ``report_to_dict``)."""
    kinds = data["summary"]["kinds"]
    if not kinds["self_evaluation"]:
        return TITLE
    return AUDIT_TITLE if not kinds["target"] else MIXED_TITLE


def review_title(report: ReviewReport) -> str:
    """The title of ``report`` (the PDF's running head)."""
    audited = sum(1 for review in report.reviews if review.kind == "self_evaluation")
    if not audited:
        return TITLE
    return AUDIT_TITLE if audited == len(report.reviews) else MIXED_TITLE


def html_context(report: ReviewReport) -> dict[str, Any]:
    """Everything the template shows, as plain data."""
    data = report_to_dict(report)
    bands = list(data["summary"]["grades"])
    severities = [{"key": str(s), "label": SEVERITY_LABELS[s], "class": SEVERITY_CLASSES[str(s)],
                   "count": data["summary"][str(s)]} for s in Severity]
    tables = []
    for number, (table, findings) in enumerate(zip(data["tables"], findings_by_table(data),
                                                   strict=True), start=1):
        source = table["source"]
        tables.append(table | {
            "number": number,
            "anchor": f"t{number}",
            "source_text": (f"{source['file']}:{source['line']}" if source and source["line"]
                            else source["file"] if source else None),
            "grade_class": grade_class(table["grade"], bands),
            "findings": [finding | {
                "severity_label": severity_label(finding["severity"]),
                "severity_class": SEVERITY_CLASSES[finding["severity"]],
                "where": where(finding["location"], with_file=False),  # the file is in the heading
            } for finding in findings],
        })
    fired = sorted({finding["code"] for finding in data["findings"]})
    reading = [note | {"severity_label": severity_label(note["severity"]),
                       "severity_class": SEVERITY_CLASSES[note["severity"]]} for note in data["reading"]]
    return {
        "reading": reading,
        "title": report_title(data),
        "audited": data["summary"]["kinds"]["self_evaluation"],
        "recompute_rule": data["recompute_rule"],
        "profile": data["profile"],
        "summary": data["summary"],
        "severities": severities,
        "grades": [{"name": name, "count": count, "class": grade_class(name, bands)}
                   for name, count in data["summary"]["grades"].items()],
        "grade_rule": data["grade_rule"],
        "tables": tables,
        "rules": [rule_info(code, report.profile, data["findings"]) for code in fired],
        "rules_run": len(data["rules_run"]),
    }


def render_html(report: ReviewReport) -> str:
    """The review report as a standalone HTML5 page (UTF-8, inline CSS, print-friendly)."""
    return render_template(TEMPLATE, html_context(report))
