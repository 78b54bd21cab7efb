"""JSON interchange format v1: the seed round-trips; bad documents are refused in Chinese, by path."""

from __future__ import annotations

import json
import re
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from jixiao.domain import (
    CodedName,
    Diagnostic,
    Funding,
    Indicator,
    ProjectCode,
    ProjectRef,
    Severity,
    SourceRef,
    TargetTable,
    Value,
)
from jixiao.io.json_format import dumps_tables, schema, table_from_dict, table_to_dict
from jixiao.io.reading import read_bytes, read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
SOURCE = "表.json"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _seed() -> list[TargetTable]:
    results = list(read_path(SEED))
    assert [d for r in results for d in r.diagnostics] == []
    return [r.table for r in results if r.table is not None]


def _read(document: Any) -> tuple[list[TargetTable], list[Diagnostic]]:
    data = document if isinstance(document, bytes) else json.dumps(
        document, ensure_ascii=False, indent=2).encode("utf-8")
    results = list(read_bytes(data, SOURCE))
    diagnostics = [d for r in results for d in r.diagnostics]
    for diagnostic in diagnostics:
        assert _CJK.search(diagnostic.message), diagnostic
        assert diagnostic.file == SOURCE and diagnostic.render().startswith(SOURCE)
        assert diagnostic.severity is Severity.ERROR
    return [r.table for r in results if r.table is not None], diagnostics


def _first_table() -> dict[str, Any]:
    return table_to_dict(_seed()[0], with_source=False)


# -- round trips ---------------------------------------------------------------------------
def test_seed_to_json_and_back_is_equal() -> None:
    seed = _seed()
    tables, diagnostics = _read(dumps_tables(seed).encode("utf-8"))
    assert diagnostics == []
    assert tables == seed
    assert [t.source for t in tables] == [t.source for t in seed]  # provenance travels along


def test_seed_dicts_validate_and_rebuild_identically() -> None:
    validator = Draft202012Validator(schema())
    for table in _seed():
        data = table_to_dict(table)
        validator.validate(data)
        again = json.loads(json.dumps(data, ensure_ascii=False))
        rebuilt = table_from_dict(again)
        assert rebuilt == table
        assert table_to_dict(rebuilt) == data


def test_one_table_object_is_a_document_too() -> None:
    tables, diagnostics = _read(_first_table())
    assert diagnostics == []
    assert tables == _seed()[:1]


def test_json_with_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + dumps_tables(_seed()[:2]).encode("utf-8")
    tables, diagnostics = _read(data)
    assert diagnostics == []
    assert tables == _seed()[:2]


# -- documents that break the schema ----------------------------------------------------------
def _set(path: tuple[str | int, ...], value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(key: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        del data[key]
    return change


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        pytest.param(_set(("indicators", 0, "weight"), 20), "indicators[0].weight",
                     ["指标 1「权重」", "应为字符串"], id="weight-as-number"),
        pytest.param(_set(("total_wan",), "15,00"), "total_wan", ["「项目总额」", "数字", "15,00"],
                     id="decimal-comma"),
        pytest.param(_set(("total_wan",), 15.0), "total_wan", ["「项目总额」", "应为字符串"], id="money-as-float"),
        pytest.param(_set(("funding", "fiscal"), "１５.００"), "funding.fiscal", ["「财政资金」", "数字"],
                     id="full-width-digits"),
        pytest.param(_set(("execution_weight",), "10\n"), "execution_weight", ["「预算执行率权重」", "数字"],
                     id="number-with-newline"),
        pytest.param(_set(("format_version",), 2), "format_version", ["「格式版本」", "第1版"],
                     id="format-version-2"),
        pytest.param(_set(("indicators", 2, "name"), ["群众", "满意度"]), "indicators[2].name",
                     ["指标 3「三级指标」"], id="name-as-array"),
        pytest.param(_delete("indicators"), None, ["缺少必填项", "「绩效指标」"], id="missing-key"),
        pytest.param(_set(("totl_wan",), "15.00"), None, ["未定义的键", "totl_wan"], id="unknown-key"),
    ],
)
def test_schema_errors_name_the_field_in_chinese(change: Any, column: str | None, words: list[str]) -> None:
    document = _first_table()
    change(document)
    for wrapped, prefix in ((document, ""), ([_first_table(), document], "[1]")):
        tables, diagnostics = _read(wrapped)
        assert tables == ([] if prefix == "" else _seed()[:1])  # good tables are still read
        (error,) = diagnostics
        assert error.code == "schema-error"
        assert error.column is not None and error.column.startswith(prefix)
        if column is not None:
            assert error.column == (f"{prefix}.{column}" if prefix else column)
        for word in words:
            assert word in error.message
        assert "indicators[" not in error.message and "total_wan" not in error.message  # the label, not the path
        assert error.message.startswith(f"第{2 if prefix else 1}张表未读入")


