"""Scoring policy: what varies by region in self-evaluation and monitoring (domain.md §3, §4, §6).

Read from the ``[scoring]`` and ``[monitoring]`` tables of a rule profile TOML; built and
validated here, loaded from files by :mod:`jixiao.profiles`. It lives in the domain because two
layers apply it: ``scoring`` scores what units report, and the self-evaluation audit in ``rules``
recomputes published scores with the same settings (``jixiao.scoring.policy`` re-exports it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from jixiao.domain.reported import QualitativeGrade as QualitativeGrade  # re-exported: defined with the reported rows


class ScoringPolicyError(ValueError):
    """A scoring section that cannot be used; the message is Chinese and names the key."""


class NegativeFormula(StrEnum):
    LINEAR = "linear"  # w × (1 − (B − A) / A), 0 at B ≥ 2A
    RATIO = "ratio"  # w × A / B


class ExecutionMethod(StrEnum):
    PROPORTIONAL = "proportional"  # min(rate, 1) × weight
    BANDED = "banded"  # the fraction of the band the rate falls in


# Score bands of a 定性 indicator as fractions of its weight (财预〔2020〕10号).
QUALITATIVE_BANDS: dict[QualitativeGrade, tuple[Decimal, Decimal]] = {
    QualitativeGrade.ACHIEVED: (Decimal("0.8"), Decimal(1)),
    QualitativeGrade.PARTLY: (Decimal("0.6"), Decimal("0.8")),
    QualitativeGrade.NOT_ACHIEVED: (Decimal(0), Decimal("0.6")),
}

_GRADE_ALIASES = {
    "达成": QualitativeGrade.ACHIEVED, "达成年度指标": QualitativeGrade.ACHIEVED,
    "部分达成": QualitativeGrade.PARTLY, "部分达成年度指标并具有一定效果": QualitativeGrade.PARTLY,
    "未达成": QualitativeGrade.NOT_ACHIEVED, "未达成年度指标且效果较差": QualitativeGrade.NOT_ACHIEVED,
}


def parse_grade(text: str | None) -> QualitativeGrade | None:
    """The three 定性 grades, in full or short (达成 / 部分达成 / 未达成)."""
    return _GRADE_ALIASES.get((text or "").strip().replace(" ", ""))


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    profile: str
    version: str
    execution_weight: Decimal
    negative_formula: NegativeFormula
    execution_method: ExecutionMethod
    execution_bands: tuple[tuple[Decimal, Decimal], ...]  # (minimum rate, fraction of the weight), best first
    execution_explain_below: Decimal  # rates below this need a written reason
    overachievement_ratio: Decimal  # B ≥ ratio × A is flagged (正向)
    overachievement_deduction: Decimal  # fraction of the weight deducted when flagged (0: none)
    grade_bands: tuple[tuple[str, Decimal], ...]  # (grade, minimum total), best first
    monitoring_month: int  # the default reporting month (7 = 1–7月)
    monitoring_bands: tuple[Decimal, Decimal]  # red below the first, yellow below the second
    monitoring_blue: Decimal  # actual-to-date ≥ this × annual target → blue

    def grade(self, total: Decimal) -> str:
        for name, minimum in self.grade_bands:
            if total >= minimum:
                return name
        return self.grade_bands[-1][0]


def _decimal(data: Mapping[str, Any], key: str, default: str) -> Decimal:
    raw = data.get(key, default)
    try:
        return Decimal(str(raw))
    except (InvalidOperation, TypeError):
        raise ScoringPolicyError(f"[scoring] 配置项“{key}”应为数字，实际为 {raw!r}") from None


def _choice(data: Mapping[str, Any], key: str, default: str, kind: type[StrEnum]) -> Any:
    raw = data.get(key, default)
    try:
        return kind(raw)
    except ValueError:
        allowed = "、".join(item.value for item in kind)
        raise ScoringPolicyError(f"[scoring] 配置项“{key}”应为 {allowed} 之一，实际为 {raw!r}") from None


def scoring_policy_from_dict(profile: str, version: str, scoring: Mapping[str, Any],
                             monitoring: Mapping[str, Any]) -> ScoringPolicy:
    bands_raw = scoring.get("grade_bands", {"优": 90, "良": 80, "中": 60, "差": 0})
    grade_bands = tuple(sorted(((name, _decimal(bands_raw, name, "0")) for name in bands_raw),
                               key=lambda item: item[1], reverse=True))
    execution_raw = scoring.get("execution_bands", [])
    try:
        execution_bands = tuple(sorted(((Decimal(str(rate)), Decimal(str(share)))
                                        for rate, share in execution_raw), reverse=True))
    except (InvalidOperation, TypeError, ValueError):
        raise ScoringPolicyError(
            "[scoring] execution_bands 应为 [[最低执行率, 得分比例], …]，如 [[0.9, 1], [0.8, 0.8]]") from None
    method = _choice(scoring, "execution_method", "proportional", ExecutionMethod)
    if method is ExecutionMethod.BANDED and not execution_bands:
        raise ScoringPolicyError("[scoring] execution_method = \"banded\" 时须给出 execution_bands")
    month = int(_decimal(monitoring, "month", "7"))
    if not 1 <= month <= 12:
        raise ScoringPolicyError(f"[monitoring] month 应在 1–12 之间，实际为 {month}")
    red, yellow = (_decimal(monitoring, "red_below", "0.6"), _decimal(monitoring, "yellow_below", "0.8"))
    return ScoringPolicy(
        profile=profile,
        version=version,
        execution_weight=_decimal(scoring, "execution_weight", "10"),
        negative_formula=_choice(scoring, "negative_formula", "linear", NegativeFormula),
        execution_method=method,
        execution_bands=execution_bands,
        execution_explain_below=_decimal(scoring, "execution_explain_below", "0.9"),
        overachievement_ratio=_decimal(scoring, "overachievement_ratio", "1.3"),
        overachievement_deduction=_decimal(scoring, "overachievement_deduction", "0"),
        grade_bands=grade_bands,
        monitoring_month=month,
        monitoring_bands=(red, yellow),
        monitoring_blue=_decimal(monitoring, "blue_at", "1.2"),
    )
