"""Self-evaluation scoring (自评) and mid-year monitoring (双监控): pure arithmetic that explains itself."""

from jixiao.scoring.engine import score_project
from jixiao.scoring.execution import score_execution
from jixiao.scoring.indicators import score_indicator
from jixiao.scoring.model import Actual, Budget, ExecutionScore, Explanation, IndicatorScore, ProjectScore
from jixiao.scoring.policy import (
    NegativeFormula,
    QualitativeGrade,
    ScoringPolicy,
    ScoringPolicyError,
    parse_grade,
    scoring_policy_from_dict,
)

__all__ = [
    "Actual",
    "Budget",
    "ExecutionScore",
    "Explanation",
    "IndicatorScore",
    "NegativeFormula",
    "ProjectScore",
    "QualitativeGrade",
    "ScoringPolicy",
    "ScoringPolicyError",
    "parse_grade",
    "score_execution",
    "score_indicator",
    "score_project",
    "scoring_policy_from_dict",
]
