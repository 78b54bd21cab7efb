"""Self-evaluation results as plain data: the JSON every renderer starts from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jixiao.scoring.model import ExecutionScore, IndicatorScore, ProjectScore, show
from jixiao.scoring.policy import ScoringPolicy

REPORT_FORMAT = "jixiao.selfeval"
REPORT_VERSION = 1


def _number(value: Any) -> str | None:
    return None if value is None else show(value)


def _exact(value: Any) -> str | None:
    """Scores (two decimals) and amounts (万元 as entered) keep their digits: "9.50", "15.00"."""
    return None if value is None else format(value, "f")


def _indicator(item: IndicatorScore, project: ProjectScore) -> dict[str, Any]:
    row = project.table.indicators[item.index]
    target = row.current_target or row.target
    actual = item.actual
    return {
        "index": item.index,
        "level1": row.level1,
        "level2": row.level2,
        "name": item.name,
        "operator": row.operator,
        "target": target.text if target else None,
        "unit_of_measure": row.unit_of_measure,
        "weight": _number(item.weight),
        "actual": actual.value.text if actual and actual.value else None,
        "grade": actual.grade.value if actual and actual.grade else None,
        "score": _exact(item.score),
        "lost": _exact(item.lost),
        "explanation": item.explanation.to_dict(),
        "warnings": list(item.warnings),
        "needs_reason": item.needs_reason,
        "deviation_reason": actual.reason if actual else None,
    }


def _execution(item: ExecutionScore) -> dict[str, Any]:
    budget = item.budget
    return {
        "initial": _exact(budget.initial) if budget else None,
        "adjusted": _exact(budget.adjusted) if budget else None,
        "executed": _exact(budget.executed) if budget else None,
        "weight": _number(item.weight),
        "rate": _number(item.rate),
        "score": _exact(item.score),
        "explanation": item.explanation.to_dict(),
        "warnings": list(item.warnings),
        "needs_reason": item.needs_reason,
        "reason": budget.reason if budget else None,
    }


def project_to_dict(project: ProjectScore) -> dict[str, Any]:
    table = project.table
    return {
        "project_code": table.project_code,
        "project_name": table.project_name,
        "label": table.label(),
        "unit": table.unit.display() if table.unit else None,
        "department": table.department.display() if table.department else None,
        "annual_goal": table.annual_goal,
        "execution_rate": _number(project.execution.rate),
        "execution_score": _exact(project.execution.score),
        "execution": _execution(project.execution),
        "indicators": [_indicator(item, project) for item in project.indicators],
        "total": format(project.total, "f"),
        "grade": project.grade,
        "complete": project.complete,
        "warnings": list(project.warnings) + [w for i in project.indicators for w in i.warnings]
        + list(project.execution.warnings),
    }


def scores_to_dict(projects: Sequence[ProjectScore], policy: ScoringPolicy) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "profile": {"name": policy.profile, "version": policy.version,
                    "negative_formula": policy.negative_formula.value,
                    "execution_method": policy.execution_method.value},
        "projects": [project_to_dict(project) for project in projects],
    }
