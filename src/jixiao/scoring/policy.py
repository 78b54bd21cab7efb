"""Scoring policy (re-exported): the settings live in :mod:`jixiao.domain.scoring_policy`, shared with the audit."""

from jixiao.domain.scoring_policy import QUALITATIVE_BANDS as QUALITATIVE_BANDS
from jixiao.domain.scoring_policy import ExecutionMethod as ExecutionMethod
from jixiao.domain.scoring_policy import NegativeFormula as NegativeFormula
from jixiao.domain.scoring_policy import QualitativeGrade as QualitativeGrade
from jixiao.domain.scoring_policy import ScoringPolicy as ScoringPolicy
from jixiao.domain.scoring_policy import ScoringPolicyError as ScoringPolicyError
from jixiao.domain.scoring_policy import parse_grade as parse_grade
from jixiao.domain.scoring_policy import scoring_policy_from_dict as scoring_policy_from_dict

__all__ = ["QUALITATIVE_BANDS", "ExecutionMethod", "NegativeFormula", "QualitativeGrade", "ScoringPolicy",
           "ScoringPolicyError", "parse_grade", "scoring_policy_from_dict"]
