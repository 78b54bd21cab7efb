"""Writing the JSON interchange format fast: Structs in the layout of ``json_format.table_to_dict``.

``jixiao parse --format json`` encodes every table it reads, so this is on the benchmarked path: the
table becomes msgspec Structs with the same keys in the same order as the dict (so the same bytes),
which build and encode faster than dicts, with the per-row work inlined. tests/test_json_format.py holds
the bytes to ``json.dumps(table_to_dict(table), ensure_ascii=False, indent=2)``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import msgspec

from jixiao.domain import TargetTable

FORMAT_VERSION = 1
_ENCODER = msgspec.json.Encoder()
UNSET = msgspec.UNSET


def plain_decimal(value: Decimal) -> str:
    """``format(value, "f")`` (no exponent, as stored), four times faster where ``str`` writes the same.

    ``str`` uses an exponent only when the exponent is positive or the number tiny (``1E+2``,
    ``1E-7``); otherwise both write the same digits.
    """
    text = str(value)
    return text if "E" not in text and "e" not in text else format(value, "f")


class _CodedOut(msgspec.Struct, gc=False):
    code: str | None
    name: str | None


class _FundingOut(msgspec.Struct, gc=False):
    fiscal: str | None
    special_account: str | None
    unit_own: str | None
    social: str | None
    bank_loan: str | None


class _IndicatorOut(msgspec.Struct, gc=False):
    level1: str | None
    level2: str | None
    name: str | None
    operator: str | None
    history: str | None
    target: str | None
    current_target: str | None
    unit_of_measure: str | None
    weight: str | None
    current_weight: str | None
    direction: str | None
    ambiguous: tuple[str, ...] | msgspec.UnsetType  # UNSET (not written) when nothing was guessed


class _TableOut(msgspec.Struct, gc=False):
    format_version: int
    unit: _CodedOut | None
    project_code: str | None
    project_name: str | None
    project_suffix: str | None
    function: _CodedOut | None
    department: _CodedOut | None
    contact_person: str | None
    contact_phone: str | None
    total_wan: str | None
    execution_weight: str | None
    funding: _FundingOut
    annual_goal: str | None
    indicators: list[_IndicatorOut]
    ambiguous: tuple[str, ...] | msgspec.UnsetType


class _SourceOut(msgspec.Struct, gc=False):
    file: str
    line: int | None


class _TableOutWithSource(_TableOut, gc=False):
    source: _SourceOut


def table_out(table: TargetTable, with_source: bool) -> _TableOut:
    """``table_to_dict`` as Structs, with every conversion written out: a function call per row or per
    cell would cost more than the rest of the work (the rows are one comprehension)."""
    indicators = [
        _IndicatorOut(
            item.level1, item.level2, item.name, item.operator,
            None if (history := item.history) is None else history.text,
            None if (target := item.target) is None else target.text,
            None if (current := item.current_target) is None else current.text,
            item.unit_of_measure,
            None if (weight := item.weight) is None else (
                text if "E" not in (text := str(weight)) and "e" not in text else format(weight, "f")),
            None if (weight := item.current_weight) is None else (
                text if "E" not in (text := str(weight)) and "e" not in text else format(weight, "f")),
            item.direction, item.ambiguous or UNSET,
        )
        for item in table.indicators
    ]
    project, funding, plain = table.project, table.funding, plain_decimal
    unit, function, department = table.unit, table.function, table.department
    fields = (
        FORMAT_VERSION,
        None if unit is None else _CodedOut(unit.code, unit.name),
        None if project is None or (code := project.code) is None else code.raw,
        None if project is None else project.name,
        None if project is None else project.suffix,
        None if function is None else _CodedOut(function.code, function.name),
        None if department is None else _CodedOut(department.code, department.name),
        table.contact_person, table.contact_phone,
        None if (total := table.total_wan) is None else plain(total),
        None if (execution := table.execution_weight) is None else plain(execution),
        _FundingOut(None if (amount := funding.fiscal) is None else plain(amount),
                    None if (amount := funding.special_account) is None else plain(amount),
                    None if (amount := funding.unit_own) is None else plain(amount),
                    None if (amount := funding.social) is None else plain(amount),
                    None if (amount := funding.bank_loan) is None else plain(amount)),
        table.annual_goal, indicators, table.ambiguous or UNSET,
    )
    source = table.source
    if with_source and source is not None:
        return _TableOutWithSource(*fields, _SourceOut(source.file, source.line))
    return _TableOut(*fields)


def encode_table(table: TargetTable, *, with_source: bool = True) -> bytes:
    """``json_format.dumps_table`` as UTF-8 bytes (what a file gets; no decoding on the way)."""
    return msgspec.json.format(_ENCODER.encode(table_out(table, with_source)), indent=2)


def json_array_encoder(buffer: bytearray, *, first: bool = True) -> Callable[[TargetTable], None]:
    """A function appending each table it is given to ``buffer`` as the next item of a JSON array.

    The items are the bytes of :func:`encode_table` separated by ``,\\n`` (``jixiao parse --format json``
    writes ``[\\n``, the items, ``\\n]\\n``); one scratch buffer serves every table.
    """
    encode_into, format_json, scratch = _ENCODER.encode_into, msgspec.json.format, bytearray()
    extend, first = buffer.extend, True

    def append(table: TargetTable) -> None:
        nonlocal first
        if first:
            first = False
        else:
            extend(b",\n")
        encode_into(table_out(table, True), scratch)
        extend(format_json(scratch, indent=2))

    return append
