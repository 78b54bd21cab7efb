"""JSON format v1 for the self-evaluation kind (``"kind": "self_evaluation"``).

The same conventions as the target table (:mod:`jixiao.io.json_format`): glossary keys, numbers as
strings exactly as published, ``null`` for blank. A document without ``kind`` is a target table, so
every document written before this kind existed stays valid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.domain import CodedName, ProjectCode, ProjectRef, SourceRef, Value
from jixiao.domain.selfeval_table import (
    FUNDING_ROW_LABELS,
    EvaluatedIndicator,
    FundingKey,
    FundingRow,
    SelfEvaluationTable,
    Variant,
)
from jixiao.domain.text import format_decimal, parse_decimal
from jixiao.io.json_out import FORMAT_VERSION

KIND = "self_evaluation"
_ROW_NUMBERS = ("initial_wan", "adjusted_wan", "spent_wan", "execution_weight", "execution_rate",
                "execution_score")


def _coded(value: CodedName | None) -> dict[str, str | None] | None:
    return None if value is None else {"code": value.code, "name": value.name}


def _text(value: Value | None) -> str | None:
    return None if value is None else value.text


def funding_row_to_dict(row: FundingRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        **{name: format_decimal(getattr(row, name)) for name in _ROW_NUMBERS},
    }


def evaluated_indicator_to_dict(item: EvaluatedIndicator) -> dict[str, Any]:
    data: dict[str, Any] = {
        "level1": item.level1,
        "level2": item.level2,
        "name": item.name,
        "operator": item.operator,
        "target": _text(item.target),
        "unit_of_measure": item.unit_of_measure,
        "weight": format_decimal(item.weight),
        "actual": _text(item.actual),
        "score": format_decimal(item.score),
        "deviation_reason": item.deviation_reason,
        "parent": item.parent,
        "level1_weight": format_decimal(item.level1_weight),
        "criteria": item.criteria,
        "recheck_score": format_decimal(item.recheck_score),
    }
    if item.ambiguous:  # what the reader guessed; absent when nothing was
        data["ambiguous"] = list(item.ambiguous)
    return data


def selfeval_to_dict(table: SelfEvaluationTable, *, with_source: bool = True) -> dict[str, Any]:
    """One self-evaluation table as a JSON-ready dict (key order is part of the format)."""
    project = table.project
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "variant": table.variant,
        "project_code": project.code_text if project else None,
        "project_name": project.name if project else None,
        "project_suffix": project.suffix if project else None,
        "department": _coded(table.department),
        "implementing_unit": _coded(table.implementing_unit),
        "contact_person": table.contact_person,
        "contact_phone": table.contact_phone,
        "year": table.year,
        "budget": None if table.budget is None else funding_row_to_dict(table.budget),
        "funding_rows": [funding_row_to_dict(row) for row in table.funding_rows],
        "goal_expected": table.goal_expected,
        "goal_actual": table.goal_actual,
        "indicators": [evaluated_indicator_to_dict(item) for item in table.indicators],
        "published_total_score": format_decimal(table.published_total_score),
        "published_grade": table.published_grade,
        "evaluator": table.evaluator,
        "evaluated_on": table.evaluated_on,
    }
    if table.ambiguous:
        data["ambiguous"] = list(table.ambiguous)
    if with_source and table.source is not None:
        data["source"] = {"file": table.source.file, "line": table.source.line}
    return data


def _decimal(text: str | None) -> Decimal | None:
    return parse_decimal(text)


def _coded_from(data: dict[str, Any] | None) -> CodedName | None:
    return None if data is None else CodedName(data.get("code"), data.get("name"))


def funding_row_from_dict(data: dict[str, Any]) -> FundingRow:
    key: FundingKey | None = data.get("key")
    label = data.get("label")
    if label is None and key is not None:
        label = FUNDING_ROW_LABELS.get(key)
    return FundingRow(key, label, initial_wan=_decimal(data.get("initial_wan")),
                      adjusted_wan=_decimal(data.get("adjusted_wan")), spent_wan=_decimal(data.get("spent_wan")),
                      execution_weight=_decimal(data.get("execution_weight")),
                      execution_rate=_decimal(data.get("execution_rate")),
                      execution_score=_decimal(data.get("execution_score")))


def evaluated_indicator_from_dict(data: dict[str, Any], line: int | None = None) -> EvaluatedIndicator:
    return EvaluatedIndicator(
        level1=data.get("level1"),
        level2=data.get("level2"),
        name=data.get("name"),
        operator=data.get("operator"),
        target=Value.of(data.get("target")),
        unit_of_measure=data.get("unit_of_measure"),
        actual=Value.of(data.get("actual")),
        deviation_reason=data.get("deviation_reason"),
        parent=data.get("parent"),
        criteria=data.get("criteria"),
        line=line,
        weight=_decimal(data.get("weight")),
        score=_decimal(data.get("score")),
        level1_weight=_decimal(data.get("level1_weight")),
        recheck_score=_decimal(data.get("recheck_score")),
        ambiguous=tuple(data.get("ambiguous") or ()),
    )


def selfeval_from_dict(data: dict[str, Any], default_source: SourceRef | None = None) -> SelfEvaluationTable:
    """Build a self-evaluation table from a dict that already passed validation (no checks here)."""
    code, name, suffix = data.get("project_code"), data.get("project_name"), data.get("project_suffix")
    project = ProjectRef(ProjectCode(code) if code else None, name, suffix) if (code or name or suffix) else None
    source_data = data.get("source")
    source = SourceRef(source_data["file"], source_data.get("line")) if source_data else default_source
    budget = data.get("budget")
    variant: Variant = data.get("variant") or "form"
    return SelfEvaluationTable(
        variant=variant,
        project=project,
        department=_coded_from(data.get("department")),
        implementing_unit=_coded_from(data.get("implementing_unit")),
        contact_person=data.get("contact_person"),
        contact_phone=data.get("contact_phone"),
        year=data.get("year"),
        budget=None if budget is None else funding_row_from_dict(budget),
        funding_rows=tuple(funding_row_from_dict(row) for row in data.get("funding_rows") or ()),
        goal_expected=data.get("goal_expected"),
        goal_actual=data.get("goal_actual"),
        indicators=tuple(evaluated_indicator_from_dict(item) for item in data.get("indicators") or ()),
        published_total_score=_decimal(data.get("published_total_score")),
        published_grade=data.get("published_grade"),
        evaluator=data.get("evaluator"),
        evaluated_on=data.get("evaluated_on"),
        source=source,
        ambiguous=tuple(data.get("ambiguous") or ()),
    )
