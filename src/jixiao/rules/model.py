"""Rules and findings, modelled on Frictionless's error classes.

A :class:`Rule` is metadata plus a check function; a :class:`Finding` is one
occurrence, with its message already filled in and a location a unit can act on.
Reports are data first and rendered elsewhere (text, JSON, HTML, xlsx). Findings, their
locations and hits are frozen msgspec Structs: a review makes one of each per finding, and a
Struct is built in a tenth of the time of a frozen slotted dataclass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import msgspec

from jixiao.domain import Severity, TableKind
from jixiao.domain.labels import FIELD_LABELS, SELFEVAL_FIELD_LABELS

if TYPE_CHECKING:
    from jixiao.rules.context import TableContext


class Category(StrEnum):
    COMPLETENESS = "completeness"
    STRUCTURE = "structure"
    WEIGHTS = "weights"
    CONSISTENCY = "consistency"
    QUANTIFICATION = "quantification"
    PLAUSIBILITY = "plausibility"
    AUDIT = "audit"  # of published self-evaluation tables, not of target tables


CATEGORY_LABELS: dict[Category, str] = {
    Category.COMPLETENESS: "完整性",
    Category.STRUCTURE: "结构",
    Category.WEIGHTS: "权重",
    Category.CONSISTENCY: "一致性",
    Category.QUANTIFICATION: "量化",
    Category.PLAUSIBILITY: "合理性",
    Category.AUDIT: "自评审计",
}


class Location(msgspec.Struct, frozen=True, gc=False):
    """Where a finding points: a header field or an indicator row, and the source line."""

    field: str | None = None  # glossary identifier, e.g. "total_wan", "annual_goal"
    indicator: int | None = None  # 0-based row in the indicator table
    indicator_name: str | None = None
    file: str | None = None
    line: int | None = None

    def describe(self, with_file: bool = True, with_line: bool = True) -> str:
        """"第3条指标“服务提升”，seed.txt:294"; without the file: "…，第294行"."""
        parts: list[str] = []
        if self.indicator is not None:
            parts.append(f"第{self.indicator + 1}条指标“{self.indicator_name or ''}”")
        elif self.field:
            parts.append(FIELD_LABELS.get(self.field) or SELFEVAL_FIELD_LABELS.get(self.field, self.field))
        if self.file and with_file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        elif self.line and with_line:
            parts.append(f"第{self.line}行")
        return "，".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "file": self.file,
            "line": self.line,
        }




class Finding(msgspec.Struct, frozen=True, gc=False):
    code: str
    category: Category
    severity: Severity
    title: str
    message: str
    project_code: str | None
    location: Location

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "category": str(self.category),
            "severity": str(self.severity),
            "title": self.title,
            "project_code": self.project_code,
            "message": self.message,
            "location": self.location.to_dict(),
        }


class Hit(msgspec.Struct, frozen=True):
    """What a check returns: the values for the message template and where it points."""

    values: Mapping[str, object]
    field: str | None = None
    indicator: int | None = None


Check = Callable[["TableContext"], Iterable[Hit]]  # a review rule, over a target table (audit rules: rules.audit.rule)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    category: Category
    severity: Severity
    title: str
    template: str  # str.format template filled with Hit.values
    description: str  # what it checks and the policy or practice it rests on
    # A Check for target tables, an AuditCheck (rules.audit.rule) for self-evaluations: ``kind`` says which,
    # and each kind's decorator types its checks.
    check: Callable[[Any], Iterable[Hit]] = field(compare=False, repr=False)
    example_bad: str = ""  # documentation: a short example that triggers it
    kind: TableKind = "target"  # the table kind the rule reads

    def message(self, hit: Hit) -> str:
        return self.template.format(**hit.values)
