"""Self-evaluation and monitoring inputs and results (types only, what the shells display). Every score and
light carries the arithmetic that produced it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from jixiao.domain import TargetTable, Value
from jixiao.domain.score_formulas import CENT as CENT  # the rounding lives with the formulas it serves
from jixiao.domain.score_formulas import money as money
from jixiao.domain.score_formulas import show as show
from jixiao.scoring.policy import QualitativeGrade


@dataclass(frozen=True, slots=True)
class Actual:
    """What a unit reports for one indicator after the year."""

    value: Value | None  # 实际完成值: a number, or the grade text for 定性
    grade: QualitativeGrade | None = None  # 定性 only
    points: Decimal | None = None  # 定性得分, chosen by the evaluator inside the grade's band
    reason: str | None = None  # 偏差原因分析及改进措施
    row: int | None = field(default=None, compare=False)  # where it was read


@dataclass(frozen=True, slots=True)
class Budget:
    """Budget figures in 万元 for the execution rate (财预〔2020〕10号 自评表)."""

    initial: Decimal | None  # 年初预算数
    adjusted: Decimal | None  # 全年预算数 (A): the adjusted budget, never the year-start figure
    executed: Decimal | None  # 全年执行数 (B)
    reason: str | None = None
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Explanation:
    formula: str  # the rule in words, e.g. "正向：B ≥ A 得满分，否则 w × B ÷ A"
    arithmetic: str  # e.g. "20 × 600000 ÷ 720000 = 16.67"
    inputs: Mapping[str, str]  # {"A": "720000", "B": "600000", "w": "20"}
    profile: str  # profile name and version that chose the formula
    full_marks_at: str | None = None  # the actual that would have earned full marks

    def to_dict(self) -> dict[str, object]:
        return {"formula": self.formula, "arithmetic": self.arithmetic, "inputs": dict(self.inputs),
                "profile": self.profile, "full_marks_at": self.full_marks_at}


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    index: int
    name: str | None
    weight: Decimal | None
    actual: Actual | None
    score: Decimal | None  # None: could not be scored (see warnings)
    explanation: Explanation
    warnings: tuple[str, ...] = ()
    needs_reason: bool = False  # points lost or over-achieved: a written reason is required
    overachieved: bool = False

    @property
    def lost(self) -> Decimal | None:
        if self.score is None or self.weight is None:
            return None
        return self.weight - self.score


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    budget: Budget | None
    weight: Decimal
    rate: Decimal | None  # B ÷ A
    score: Decimal | None
    explanation: Explanation
    warnings: tuple[str, ...] = ()
    needs_reason: bool = False


@dataclass(frozen=True, slots=True)
class ProjectScore:
    table: TargetTable
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str
    warnings: tuple[str, ...] = ()

    @property
    def project_code(self) -> str | None:
        return self.table.project_code

    @property
    def complete(self) -> bool:
        return self.execution.score is not None and all(i.score is not None for i in self.indicators)


# Monitoring (运行监控): the lights and what they were computed from (see :mod:`jixiao.scoring.monitoring`).


class Light(StrEnum):
    GREEN = "绿"
    YELLOW = "黄"
    RED = "红"
    BLUE = "蓝"
    UNKNOWN = "无法判断"


_SEVERITY = {Light.RED: 4, Light.UNKNOWN: 3, Light.YELLOW: 2, Light.BLUE: 1, Light.GREEN: 0}


def worst(lights: list[Light]) -> Light:
    return max(lights, key=_SEVERITY.__getitem__) if lights else Light.UNKNOWN


@dataclass(frozen=True, slots=True)
class Progress:
    to_date: Value | None  # 累计完成值 (or the grade text for 定性)
    forecast: Value | None = None  # 全年预计完成值
    reason: str | None = None  # 偏差原因 (经费/制度/人员/硬件/其他保障)
    likelihood: str | None = None  # 完成可能性
    row: int | None = None


@dataclass(frozen=True, slots=True)
class SpendingToDate:
    adjusted: Decimal | None  # 全年预算数 (万元)
    executed: Decimal | None  # 累计执行数 (万元)


@dataclass(frozen=True, slots=True)
class Signal:
    light: Light
    ratio: Decimal | None  # v, the progress against the time elapsed
    formula: str
    arithmetic: str


@dataclass(frozen=True, slots=True)
class IndicatorMonitor:
    index: int
    name: str | None
    progress: Progress | None
    signal: Signal
    missing: tuple[str, ...]  # what a yellow or red row still lacks (偏差原因, 完成可能性)


@dataclass(frozen=True, slots=True)
class ProjectMonitor:
    table: TargetTable
    month: int
    spending: Signal
    indicators: tuple[IndicatorMonitor, ...]

    @property
    def indicator_light(self) -> Light:
        return worst([item.signal.light for item in self.indicators])

    @property
    def attention(self) -> tuple[IndicatorMonitor, ...]:
        """Rows that are yellow or red: they need a deviation reason and a likelihood."""
        return tuple(i for i in self.indicators if i.signal.light in (Light.YELLOW, Light.RED))