def test_weight_as_a_number_is_refused_with_its_path() -> None:
    document = _first_table()
    document["indicators"][0]["weight"] = 20
    tables, (error,) = _read([document])
    assert tables == []
    assert (error.code, error.column) == ("schema-error", "[0].indicators[0].weight")
    assert error.message == "第1张表未读入：指标 1「权重」应为字符串或null，实际为 20"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        pytest.param(_set(("totl_wan",), "15.00"), "totl_wan", id="unknown-key"),
        pytest.param(_set(("source",), {"file": "a.txt", "line": 0}), "source.line", id="line-below-minimum"),
    ],
)
def test_schema_error_messages_are_not_left_in_english(change: Any, key: str) -> None:
    """The explanation itself is Chinese; only keys, paths and JSON values stay as written."""
    document = _first_table()
    change(document)
    _, (error,) = _read([document])
    prose = error.message.replace(key, "")
    assert re.search(r"[A-Za-z]{3,}(?:\s+[A-Za-z]+)+", prose) is None, error.message


# -- documents that are not JSON ---------------------------------------------------------------
def test_malformed_json_is_bad_json_with_its_line() -> None:
    data = b'[\n  {\n    "format_version": 1,\n  }\n]\n'
    tables, (error,) = _read(data)
    assert tables == []
    assert (error.code, error.line) == ("bad-json", 4)
    assert "第4行" in error.message and "第4行" in error.render()


def test_truncated_json_is_bad_json() -> None:
    text = dumps_tables(_seed()[:1])
    tables, (error,) = _read(text[: len(text) // 2].encode("utf-8"))
    assert tables == [] and error.code == "bad-json" and error.line is not None


def test_empty_array_has_no_table() -> None:
    tables, (error,) = _read(b"[]")
    assert tables == [] and error.code == "no-table"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"[" * 100_000, id="deeply-nested-array"),
        pytest.param(b'{"format_version": 1, "total_wan": ' + b"1" * 5000 + b"}", id="5000-digit-number"),
    ],
)
def test_pathological_json_is_reported_not_raised(data: bytes) -> None:
    tables, diagnostics = _read(data)
    assert tables == []
    assert diagnostics and diagnostics[0].code in {"bad-json", "schema-error"}



def test_encode_table_writes_what_json_dumps_writes_of_table_to_dict() -> None:
    from bench.generate import iter_tables

    from jixiao.io.json_format import encode_table
    from jixiao.io.reading import read_text

    generated = [r.table for r in read_text("\n".join(text for _, text in iter_tables(40, seed=3)) + "\n")]
    tables = [*_seed(), *(t for t in generated if t is not None)]
    assert len(tables) > 40
    for table in tables:
        for with_source in (True, False):
            expected = json.dumps(table_to_dict(table, with_source=with_source), ensure_ascii=False, indent=2)
            assert encode_table(table, with_source=with_source).decode("utf-8") == expected


_AWKWARD = [Decimal(text) for text in ("15.00", "0", "-0", "0.00", "1E+2", "1.5E+3", "0.0000001", "0E-8", "-1E-9",
                                      "123456789012345678901234567890", "0.000001", "NaN", "Infinity", "-Infinity")]


def test_plain_decimal_writes_what_format_f_writes() -> None:
    from jixiao.io.json_out import plain_decimal

    for value in _AWKWARD:
        assert plain_decimal(value) == format(value, "f"), value
    with localcontext() as context:
        context.capitals = 0  # str() then writes "1e+2"
        for value in _AWKWARD:
            assert plain_decimal(value) == format(value, "f"), value


def _awkward_tables() -> list[TargetTable]:
    """Every field blank or set, decimals str() would write with an exponent, text JSON must escape."""
    odd = 'a"b\\c\nd\te\x01f\u2028g\x7f 中文'
    rows = tuple(Indicator(odd, None, f"指标{n}", None, Value(odd), Value("≥95%"), None, "%", weight, weight, None,
                           line=n) for n, weight in enumerate([*_AWKWARD, None]))
    return [
        TargetTable(),
        TargetTable(unit=CodedName("1", odd), project=ProjectRef(None, odd, None), function=CodedName(None, "x"),
                    department=CodedName("2", None), contact_person=odd, contact_phone="", total_wan=Decimal("1E+2"),
                    execution_weight=Decimal("0.0000001"), funding=Funding(Decimal("1E+2"), None, Decimal("0"), None,
                                                                            Decimal("-0.50")),
                    annual_goal=odd, indicators=rows, source=SourceRef(odd, None)),
        TargetTable(project=ProjectRef(ProjectCode("50011522T000000157087"), None, "（一般性）"), indicators=rows[:1],
                    source=SourceRef("表.txt", 7)),
    ]


def test_encode_table_writes_what_json_dumps_writes_of_awkward_tables() -> None:
    from jixiao.io.json_format import encode_table

    for table in _awkward_tables():
        for with_source in (True, False):
            expected = json.dumps(table_to_dict(table, with_source=with_source), ensure_ascii=False, indent=2)
            assert encode_table(table, with_source=with_source).decode("utf-8") == expected


def test_json_array_encoder_appends_the_tables_as_one_array() -> None:
    from jixiao.io.json_format import encode_table, json_array_encoder

    tables = [*_seed(), *_awkward_tables()]
    buffer = bytearray(b"[\n")
    append = json_array_encoder(buffer)
    for table in tables:
        append(table)
    buffer += b"\n]\n"
    assert bytes(buffer) == b"[\n" + b",\n".join(encode_table(table) for table in tables) + b"\n]\n"
    assert json.loads(buffer) == [table_to_dict(table) for table in tables]
