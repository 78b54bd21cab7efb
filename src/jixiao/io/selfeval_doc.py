"""Reading the self-evaluation kind of JSON format v1: its schema and a typed one-pass decoder.

Like the target kind (:mod:`jixiao.io.json_format`): msgspec types that accept no more than the schema
(``schema/self-evaluation-table-v1.json``) read a valid document in one pass; a document they refuse is
read again through jsonschema, which explains each error in Chinese (:mod:`jixiao.io.readers.json_reader`).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Literal

import msgspec

from jixiao.domain import CodedName, ProjectCode, ProjectRef, SourceRef, Value
from jixiao.domain.selfeval_table import FUNDING_ROW_LABELS, EvaluatedIndicator, FundingRow, SelfEvaluationTable
from jixiao.domain.text import parse_decimal

SCHEMA_FILE = "self-evaluation-table-v1.json"
_Number = Annotated[str, msgspec.Meta(pattern=r"^-?[0-9]+(\.[0-9]+)?(?![\s\S])")]


@cache
def selfeval_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one self-evaluation table, shipped inside the package."""
    from importlib import resources

    text = resources.files("jixiao.io.schema").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


class _CodedDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    code: str | None
    name: str | None


class _RowDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    key: Literal["total", "fiscal", "carryover", "other"] | None
    label: str | None = None
    initial_wan: _Number | None = None
    adjusted_wan: _Number | None = None
    spent_wan: _Number | None = None
    execution_weight: _Number | None = None
    execution_rate: _Number | None = None
    execution_score: _Number | None = None


class _IndicatorDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    level1: str | None
    level2: str | None
    name: str | None
    operator: str | None = None
    target: str | None = None
    unit_of_measure: str | None = None
    weight: _Number | None = None
    actual: str | None = None
    score: _Number | None = None
    deviation_reason: str | None = None
    parent: str | None = None
    level1_weight: _Number | None = None
    criteria: str | None = None
    recheck_score: _Number | None = None
    ambiguous: tuple[str, ...] = ()


class _SourceDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    file: str
    line: Annotated[int, msgspec.Meta(ge=1)] | None = None


class SelfEvalDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    format_version: Literal[1]
    kind: Literal["self_evaluation"]
    project_code: str | None
    project_name: str | None
    indicators: list[_IndicatorDoc]
    variant: Literal["form", "score_sheet"] | None = None
    project_suffix: str | None = None
    department: _CodedDoc | None = None
    implementing_unit: _CodedDoc | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    year: Annotated[int, msgspec.Meta(ge=1000, le=9999)] | None = None
    budget: _RowDoc | None = None
    funding_rows: list[_RowDoc] = msgspec.field(default_factory=list)
    goal_expected: str | None = None
    goal_actual: str | None = None
    published_total_score: _Number | None = None
    published_grade: str | None = None
    evaluator: str | None = None
    evaluated_on: str | None = None
    source: _SourceDoc | msgspec.UnsetType = msgspec.UNSET  # absent or an object, never null (as the schema)
    ambiguous: tuple[str, ...] = ()


_DECODER = msgspec.json.Decoder(list[SelfEvalDoc] | SelfEvalDoc)


def decode_valid_selfeval(text: str) -> list[SelfEvalDoc] | None:
    """The tables of a document of self-evaluation tables only, or ``None`` when it is not plainly that."""
    try:
        document = _DECODER.decode(text)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError, ValueError):
        return None
    return document if isinstance(document, list) else [document]


def _coded(value: _CodedDoc | None) -> CodedName | None:
    return None if value is None else CodedName(value.code, value.name)


def _row(doc: _RowDoc) -> FundingRow:
    label = doc.label if doc.label is not None or doc.key is None else FUNDING_ROW_LABELS.get(doc.key)
    return FundingRow(doc.key, label, parse_decimal(doc.initial_wan), parse_decimal(doc.adjusted_wan),
                      parse_decimal(doc.spent_wan), parse_decimal(doc.execution_weight),
                      parse_decimal(doc.execution_rate), parse_decimal(doc.execution_score))


def _indicator(doc: _IndicatorDoc) -> EvaluatedIndicator:
    return EvaluatedIndicator(
        doc.level1, doc.level2, doc.name, doc.operator, Value.of(doc.target), doc.unit_of_measure,
        parse_decimal(doc.weight), Value.of(doc.actual), parse_decimal(doc.score), doc.deviation_reason, doc.parent,
        parse_decimal(doc.level1_weight), doc.criteria, parse_decimal(doc.recheck_score), None, doc.ambiguous)


def selfeval_from_doc(doc: SelfEvalDoc, default_source: SourceRef | None = None) -> SelfEvaluationTable:
    """:func:`jixiao.io.selfeval_json.selfeval_from_dict` for a decoded document (the same table, field by field)."""
    code, name, suffix = doc.project_code, doc.project_name, doc.project_suffix
    project = ProjectRef(ProjectCode(code) if code else None, name, suffix) if (code or name or suffix) else None
    given = doc.source
    source = SourceRef(given.file, given.line) if isinstance(given, _SourceDoc) else default_source
    return SelfEvaluationTable(
        variant=doc.variant or "form",
        project=project,
        department=_coded(doc.department),
        implementing_unit=_coded(doc.implementing_unit),
        contact_person=doc.contact_person,
        contact_phone=doc.contact_phone,
        year=doc.year,
        budget=None if doc.budget is None else _row(doc.budget),
        funding_rows=tuple(map(_row, doc.funding_rows)),
        goal_expected=doc.goal_expected,
        goal_actual=doc.goal_actual,
        indicators=tuple(map(_indicator, doc.indicators)),
        published_total_score=parse_decimal(doc.published_total_score),
        published_grade=doc.published_grade,
        evaluator=doc.evaluator,
        evaluated_on=doc.evaluated_on,
        source=source,
        ambiguous=doc.ambiguous,
    )
