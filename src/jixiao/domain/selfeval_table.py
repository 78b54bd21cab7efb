"""The published self-evaluation table (项目支出绩效自评表), a second table kind beside the target table.

A self-evaluation table is what a unit publishes after the year: the funding block with what was
budgeted and spent and the execution score, the annual goal as planned and as achieved, and each
indicator with its target, its actual and the points given. jixiao reads it as published — every
number kept exactly as printed (``Decimal``), ``None`` where a cell is blank — so that an audit can
recompute the scores and say where the published arithmetic does not hold.

Two variants are published: the official form of 财预〔2020〕10号 (``form``) and the score sheet whose
first level is 决策/过程/产出/效益 with 评价标准 and 自评分/复核分 columns (``score_sheet``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Literal

import msgspec

from jixiao.domain.codes import CodedName, ProjectRef
from jixiao.domain.keyed import KeyedStruct
from jixiao.domain.table import SourceRef
from jixiao.domain.values import Value

TableKind = Literal["target", "self_evaluation"]
Variant = Literal["form", "score_sheet"]
FundingKey = Literal["total", "fiscal", "carryover", "other"]

# The rows of the funding block in the published order: key, the official label.
FUNDING_ROWS: Final[tuple[tuple[FundingKey, str], ...]] = (
    ("total", "年度资金总额"),
    ("fiscal", "本年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
FUNDING_ROW_LABELS: Final[dict[str, str]] = dict(FUNDING_ROWS)

KIND_LABELS: Final[dict[str, str]] = {"target": "绩效目标表", "self_evaluation": "绩效自评表"}
VARIANT_LABELS: Final[dict[str, str]] = {
    "form": "自评表（10号文格式）",
    "score_sheet": "自评评分表（决策/过程/产出/效益）",
}


class FundingRow(KeyedStruct, frozen=True, gc=False):
    """One row of the funding block (万元), as published.

    ``execution_rate`` is in percent as printed ("98.50%" is ``Decimal("98.50")``); ``execution_weight``
    is the row's 分值 and ``execution_score`` its 得分. ``key`` says which row it is when the label is
    recognised (``total`` for 年度资金总额); ``label`` keeps the published wording.
    """

    key: FundingKey | None
    label: str | None = None
    initial_wan: Decimal | None = None
    adjusted_wan: Decimal | None = None
    spent_wan: Decimal | None = None
    execution_weight: Decimal | None = None
    execution_rate: Decimal | None = None
    execution_score: Decimal | None = None
    line: int | None = None

    def _key(self) -> tuple[object, ...]:
        return (self.key, self.label, self.initial_wan, self.adjusted_wan, self.spent_wan,
                self.execution_weight, self.execution_rate, self.execution_score)

    def is_blank(self) -> bool:
        """No figure printed at all."""
        return all(value is None for value in self._key()[2:])


class EvaluatedIndicator(KeyedStruct, frozen=True, gc=False):
    """One indicator row of a self-evaluation table, as published.

    ``level1_weight`` is a block weight printed in the 一级 cell ("产出指标(50分)" gives 50, and
    ``level1`` is 产出指标); ``parent`` names the row a 其中 sub-row belongs to. In the score sheet
    ``criteria`` is the 评价标准 and ``recheck_score`` the 复核分. ``line`` is provenance: it takes no
    part in equality, so a table read back from another format compares equal.
    """

    level1: str | None
    level2: str | None
    name: str | None
    operator: str | None = None
    target: Value | None = None
    unit_of_measure: str | None = None
    weight: Decimal | None = None
    actual: Value | None = None
    score: Decimal | None = None
    deviation_reason: str | None = None
    parent: str | None = None
    level1_weight: Decimal | None = None
    criteria: str | None = None
    recheck_score: Decimal | None = None
    line: int | None = None
    ambiguous: tuple[str, ...] = ()  # fields whose value was guessed (as Indicator.ambiguous); not compared

    def _key(self) -> tuple[object, ...]:
        return (self.level1, self.level2, self.name, self.operator, self.target, self.unit_of_measure,
                self.weight, self.actual, self.score, self.deviation_reason, self.parent, self.level1_weight,
                self.criteria, self.recheck_score)


class SelfEvaluationTable(KeyedStruct, frozen=True, gc=False):
    """One 项目支出绩效自评表: header, funding block, annual goal (planned and achieved), indicators, total.

    ``budget`` is the 年度资金总额 row; ``funding_rows`` are the component rows (其中 本年财政拨款,
    上年结转资金, 其他资金) in the published order. ``published_total_score`` and ``published_grade`` are
    the 总分 and 自评等级 as printed, never recomputed here. ``source`` and ``field_lines`` are provenance;
    so is ``cut_off``: the capture stopped inside the table (the reader said ``table-cut-off``), so rows are
    missing and the weights and 总分 cannot be checked against them; so is ``ambiguous``, the header fields
    whose value the reader guessed. None of the four takes part in equality.
    """

    variant: Variant = "form"
    project: ProjectRef | None = None
    department: CodedName | None = None
    implementing_unit: CodedName | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    year: int | None = None
    budget: FundingRow | None = None
    funding_rows: tuple[FundingRow, ...] = ()
    goal_expected: str | None = None
    goal_actual: str | None = None
    indicators: tuple[EvaluatedIndicator, ...] = ()
    published_total_score: Decimal | None = None
    published_grade: str | None = None
    evaluator: str | None = None
    evaluated_on: str | None = None
    source: SourceRef | None = None
    field_lines: Mapping[str, int] = msgspec.field(default_factory=dict)
    cut_off: bool = False
    ambiguous: tuple[str, ...] = ()  # header fields whose value was guessed (as TargetTable.ambiguous)

    def _key(self) -> tuple[object, ...]:
        return (self.variant, self.project, self.department, self.implementing_unit, self.contact_person,
                self.contact_phone, self.year, self.budget, self.funding_rows, self.goal_expected,
                self.goal_actual, self.indicators, self.published_total_score, self.published_grade,
                self.evaluator, self.evaluated_on)

    @property
    def kind(self) -> TableKind:
        return "self_evaluation"

    @property
    def project_code(self) -> str | None:
        return self.project.code_text if self.project else None

    @property
    def project_name(self) -> str | None:
        return self.project.name if self.project else None

    def funding_row(self, key: FundingKey) -> FundingRow | None:
        """The row with ``key`` (``total`` is :attr:`budget`), ``None`` when not published."""
        if key == "total":
            return self.budget
        return next((row for row in self.funding_rows if row.key == key), None)

    def indicator_weight_total(self) -> Decimal | None:
        weights = [item.weight for item in self.indicators if item.weight is not None and item.parent is None]
        return sum(weights, Decimal(0)) if weights else None

    def label(self) -> str:
        """A short human label: project code-name, or the source when unnamed."""
        if self.project is not None:
            return self.project.display()
        return str(self.source) if self.source else "（未命名项目）"
