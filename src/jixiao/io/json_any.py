"""JSON format v1 for tables of either kind: one encoder for a stream that may mix target and self-evaluation tables.

Target tables take the fast path of :mod:`jixiao.io.json_out` (the bytes ``jixiao parse`` wrote before
the second kind existed); self-evaluation tables are encoded from :func:`selfeval_to_dict` with the same
indentation, separators and escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from jixiao.domain import AnyTable, SelfEvaluationTable
from jixiao.io.json_format import table_to_dict
from jixiao.io.json_out import table_out
from jixiao.io.selfeval_json import selfeval_to_dict

_ENCODER = msgspec.json.Encoder()


def any_to_dict(table: AnyTable, *, with_source: bool = True) -> dict[str, Any]:
    """The JSON-ready dict of a table of either kind."""
    if isinstance(table, SelfEvaluationTable):
        return selfeval_to_dict(table, with_source=with_source)
    return table_to_dict(table, with_source=with_source)


def encode_selfeval(table: SelfEvaluationTable, *, with_source: bool = True) -> bytes:
    """One self-evaluation table as indented JSON (UTF-8, no final newline)."""
    return msgspec.json.format(_ENCODER.encode(selfeval_to_dict(table, with_source=with_source)), indent=2)


def json_array_encoder(buffer: bytearray) -> Callable[[AnyTable], None]:
    """:func:`jixiao.io.json_out.json_array_encoder` for tables of either kind: target tables give the same
    bytes as there, self-evaluation tables their dict's; items separated by ``,\\n``."""
    encode_into, format_json, scratch = _ENCODER.encode_into, msgspec.json.format, bytearray()
    extend, first = buffer.extend, True

    def append(table: AnyTable) -> None:
        nonlocal first
        if first:
            first = False
        else:
            extend(b",\n")
        if isinstance(table, SelfEvaluationTable):
            extend(encode_selfeval(table))
        else:
            encode_into(table_out(table, True), scratch)
            extend(format_json(scratch, indent=2))

    return append


def dumps_any(tables: Sequence[AnyTable], *, with_source: bool = True) -> str:
    """Tables of either kind as one indented JSON array (no final newline), laid out as ``json_format.dumps_tables``."""
    data = [any_to_dict(table, with_source=with_source) for table in tables]
    return msgspec.json.format(_ENCODER.encode(data), indent=2).decode("utf-8")
