"""The self-evaluation table that a scoring printed: what ``jixiao score -f xlsx|html|pdf`` publishes, as a model.

The 自评表 jixiao prints for a scored project (:mod:`jixiao.reports.selfeval_html`, ``selfeval_xlsx`` and the
PDF made from the HTML) is a published self-evaluation table like any other; :func:`scored_table` is that
table as :class:`SelfEvaluationTable`, built from the same data the renderers print (so reading the printed
file back gives an equal table): the project and units of the target table, the funding block with its 其中
rows, the annual goal, each indicator with its target, actual as printed (with its unit), weight, score and
reason, the 总分 and the 自评等级. jixiao's prompts to the unit (须填写, 待填) are not part of the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from jixiao.domain import Value
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingKey, FundingRow, SelfEvaluationTable
from jixiao.reports.selfeval_html import selfeval_context
from jixiao.scoring.model import ProjectScore
from jixiao.scoring.policy import ScoringPolicy

SPLIT_ROWS: tuple[tuple[FundingKey, str], ...] = (("fiscal", "当年财政拨款"), ("carryover", "上年结转资金"),
                                                  ("other", "其他资金"))  # as the form labels them


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _budget(funding: Mapping[str, Any]) -> FundingRow:
    rate = funding["rate_percent"]
    return FundingRow("total", "年度资金总额", _decimal(funding["initial"]), _decimal(funding["adjusted"]),
                      _decimal(funding["executed"]), _decimal(funding["weight"]),
                      None if rate is None else Decimal(rate.removesuffix("%")), _decimal(funding["score"]))


def _indicator(item: Mapping[str, Any], row: Any) -> EvaluatedIndicator:
    target = row.current_target or row.target
    return EvaluatedIndicator(
        level1=item["level1"], level2=item["level2"], name=item["name"], operator=row.operator,
        target=target, unit_of_measure=row.unit_of_measure, weight=_decimal(item["weight"]),
        actual=Value.of(item["actual_display"]), score=_decimal(item["score"]),
        deviation_reason=item["deviation_reason"] or None)


def _table(project: Mapping[str, Any], score: ProjectScore | None) -> SelfEvaluationTable:
    table = score.table if score is not None else None
    year = project["year_text"].strip("（）").removesuffix("年度")
    rows = [table.indicators[item["index"]] for item in project["indicators"]] if table is not None else []
    return SelfEvaluationTable(
        variant="form",
        project=table.project if table is not None else None,
        department=table.department if table is not None else None,
        implementing_unit=table.unit if table is not None else None,
        year=int(year) if year.isdigit() else None,
        budget=_budget(project["funding"]),
        funding_rows=tuple(FundingRow(key, label, spent_wan=_decimal(split["executed"]))
                           for (key, label), split in zip(SPLIT_ROWS, project["splits"], strict=True)),
        goal_expected=project["annual_goal"] or None,
        goal_actual=project["achieved"] or None,
        indicators=tuple(_indicator(item, row) for item, row in zip(project["indicators"], rows, strict=True)),
        published_total_score=Decimal(project["total"]),
        published_grade=project["grade"],
    )


def scored_tables(projects: Sequence[ProjectScore], policy: ScoringPolicy,
                  stored: Sequence[dict[str, Any]] = ()) -> list[SelfEvaluationTable]:
    """One table per scored project, as the 自评表 of ``projects`` prints it (``stored``: saved submissions, in
    the renderers' form; their tables come from the dicts alone)."""
    context = selfeval_context(projects, policy, stored)
    scores: list[ProjectScore | None] = [*projects, *([None] * len(stored))]
    return [_table(project, score) for project, score in zip(context["projects"], scores, strict=True)]


def scored_table(project: ProjectScore, policy: ScoringPolicy) -> SelfEvaluationTable:
    """The self-evaluation table the scoring of one project printed."""
    return scored_tables([project], policy)[0]
