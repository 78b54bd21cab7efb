"""JSON interchange format, version 1 (see docs/json-format.md and schema/target-table-v1.json).

Keys are the glossary identifiers of domain.md. Money, weights and values are
strings exactly as published ("15.00", "720000"), so no value passes through a float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

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

FORMAT_VERSION = 1
SCHEMA_FILE = "target-table-v1.json"
_FUNDING_KEYS = ("fiscal", "special_account", "unit_own", "social", "bank_loan")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one table, shipped inside the package."""
    text = resources.files("jixiao.io.schema").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _coded(value: CodedName | None) -> dict[str, str | None] | None:
    return None if value is None else {"code": value.code, "name": value.name}


def _value(value: Value | None) -> str | None:
    return None if value is None else value.text


def indicator_to_dict(item: Indicator) -> dict[str, Any]:
    return {
        "level1": item.level1,
        "level2": item.level2,
        "name": item.name,
        "operator": item.operator,
        "history": _value(item.history),
        "target": _value(item.target),
        "current_target": _value(item.current_target),
        "unit_of_measure": item.unit_of_measure,
        "weight": format_decimal(item.weight),
        "current_weight": format_decimal(item.current_weight),
        "direction": item.direction,
    }


def table_to_dict(table: TargetTable, *, with_source: bool = True) -> dict[str, Any]:
    """One table as a JSON-ready dict (key order is part of the format, for readable diffs)."""
    project = table.project
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
        "funding": {key: format_decimal(getattr(table.funding, key)) for key in _FUNDING_KEYS},
        "annual_goal": table.annual_goal,
        "indicators": [indicator_to_dict(item) for item in table.indicators],
    }
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
