"""JSON format v1 read by msgspec types: the same tables as the dict path, and never more than the schema accepts."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jixiao.io.json_format import decode_valid, schema, table_from_dict, table_from_doc, table_to_dict
from jixiao.io.reading import read_bytes, read_path
from tests.strategies import target_tables
from tests.test_json_format import SEED

VALIDATOR = Draft202012Validator(schema())
# Values a mutation may put anywhere: every JSON type, numbers as text and not, the version's look-alikes.
ODD_VALUES = [None, True, False, 0, 1, 1.0, -1, 2, "", "15.00", "15", "-0.5", "１５", "15.", ".5", "1e3", "15\n",
              " 15", "x", [], {}, [None], {"code": None, "name": None}, {"file": "a"}, {"file": "a", "line": 0},
              {"level1": None, "level2": None, "name": None}]


def _seed_dicts() -> list[dict[str, Any]]:
    return [table_to_dict(r.table) for r in read_path(SEED) if r.table is not None]


def test_typed_reading_builds_the_same_tables_as_the_dicts() -> None:
    data = _seed_dicts()
    docs = decode_valid(json.dumps(data, ensure_ascii=False))
    assert docs is not None and len(docs) == len(data) == 9
    for doc, item in zip(docs, data, strict=True):
        typed, plain = table_from_doc(doc), table_from_dict(item)
        assert typed == plain and typed.source == plain.source and typed.source is not None
        assert [i.line for i in typed.indicators] == [i.line for i in plain.indicators]


def test_a_single_object_and_a_missing_source() -> None:
    item = _seed_dicts()[0]
    del item["source"]
    results = list(read_bytes(json.dumps(item, ensure_ascii=False).encode("utf-8"), "一张.json"))
    assert len(results) == 1 and results[0].diagnostics == ()
    table = results[0].table
    assert table is not None and table == table_from_dict(item) and str(table.source) == "一张.json"


@settings(max_examples=60)
@given(target_tables())
def test_generated_tables_read_the_same_both_ways(table: Any) -> None:
    item = table_to_dict(table)
    docs = decode_valid(json.dumps([item], ensure_ascii=False))
    assert docs is not None
    assert table_from_doc(docs[0]) == table_from_dict(item) == table


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _mutate(document: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> Any:
    document = copy.deepcopy(document)
    if not path:
        return value if action == "set" else document
    parent: Any = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "set":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"{last}_extra"] = value  # a key the format does not define
    return document


@settings(max_examples=400)
@given(st.data())
def test_what_the_typed_reader_accepts_the_schema_accepts(data: st.DataObject) -> None:
    document = _seed_dicts()[data.draw(st.integers(0, 8))]
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(document)
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["set", "delete", "add"]))
        document = _mutate(document, path, action, data.draw(st.sampled_from(ODD_VALUES)))
    accepted = decode_valid(json.dumps(document, ensure_ascii=False))
    if accepted is not None:
        items = document if isinstance(document, list) else [document]
        assert all(VALIDATOR.is_valid(item) for item in items), document
        assert [table_from_doc(d) for d in accepted] == [table_from_dict(i) for i in items]


def test_a_refused_document_is_still_explained_in_chinese_by_path() -> None:
    item = _seed_dicts()[0]
    item["indicators"][1]["weight"] = "十五"
    assert decode_valid(json.dumps(item, ensure_ascii=False)) is None
    (result,) = read_bytes(json.dumps(item, ensure_ascii=False).encode("utf-8"), "表.json")
    assert result.table is None
    assert [(d.code, d.column) for d in result.diagnostics] == [("schema-error", "indicators[1].weight")]
    assert "应为以字符串书写的数字" in result.diagnostics[0].message


def test_look_alikes_the_types_refuse_go_to_the_schema() -> None:
    item = _seed_dicts()[0]
    for field, value, schema_says in (("format_version", True, False), ("format_version", 1.0, True)):
        changed = {**item, field: value}
        assert decode_valid(json.dumps(changed)) is None
        assert VALIDATOR.is_valid(changed) is schema_says
        (result,) = read_bytes(json.dumps(changed, ensure_ascii=False).encode("utf-8"), "表.json")
        assert (result.table is not None) is schema_says  # 1.0 is read (slowly), as before


def test_a_null_source_is_refused_as_the_schema_refuses_it() -> None:
    """Found by the property above: the typed reader took ``"source": null`` that the schema refuses."""
    item = {**_seed_dicts()[0], "source": None}
    assert not VALIDATOR.is_valid(item)
    assert decode_valid(json.dumps(item, ensure_ascii=False)) is None
    (result,) = read_bytes(json.dumps(item, ensure_ascii=False).encode("utf-8"), "表.json")
    assert result.table is None
    assert [(d.code, d.column) for d in result.diagnostics] == [("schema-error", "source")]
