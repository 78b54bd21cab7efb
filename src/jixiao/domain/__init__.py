"""The pure domain model: no I/O, no storage, no web. Everything else builds on it."""

from jixiao.domain.codes import CodedName, ProjectCode, ProjectRef
from jixiao.domain.diagnostics import Diagnostic, Severity
from jixiao.domain.indicator import Direction, Indicator, Operator, parse_direction, parse_operator
from jixiao.domain.kinds import AnyTable, kind_label
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow, SelfEvaluationTable, TableKind
from jixiao.domain.table import FUNDING_SOURCES, Funding, SourceRef, TargetTable
from jixiao.domain.values import Value

__all__ = [
    "FUNDING_SOURCES",
    "AnyTable",
    "CodedName",
    "Diagnostic",
    "Direction",
    "EvaluatedIndicator",
    "Funding",
    "FundingRow",
    "Indicator",
    "Operator",
    "ProjectCode",
    "ProjectRef",
    "SelfEvaluationTable",
    "Severity",
    "SourceRef",
    "TableKind",
    "TargetTable",
    "Value",
    "kind_label",
    "parse_direction",
    "parse_operator",
]
