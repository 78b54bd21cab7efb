"""The performance target table (项目支出绩效目标表)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import msgspec

from jixiao.domain.codes import CodedName, ProjectRef
from jixiao.domain.indicator import Indicator
from jixiao.domain.keyed import KeyedStruct

FUNDING_SOURCES: tuple[tuple[str, str], ...] = (
    ("fiscal", "财政资金"),
    ("special_account", "财政专户管理资金"),
    ("unit_own", "单位资金"),
    ("social", "社会投入资金"),
    ("bank_loan", "银行贷款"),
)


class Funding(msgspec.Struct, frozen=True, gc=False):
    """The funding split (其中：…) in 万元; a blank row is ``None``, never 0."""

    fiscal: Decimal | None = None
    special_account: Decimal | None = None
    unit_own: Decimal | None = None
    social: Decimal | None = None
    bank_loan: Decimal | None = None

    def items(self) -> list[tuple[str, str, Decimal | None]]:
        """(identifier, Chinese label, amount) in the published order."""
        return [(key, label, getattr(self, key)) for key, label in FUNDING_SOURCES]

    def total(self) -> Decimal | None:
        """Sum of the rows that are filled in; ``None`` when all are blank."""
        amounts = [amount for _, _, amount in self.items() if amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


class SourceRef(msgspec.Struct, frozen=True, gc=False):
    """Where a table was read: file name and first line (1-based)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class TargetTable(KeyedStruct, frozen=True, gc=False):
    """One 项目支出绩效目标表: header facts, funding, annual goal and indicators.

    Missing is missing: every optional field is ``None`` when the published table
    left it blank. ``source`` (file and first line) and ``field_lines`` (the line of
    each header field, e.g. ``{"total_wan": 12}``) are provenance and take no part in
    equality or hashing, so a table read back from another format compares equal; nor does ``ambiguous``,
    the header fields whose value the reader guessed (each guess also a diagnostic). The
    model is a frozen ``msgspec.Struct`` (not tracked by the garbage collector: it holds no
    cycles), which builds many times faster than a frozen dataclass.
    """

    unit: CodedName | None = None
    project: ProjectRef | None = None
    function: CodedName | None = None
    department: CodedName | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    total_wan: Decimal | None = None
    execution_weight: Decimal | None = None
    funding: Funding = msgspec.field(default_factory=Funding)
    annual_goal: str | None = None
    indicators: tuple[Indicator, ...] = ()
    source: SourceRef | None = None
    field_lines: Mapping[str, int] = msgspec.field(default_factory=dict)
    ambiguous: tuple[str, ...] = ()

    def _key(self) -> tuple[object, ...]:
        return (self.unit, self.project, self.function, self.department, self.contact_person,
                self.contact_phone, self.total_wan, self.execution_weight, self.funding, self.annual_goal,
                self.indicators)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(_REPR_FIELDS, self._key(), strict=True))
        return f"TargetTable({shown}, source={self.source!r})"

    @property
    def kind(self) -> Literal["target"]:
        return "target"

    @property
    def project_code(self) -> str | None:
        return self.project.code_text if self.project else None

    @property
    def project_name(self) -> str | None:
        return self.project.name if self.project else None

    def indicator_weight_total(self) -> Decimal | None:
        weights = [i.weight for i in self.indicators if i.weight is not None]
        return sum(weights, Decimal(0)) if weights else None

    def label(self) -> str:
        """A short human label: project code-name, or the source when unnamed."""
        if self.project is not None:
            return self.project.display()
        return str(self.source) if self.source else "（未命名项目）"


_REPR_FIELDS = ("unit", "project", "function", "department", "contact_person", "contact_phone", "total_wan",
                "execution_weight", "funding", "annual_goal", "indicators")
