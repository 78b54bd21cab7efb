"""Properties over generated tables: lossless round trips, and no crash or silence on mangled input."""

from __future__ import annotations

import io
import json
from collections import Counter
from functools import cache
from pathlib import Path

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jixiao.domain import Diagnostic, Severity, TargetTable
from jixiao.io.json_format import dumps_tables, schema, table_from_dict, table_to_dict
from jixiao.io.readers.base import ReadResult
from jixiao.io.reading import read_bytes, read_text
from jixiao.io.writers.published_text import format_table, write_tables
from tests.strategies import target_tables

SEED = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def _split(results: list[ReadResult]) -> tuple[list[TargetTable], list[Diagnostic]]:
    return ([r.table for r in results if r.table is not None],
            [d for r in results for d in r.diagnostics])


# -- published text ----------------------------------------------------------------------------
@settings(max_examples=150)
@given(target_tables())
def test_written_table_reads_back_equal_without_diagnostics(table: TargetTable) -> None:
    tables, diagnostics = _split(read_text(format_table(table), "生成.txt"))
    assert diagnostics == []
    assert tables == [table]


@settings(max_examples=40)
@given(st.lists(target_tables(max_indicators=4), min_size=1, max_size=4))
def test_many_written_tables_read_back_in_order(tables: list[TargetTable]) -> None:
    out = io.StringIO()
    assert write_tables(tables, out) == len(tables)
    again, diagnostics = _split(read_text(out.getvalue(), "生成.txt"))
    assert diagnostics == []
    assert again == tables


# -- JSON ------------------------------------------------------------------------------------
@settings(max_examples=150)
@given(target_tables())
def test_json_round_trip_and_schema(table: TargetTable) -> None:
    data = table_to_dict(table)
    _validator().validate(data)
    loaded = json.loads(json.dumps(data, ensure_ascii=False))
    rebuilt = table_from_dict(loaded)
    assert rebuilt == table
    assert rebuilt.source == table.source
    assert table_to_dict(rebuilt) == data  # dict → model → dict is the identity


@settings(max_examples=60)
@given(st.lists(target_tables(max_indicators=3), min_size=1, max_size=3))
def test_json_documents_read_back_equal(tables: list[TargetTable]) -> None:
    again, diagnostics = _split(list(read_bytes(dumps_tables(tables).encode("utf-8"), "生成.json")))
    assert diagnostics == []
    assert again == tables


# -- mangled input -----------------------------------------------------------------------------
def _never_silent(data: bytes) -> None:
    """Reading returns (no exception), and when no table comes back it says why."""
    tables, diagnostics = _split(list(read_bytes(data, "乱码.bin")))
    if not tables:
        assert diagnostics


@settings(max_examples=300)
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise(data: bytes) -> None:
    _never_silent(data)


@cache
def _real_inputs() -> tuple[bytes, bytes]:
    text = SEED.read_text("utf-8")
    first_two = text[: text.index("绩效目标表", text.index("绩效目标表", 10) + 5)]
    tables, _ = _split(read_text(first_two))
    return first_two.encode("utf-8"), dumps_tables(tables).encode("utf-8")


_EDITS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(("drop", "insert", "replace")),
                            st.binary(min_size=1, max_size=4)), min_size=1, max_size=8)


@settings(max_examples=150)
@given(st.sampled_from((0, 1)), _EDITS)
def test_damaged_real_input_never_raises(which: int, edits: list[tuple[float, str, bytes]]) -> None:
    data = bytearray(_real_inputs()[which])  # two seed tables, as text or as JSON
    for where, how, chunk in edits:
        at = int(where * len(data))
        if how == "drop":
            del data[at : at + len(chunk)]
        elif how == "insert":
            data[at:at] = chunk
        else:
            data[at : at + len(chunk)] = chunk
    _never_silent(bytes(data))


@settings(max_examples=150)
@given(target_tables(), st.data())
def test_truncated_table_is_never_read_silently(table: TargetTable, data: st.DataObject) -> None:
    text = format_table(table)
    row_start = text.index("\n", text.index("\n一级指标\t") + 1) + 1
    last_tab = text.rindex("\t", row_start, text.index("\n", row_start))
    cut = data.draw(st.integers(0, last_tab), label="cut")  # text[:cut] lacks that last tab
    _, diagnostics = _split(read_text(text[:cut], "截断.txt"))
    assert diagnostics


def _displaced(lines: list[str], order: list[int]) -> set[int]:
    """Line numbers (1-based, in the shuffled text) of the non-blank lines the shuffle put out of order.

    ``order[p]`` is the original position of the line now at ``p``. A line is displaced when it and
    another non-blank line of different text now stand the other way round: a header field moved
    below the indicator table, or indicator rows that now precede their header, are all displaced;
    blank lines, and lines that only traded places with an identical line, are not.
    """
    kept = [(p, i) for p, i in enumerate(order) if lines[i].strip()]
    out: set[int] = set()
    for a, (p, i) in enumerate(kept):
        for q, j in kept[a + 1:]:
            if i > j and lines[i] != lines[j]:
                out |= {p + 1, q + 1}
    return out


def _reported_or_faithful(table: TargetTable, lines: list[str], order: list[int]) -> None:
    """The reader read exactly the table (indicator order aside), or it warns about a moved line.

    A note of any kind is not enough: it must be a warning or an error (an INFO is not something a
    user is asked to act on) on a line the shuffle displaced, so that a reader which silently drops
    or misplaces moved lines, or reports them too softly, fails here.
    """
    shuffled = [lines[i] for i in order]
    tables, diagnostics = _split(read_text("\n".join(shuffled), "乱序.txt"))
    if len(tables) == 1:
        (again,) = tables
        if (Counter(again.indicators) == Counter(table.indicators)  # indicator order may change
                and msgspec.structs.replace(again, indicators=table.indicators) == table):
            return
    displaced = _displaced(lines, order)
    serious = [d for d in diagnostics if d.severity in (Severity.WARNING, Severity.ERROR)]
    assert any(d.line in displaced for d in serious), (
        f"read {len(tables)} table(s) unlike the original, and no warning or error on a moved line "
        f"{sorted(displaced)}: {[d.render() for d in diagnostics]}")


@settings(max_examples=100)
@given(target_tables(max_paragraphs=1, max_indicators=4), st.data())
def test_shuffled_lines_are_reported_or_read_faithfully(table: TargetTable, data: st.DataObject) -> None:
    lines = format_table(table).split("\n")
    order = data.draw(st.permutations(range(len(lines))), label="order of the lines")
    _reported_or_faithful(table, lines, order)


@settings(max_examples=150)
@given(target_tables(max_paragraphs=1, min_indicators=3, max_indicators=4), st.data())
def test_shuffled_lines_under_the_title_are_reported_or_read_faithfully(
    table: TargetTable, data: st.DataObject
) -> None:
    lines = format_table(table).split("\n")
    order = data.draw(st.permutations(range(1, len(lines))), label="order of the lines after the title")
    _reported_or_faithful(table, lines, [0, *order])
