"""JSON interchange format, version 1 (see docs/json-format.md and schema/target-table-v1.json).

Keys are the glossary identifiers of domain.md. Money, weights and values are
strings exactly as published ("15.00", "720000"), so no value passes through a float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal

import msgspec

from jixiao.domain import (
    CodedName,
    Funding,
    Indicator,
    ProjectCode,
    ProjectRef,
    SourceRef,
    TargetTable,
    Value,
)
from jixiao.domain.text import format_decimal, parse_decimal
from jixiao.io.json_out import FORMAT_VERSION as FORMAT_VERSION
from jixiao.io.json_out import encode_table as encode_table
from jixiao.io.json_out import json_array_encoder as json_array_encoder

SCHEMA_FILE = "target-table-v1.json"
_FUNDING_KEYS = ("fiscal", "special_account", "unit_own", "social", "bank_loan")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one table, shipped inside the package."""
    from importlib import resources  # here, not at the top: jixiao parse of a text file never needs it

    text = resources.files("jixiao.io.schema").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _coded(value: CodedName | None) -> dict[str, str | None] | None:
    return None if value is None else {"code": value.code, "name": value.name}


def _value(value: Value | None) -> str | None:
    return None if value is None else value.text


def indicator_to_dict(item: Indicator) -> dict[str, Any]:
    history, target, current = item.history, item.target, item.current_target
    weight, current_weight = item.weight, item.current_weight
    data: dict[str, Any] = {  # _value and format_decimal inlined: this runs for every row written
        "level1": item.level1,
        "level2": item.level2,
        "name": item.name,
        "operator": item.operator,
        "history": None if history is None else history.text,
        "target": None if target is None else target.text,
        "current_target": None if current is None else current.text,
        "unit_of_measure": item.unit_of_measure,
        "weight": None if weight is None else format(weight, "f"),
        "current_weight": None if current_weight is None else format(current_weight, "f"),
        "direction": item.direction,
    }
    if item.ambiguous:  # what the reader guessed; absent when nothing was
        data["ambiguous"] = list(item.ambiguous)
    return data


def table_to_dict(table: TargetTable, *, with_source: bool = True) -> dict[str, Any]:
    """One table as a JSON-ready dict (key order is part of the format, for readable diffs)."""
    project, funding = table.project, table.funding
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "unit": _coded(table.unit),
        "project_code": project.code_text if project else None,
        "project_name": project.name if project else None,
        "project_suffix": project.suffix if project else None,
        "function": _coded(table.function),
        "department": _coded(table.department),
        "contact_person": table.contact_person,
        "contact_phone": table.contact_phone,
        "total_wan": format_decimal(table.total_wan),
        "execution_weight": format_decimal(table.execution_weight),
        "funding": {
            "fiscal": format_decimal(funding.fiscal),
            "special_account": format_decimal(funding.special_account),
            "unit_own": format_decimal(funding.unit_own),
            "social": format_decimal(funding.social),
            "bank_loan": format_decimal(funding.bank_loan),
        },
        "annual_goal": table.annual_goal,
        "indicators": list(map(indicator_to_dict, table.indicators)),
    }
    if table.ambiguous:
        data["ambiguous"] = list(table.ambiguous)
    if with_source and table.source is not None:
        data["source"] = {"file": table.source.file, "line": table.source.line}
    return data


def _decimal(text: str | None) -> Decimal | None:
    # Validation already guaranteed a number pattern; parse_decimal keeps precision.
    return parse_decimal(text)


def _coded_from(data: dict[str, Any] | None) -> CodedName | None:
    if data is None:
        return None
    return CodedName(data.get("code"), data.get("name"))


def indicator_from_dict(data: dict[str, Any], line: int | None = None) -> Indicator:
    return Indicator(
        level1=data.get("level1"),
        level2=data.get("level2"),
        name=data.get("name"),
        operator=data.get("operator"),
        history=Value.of(data.get("history")),
        target=Value.of(data.get("target")),
        current_target=Value.of(data.get("current_target")),
        unit_of_measure=data.get("unit_of_measure"),
        weight=_decimal(data.get("weight")),
        current_weight=_decimal(data.get("current_weight")),
        direction=data.get("direction"),
        line=line,
        ambiguous=tuple(data.get("ambiguous") or ()),
    )


def table_from_dict(data: dict[str, Any], default_source: SourceRef | None = None) -> TargetTable:
    """Build a table from a dict that already passed :func:`validate` (no checks here)."""
    code, name, suffix = data.get("project_code"), data.get("project_name"), data.get("project_suffix")
    project = None
    if code or name or suffix:
        project = ProjectRef(ProjectCode(code) if code else None, name, suffix)
    funding = data.get("funding") or {}
    source_data = data.get("source")
    source = (SourceRef(source_data["file"], source_data.get("line"))
              if source_data else default_source)
    return TargetTable(
        unit=_coded_from(data.get("unit")),
        project=project,
        function=_coded_from(data.get("function")),
        department=_coded_from(data.get("department")),
        contact_person=data.get("contact_person"),
        contact_phone=data.get("contact_phone"),
        total_wan=_decimal(data.get("total_wan")),
        execution_weight=_decimal(data.get("execution_weight")),
        funding=Funding(**{key: _decimal(funding.get(key)) for key in _FUNDING_KEYS}),
        annual_goal=data.get("annual_goal"),
        indicators=tuple(indicator_from_dict(item) for item in data.get("indicators", [])),
        source=source,
        ambiguous=tuple(data.get("ambiguous") or ()),
    )


