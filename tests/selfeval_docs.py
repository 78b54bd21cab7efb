"""Published self-evaluation tables for the import and 复核 tests, filled in from the seed as a unit would.

Each seed target table becomes the 自评表 its unit would publish: every target met and given its weight,
execution 98 % scored 9.80 of 10 (so 总分 = 90 + 9.80), written as JSON format v1 documents of
``"kind": "self_evaluation"`` — the files the import reads through the reader registry.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from jixiao.domain import CodedName, ProjectCode, ProjectRef, TargetTable
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.io.reading import read_path
from jixiao.io.selfeval_json import selfeval_to_dict
from tests.test_cli import SEED


@cache
def seed_tables() -> dict[str, TargetTable]:
    return {r.table.project_code or "": r.table for r in read_path(SEED) if isinstance(r.table, TargetTable)}


def filled(code: str, year: int = 2022) -> SelfEvaluationTable:
    """The self-evaluation of seed project ``code``: targets met, full marks, execution 98 %."""
    target = seed_tables()[code]
    rows = tuple(EvaluatedIndicator(i.level1, i.level2, i.name, i.operator, i.current_target or i.target,
                                    i.unit_of_measure, i.weight, i.current_target or i.target, i.weight)
                 for i in target.indicators)
    budget = FundingRow("total", "年度资金总额", Decimal("15.00"), Decimal("15.00"), Decimal("14.70"), Decimal("10"),
                        Decimal("98.00"), Decimal("9.80"))
    total = sum((i.weight or Decimal(0) for i in target.indicators), Decimal("9.80"))
    return SelfEvaluationTable(
        project=ProjectRef(ProjectCode(code), target.project_name, None), department=target.department,
        implementing_unit=target.unit, contact_person="张三", year=year, budget=budget,
        funding_rows=(FundingRow("fiscal", "本年财政拨款", Decimal("15.00"), Decimal("15.00"), Decimal("14.70")),),
        goal_expected=target.annual_goal, goal_actual="年度目标全部完成。", indicators=rows,
        published_total_score=total, published_grade="优")


def document(table: SelfEvaluationTable, **changes: Any) -> dict[str, Any]:
    """The table as a JSON document, with top-level keys replaced (``project_code=None``: no code printed)."""
    return selfeval_to_dict(table, with_source=False) | changes


def as_bytes(*documents: dict[str, Any]) -> bytes:
    data = documents[0] if len(documents) == 1 else list(documents)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def unnamed(code: str, unit: CodedName | None = None, department: CodedName | None = None,
            **changes: Any) -> dict[str, Any]:
    """The document of ``code`` without its project code, with the given units (``None``: the seed's)."""
    table = filled(code)
    data = document(table, **({"project_code": None} | changes))
    if unit is not None:
        data["implementing_unit"] = {"code": unit.code, "name": unit.name}
    if department is not None:
        data["department"] = {"code": department.code, "name": department.name}
    return data


def with_scores(code: str, scores: dict[int, str], total: str | None = None) -> dict[str, Any]:
    """The document of ``code`` with some indicator scores changed (row index → 得分) and the total printed."""
    data = document(filled(code))
    for index, score in scores.items():
        data["indicators"][index]["score"] = score
    if total is not None:
        data["published_total_score"] = total
    return data


__all__ = ["as_bytes", "document", "filled", "seed_tables", "unnamed", "with_scores"]
