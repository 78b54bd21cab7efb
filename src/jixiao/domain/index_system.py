"""Index systems (评价指标体系) for evaluations and ex-ante assessments, as data (issue 19).

Finance bureaus score 重点绩效评价, 部门整体评价 and 事前绩效评估 with a three-level index system rather
than the self-evaluation's 10 + 90: first-level 决策 / 过程 / 产出 / 效益 (or, for ex-ante assessment,
立项必要性 / 投入经济性 / 绩效目标合理性 / 实施方案可行性 / 筹资合规性), second-level groups, and third-level
indicators each with a weight, its 指标解释, 评价要点, the evidence needed and a scoring method with its
parameters. The model is plain frozen data: ``profiles.index_systems`` parses and checks it from TOML,
``scoring.index_methods`` scores it, so every shell shows the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class EvaluationKind(StrEnum):
    """What an index system is for; the label is what pages and messages print."""

    PROJECT = "project-evaluation"  # 项目支出重点绩效评价
    DEPARTMENT = "department-evaluation"  # 部门整体支出绩效评价
    EX_ANTE = "ex-ante"  # 事前绩效评估

    @property
    def label(self) -> str:
        return {"project-evaluation": "项目支出绩效评价", "department-evaluation": "部门整体绩效评价",
                "ex-ante": "事前绩效评估"}[self.value]


class MethodKind(StrEnum):
    """The scoring methods an indicator can use (the issue's list), each with its own parameters."""

    FORMULA = "formula"  # a ratio of two figures, capped: w × min(分子 ÷ 分母 ÷ 满分比率, 1)
    ELEMENTS = "elements"  # 要素计分: the points of the elements that are met
    CONDITIONS = "conditions"  # 若……则得满分 / 部分分 / 0 分: the share of the condition that holds
    DEDUCTION = "deduction"  # start from full, deduct per occurrence, not below a floor
    GRADES = "grades"  # qualitative grade bands (好 / 较好 / 一般 / 差), points chosen inside the band
    JUDGEMENT = "judgement"  # expert judgement: any points in [0, w] with a written reason

    @property
    def label(self) -> str:
        return {"formula": "公式计分", "elements": "要素计分", "conditions": "条件计分", "deduction": "扣分制",
                "grades": "等级计分", "judgement": "专家评判"}[self.value]


@dataclass(frozen=True, slots=True)
class Element:
    """One 要素 of an element-count indicator and the points it carries."""

    text: str
    points: Decimal


@dataclass(frozen=True, slots=True)
class Condition:
    """``when`` holds → ``share`` of the weight (1 full, 0.5 half, 0 nothing)."""

    when: str
    share: Decimal


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A qualitative grade and the band of the weight it scores in (shares of w, low ≤ score ≤ high)."""

    grade: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class ScoringMethod:
    """One method with the parameters its kind uses (the others keep their defaults)."""

    kind: MethodKind
    numerator: str = ""  # FORMULA: what is divided, e.g. 实际到位资金
    denominator: str = ""  # FORMULA: what it is divided by, e.g. 预算资金
    full_at: Decimal = Decimal(1)  # FORMULA: the ratio that earns full marks (1 = 100 %)
    zero_below: Decimal | None = None  # FORMULA: below this ratio the score is 0
    elements: tuple[Element, ...] = ()  # ELEMENTS
    conditions: tuple[Condition, ...] = ()  # CONDITIONS, in the order they are tried
    per_occurrence: Decimal = Decimal(0)  # DEDUCTION: points deducted for each occurrence
    floor: Decimal = Decimal(0)  # DEDUCTION: the score never goes below this
    occurrence: str = ""  # DEDUCTION: what is counted, e.g. 违规使用资金一处
    bands: tuple[GradeBand, ...] = ()  # GRADES, best first


@dataclass(frozen=True, slots=True)
class IndexIndicator:
    """A third-level indicator: where it sits, its weight, what it means and how it is scored."""

    code: str  # stable within the system, e.g. "A11"
    level1: str
    level2: str
    name: str
    weight: Decimal
    explanation: str  # 指标解释
    points: tuple[str, ...]  # 评价要点
    evidence: tuple[str, ...]  # 佐证材料
    method: ScoringMethod

    @property
    def label(self) -> str:
        """How messages name it: code and the three levels."""
        return f"{self.code}“{self.level1}／{self.level2}／{self.name}”"


@dataclass(frozen=True, slots=True)
class IndexLevel:
    """A first- or second-level entry with its declared weight (``None``: the sum of what is under it)."""

    name: str
    weight: Decimal | None
    parent: str | None = None  # the first level of a second-level entry


@dataclass(frozen=True, slots=True)
class IndexSystem:
    """A checked, versioned index system. ``key`` and ``version`` name it in stored evaluations."""

    key: str
    name: str
    kind: EvaluationKind
    version: str
    source: str  # the policy text it follows, printed on reports
    total: Decimal
    levels: tuple[IndexLevel, ...]
    indicators: tuple[IndexIndicator, ...]

    def level1_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels if level.parent is None)

    def weight_of(self, level1: str, level2: str | None = None) -> Decimal:
        """The sum of the third-level weights under a first-level (and second-level) entry."""
        return sum((item.weight for item in self.indicators
                    if item.level1 == level1 and (level2 is None or item.level2 == level2)), Decimal(0))

    def indicator(self, code: str) -> IndexIndicator | None:
        return next((item for item in self.indicators if item.code == code), None)


@dataclass(frozen=True, slots=True)
class IndicatorEntry:
    """What one evaluator entered for one indicator; each method reads only its own fields."""

    numerator: Decimal | None = None  # FORMULA
    denominator: Decimal | None = None  # FORMULA
    met: tuple[bool, ...] | None = None  # ELEMENTS: one flag per element, in order
    condition: int | None = None  # CONDITIONS: which condition holds (0-based)
    occurrences: int | None = None  # DEDUCTION
    grade: str | None = None  # GRADES
    points: Decimal | None = None  # GRADES (inside the band) and JUDGEMENT
    reason: str | None = None  # JUDGEMENT needs one; any method may carry one


@dataclass(frozen=True, slots=True)
class EvaluationSettings:
    """A profile's ``[evaluation]`` table: what varies by region for index-system evaluations."""

    grade_bands: tuple[tuple[str, Decimal], ...] = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)),
                                                    ("差", Decimal(0)))  # (grade, minimum total), best first
    min_output_outcome_share: Decimal = Decimal("0.6")  # 产出 + 效益 at least this share of the total
    ex_ante_threshold: Decimal = Decimal(500)  # 万元: new 特定目标类 projects from this amount are assessed
    disagreement_share: Decimal = Decimal("0.2")  # experts' spread above this share of w is flagged
    trim: bool = False  # aggregate experts with a trimmed mean (the highest and lowest dropped) from 3 up

    def grade(self, total: Decimal) -> str:
        for name, minimum in self.grade_bands:
            if total >= minimum:
                return name
        return self.grade_bands[-1][0]


@dataclass(frozen=True, slots=True)
class IndexProblem:
    """One reason an index system or a score entry file cannot be used (code from the diagnostic catalogue)."""

    code: str  # e.g. "index-weight-sum"
    message: str


class IndexSystemError(ValueError):
    """An index system (or entry file) that cannot be used; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[IndexProblem], what: str = "评价指标体系") -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  [{problem.code}] {problem.message}" for problem in problems)
        super().__init__(f"{what} {source} 不能使用（{len(problems)} 处问题）：\n{lines}")