# msgspec writes the same text as ``json.dumps(…, ensure_ascii=False, indent=2)`` (the same escapes,
# separators and key order), many times faster; tests/test_json_format.py holds it to that.
_ENCODER = msgspec.json.Encoder()


def _pretty(data: object) -> str:
    return msgspec.json.format(_ENCODER.encode(data), indent=2).decode("utf-8")


def dumps_table(table: TargetTable, *, with_source: bool = True) -> str:
    """One table as indented JSON text (no final newline)."""
    return _pretty(table_to_dict(table, with_source=with_source))


def dumps_tables(tables: list[TargetTable], *, with_source: bool = True) -> str:
    return _pretty([table_to_dict(t, with_source=with_source) for t in tables])


# -- typed reading -------------------------------------------------------------------------------
# The schema as msgspec types, for reading a valid document in one pass without building dicts. They
# accept no more than the schema (tests/test_json_format.py checks that), and may accept less (1.0
# for the version, a float line): a document they refuse is read again the slow way, through
# json + jsonschema, which accepts what the schema accepts and explains each error in Chinese.
_Number = Annotated[str, msgspec.Meta(pattern=r"^-?[0-9]+(\.[0-9]+)?(?![\s\S])")]


class _CodedDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    code: str | None
    name: str | None


class _FundingDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    fiscal: _Number | None = None
    special_account: _Number | None = None
    unit_own: _Number | None = None
    social: _Number | None = None
    bank_loan: _Number | None = None


class _IndicatorDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    level1: str | None
    level2: str | None
    name: str | None
    operator: str | None = None
    history: str | None = None
    target: str | None = None
    current_target: str | None = None
    unit_of_measure: str | None = None
    weight: _Number | None = None
    current_weight: _Number | None = None
    direction: str | None = None
    ambiguous: tuple[str, ...] = ()


class _SourceDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    file: str
    line: Annotated[int, msgspec.Meta(ge=1)] | None = None


class _TableDoc(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    format_version: Literal[1]
    project_code: str | None
    project_name: str | None
    total_wan: _Number | None
    indicators: list[_IndicatorDoc]
    unit: _CodedDoc | None = None
    project_suffix: str | None = None
    function: _CodedDoc | None = None
    department: _CodedDoc | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    execution_weight: _Number | None = None
    funding: _FundingDoc = msgspec.field(default_factory=_FundingDoc)
    annual_goal: str | None = None
    kind: Literal["target"] | msgspec.UnsetType = msgspec.UNSET  # absent means target, never null
    ambiguous: tuple[str, ...] = ()
    # Absent or an object, never null: the schema (the published contract) has no null here.
    source: _SourceDoc | msgspec.UnsetType = msgspec.UNSET


_DECODER = msgspec.json.Decoder(list[_TableDoc] | _TableDoc)


def decode_valid(text: str) -> list[_TableDoc] | None:
    """The tables of a document in format v1, or ``None`` when it is not plainly valid (ask jsonschema why)."""
    try:
        document = _DECODER.decode(text)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError, ValueError):
        return None
    return document if isinstance(document, list) else [document]


def _coded_doc(value: _CodedDoc | None) -> CodedName | None:
    return None if value is None else CodedName(value.code, value.name)


def table_from_doc(doc: _TableDoc, default_source: SourceRef | None = None) -> TargetTable:
    """:func:`table_from_dict` for a decoded document (the same table, field by field)."""
    code, name, suffix = doc.project_code, doc.project_name, doc.project_suffix
    project = None
    if code or name or suffix:
        project = ProjectRef(ProjectCode(code) if code else None, name, suffix)
    funding = doc.funding
    given = doc.source
    source = SourceRef(given.file, given.line) if isinstance(given, _SourceDoc) else default_source
    return TargetTable(
        unit=_coded_doc(doc.unit),
        project=project,
        function=_coded_doc(doc.function),
        department=_coded_doc(doc.department),
        contact_person=doc.contact_person,
        contact_phone=doc.contact_phone,
        total_wan=_decimal(doc.total_wan),
        execution_weight=_decimal(doc.execution_weight),
        funding=Funding(_decimal(funding.fiscal), _decimal(funding.special_account), _decimal(funding.unit_own),
                        _decimal(funding.social), _decimal(funding.bank_loan)),
        annual_goal=doc.annual_goal,
        indicators=tuple(
            Indicator(item.level1, item.level2, item.name, item.operator, Value.of(item.history),
                      Value.of(item.target), Value.of(item.current_target), item.unit_of_measure,
                      _decimal(item.weight), _decimal(item.current_weight), item.direction, None, item.ambiguous)
            for item in doc.indicators),
        source=source,
        ambiguous=doc.ambiguous,
    )
