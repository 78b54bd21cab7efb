"""JSON format v1, kind ``self_evaluation``: the schema, typed and schema paths, mixed arrays, Chinese errors."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jixiao.domain import (
    AnyTable,
    CodedName,
    Diagnostic,
    EvaluatedIndicator,
    FundingRow,
    ProjectCode,
    ProjectRef,
    SelfEvaluationTable,
    Severity,
    TargetTable,
    Value,
)
from jixiao.domain.selfeval_labels import selfeval_path_label
from jixiao.io.json_any import dumps_any, json_array_encoder
from jixiao.io.json_format import decode_valid, schema, table_to_dict
from jixiao.io.readers.json_reader import schema_problems
from jixiao.io.reading import read_bytes, read_path
from jixiao.io.selfeval_doc import decode_valid_selfeval, selfeval_from_doc, selfeval_schema
from jixiao.io.selfeval_json import selfeval_from_dict, selfeval_to_dict
from tests.strategies import selfeval_tables
from tests.test_json_format import SEED

TARGET = Draft202012Validator(schema())
SELFEVAL = Draft202012Validator(selfeval_schema())


def _seed() -> list[TargetTable]:
    return [r.table for r in read_path(SEED) if isinstance(r.table, TargetTable)]


def sample() -> SelfEvaluationTable:
    """A filled-in form with a 其中 sub-row and a block weight in the 一级 cell."""
    return SelfEvaluationTable(
        project=ProjectRef(ProjectCode("50011522T000000157087"), "免费复印", "（一般性）"),
        department=CodedName("145", "重庆市长寿区政务服务管理办公室"),
        implementing_unit=CodedName("145001", "重庆市长寿区政务服务管理办公室（本级）"),
        contact_person="张三", contact_phone="023-40000000", year=2022,
        budget=FundingRow("total", "年度资金总额", Decimal("15.00"), Decimal("15.00"), Decimal("14.70"),
                          Decimal("10"), Decimal("98.00"), Decimal("9.80")),
        funding_rows=(FundingRow("fiscal", "本年财政拨款", Decimal("15.00"), Decimal("15.00"), Decimal("14.70")),
                      FundingRow("carryover", "上年结转资金"), FundingRow("other", "其他资金")),
        goal_expected="为群众免费复印材料。", goal_actual="全年免费复印 72 万张。",
        indicators=(
            EvaluatedIndicator("产出指标", "数量指标", "纸张使用量", "≥", Value("720000"), "张", Decimal("20"),
                               Value("720000"), Decimal("20"), None, None, Decimal("50")),
            EvaluatedIndicator("产出指标", "数量指标", "A4纸张", "≥", Value("600000"), "张", None,
                               Value("610000"), None, None, "纸张使用量"),
            EvaluatedIndicator("满意度指标", "服务对象满意度指标", "群众满意度", "≥", Value("95"), "%",
                               Decimal("10"), Value("93"), Decimal("9.5"), "个别窗口等候时间偏长，下年增设窗口"),
        ),
        published_total_score=Decimal("39.3"), published_grade="优", evaluator="李四", evaluated_on="2023-02-15",
    )


def _read(document: Any, source: str = "表.json") -> tuple[list[AnyTable], list[Diagnostic]]:
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    results = list(read_bytes(data, source))
    return [r.table for r in results if r.table is not None], [d for r in results for d in r.diagnostics]


def test_a_self_evaluation_document_validates_and_reads_back_equal() -> None:
    table = sample()
    data = selfeval_to_dict(table, with_source=False)
    SELFEVAL.validate(data)
    assert not TARGET.is_valid(data)  # the target schema refuses the other kind
    tables, diagnostics = _read(data)
    assert diagnostics == [] and tables == [table]
    (read,) = tables
    assert isinstance(read, SelfEvaluationTable) and read.indicators[1].parent == "纸张使用量"
    assert read.indicators[0].level1_weight == Decimal("50") and str(read.source) == "表.json"


def test_target_documents_without_kind_or_with_kind_target_stay_target_tables() -> None:
    seed = _seed()
    plain = [table_to_dict(t) for t in seed]
    assert all("kind" not in item for item in plain)  # what is written for target tables is unchanged
    marked = [{**item, "kind": "target"} for item in plain]
    for item in plain + marked:
        TARGET.validate(item)
    assert decode_valid(json.dumps(marked, ensure_ascii=False)) is not None  # the fast path takes kind too
    for document in (plain, marked):
        tables, diagnostics = _read(document)
        assert diagnostics == [] and tables == seed
        assert all(isinstance(t, TargetTable) for t in tables)


def test_a_mixed_array_keeps_order_and_kind() -> None:
    seed = _seed()[:3]
    evaluation = sample()
    document = [table_to_dict(seed[0]), selfeval_to_dict(evaluation), table_to_dict(seed[1]),
                selfeval_to_dict(evaluation), table_to_dict(seed[2])]
    tables, diagnostics = _read(document)
    assert diagnostics == []
    assert tables == [seed[0], evaluation, seed[1], evaluation, seed[2]]
    assert [t.kind for t in tables] == ["target", "self_evaluation", "target", "self_evaluation", "target"]


def test_the_mixed_encoder_writes_what_reads_back() -> None:
    seed = _seed()[:2]
    tables: list[AnyTable] = [sample(), seed[0], seed[1], sample()]
    buffer = bytearray(b"[\n")
    append = json_array_encoder(buffer)
    for table in tables:
        append(table)
    buffer += b"\n]\n"
    read = [r.table for r in read_bytes(bytes(buffer), "混合.json")]
    assert read == tables
    assert [r.source for r in read if r is not None][1:3] == [t.source for t in seed]  # provenance travels
    again = [r.table for r in read_bytes(dumps_any(tables).encode("utf-8"), "混合.json")]
    assert again == tables


@settings(max_examples=60, deadline=None)
@given(selfeval_tables())
def test_generated_tables_read_the_same_both_ways(table: SelfEvaluationTable) -> None:
    data = selfeval_to_dict(table)
    SELFEVAL.validate(data)
    docs = decode_valid_selfeval(json.dumps([data], ensure_ascii=False))
    assert docs is not None
    typed, plain = selfeval_from_doc(docs[0]), selfeval_from_dict(data)
    assert typed == plain == table and typed.source == plain.source == table.source


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


ODD_VALUES = [None, True, 0, 1.0, 2022.0, -1, "", "15.00", "１５", "1e3", "15\n", "x", "form", "score_sheet",
              "total", "target", [], {}, {"key": None}, {"code": None, "name": None}, {"file": "a", "line": 0}]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_what_the_typed_reader_accepts_the_schema_accepts(data: st.DataObject) -> None:
    document: Any = selfeval_to_dict(sample())
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        value = data.draw(st.sampled_from(ODD_VALUES))
        document = copy.deepcopy(document)
        if not path:
            document = value
            break
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()):
            parent[path[-1]] = value
        elif isinstance(parent, dict):
            del parent[path[-1]]
    accepted = decode_valid_selfeval(json.dumps(document, ensure_ascii=False))
    if accepted is not None:
        items = document if isinstance(document, list) else [document]
        assert all(SELFEVAL.is_valid(item) for item in items), document
        assert [selfeval_from_doc(d) for d in accepted] == [selfeval_from_dict(i) for i in items]


def _broken(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = selfeval_to_dict(sample(), with_source=False)
    inner: Any = data
    for part in path[:-1]:
        inner = inner[part]
    inner[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "column", "words"),
    [
        pytest.param(("budget", "spent_wan"), "十四", "budget.spent_wan",
                     ["「年度资金总额·全年执行数」", "数字", "十四"], id="spent-not-a-number"),
        pytest.param(("funding_rows", 1, "initial_wan"), 3, "funding_rows[1].initial_wan",
                     ["资金来源第 2 行「年初预算数」", "应为字符串或null"], id="row-money-as-number"),
        pytest.param(("funding_rows", 0, "key"), "财政", "funding_rows[0].key",
                     ["资金来源第 1 行「资金行」", "\"fiscal\"", "财政"], id="row-key-unknown"),
        pytest.param(("indicators", 2, "actual"), 93, "indicators[2].actual",
                     ["指标 3「实际完成值」", "应为字符串或null"], id="actual-as-number"),
        pytest.param(("indicators", 0, "level1_weight"), "50分", "indicators[0].level1_weight",
                     ["指标 1「一级指标分值」", "数字"], id="block-weight-with-unit"),
        pytest.param(("published_total_score",), "九十", "published_total_score", ["「总分」", "数字"],
                     id="total-in-words"),
        pytest.param(("variant",), "sheet", "variant", ["「表样」", "\"score_sheet\""], id="unknown-variant"),
        pytest.param(("year",), 22, "year", ["「年度」", "不小于 1000"], id="two-digit-year"),
        pytest.param(("totl_score",), "1", None, ["未定义的键", "totl_score"], id="unknown-key"),
    ],
)
def test_schema_errors_name_the_field_in_chinese(path: tuple[str | int, ...], value: Any, column: str | None,
                                                 words: list[str]) -> None:
    document = _broken(path, value)
    target = table_to_dict(_seed()[0], with_source=False)
    tables, diagnostics = _read([target, document])
    assert tables == _seed()[:1]  # the good table beside it is still read
    (error,) = diagnostics
    assert error.code == "schema-error" and error.severity is Severity.ERROR
    assert error.message.startswith("第2张表未读入：")
    assert error.column == ("[1]" if column is None else f"[1].{column}")
    for word in words:
        assert word in error.message, error.message
    assert "budget." not in error.message and "indicators[" not in error.message  # the label, not the path


def test_a_missing_key_is_named_in_chinese() -> None:
    document = selfeval_to_dict(sample(), with_source=False)
    del document["indicators"]
    del document["budget"]["key"]
    problems = dict(schema_problems(document))
    assert problems["（根）"] == "本表缺少必填项「绩效指标」"
    assert problems["budget"] == "「年度资金总额」缺少必填项「资金行」"


def test_an_unknown_kind_is_explained() -> None:
    document = {**selfeval_to_dict(sample(), with_source=False), "kind": "selfeval"}
    _, (error, *_rest) = _read(document)
    assert error.column == "kind"
    assert "「表的种类」应为 \"target\"" in error.message and "\"self_evaluation\"" in error.message
    assert "\"selfeval\"" in error.message


def test_a_float_year_is_read_as_the_schema_allows_it() -> None:
    document = {**selfeval_to_dict(sample(), with_source=False), "year": 2022.0}
    assert SELFEVAL.is_valid(document) and decode_valid_selfeval(json.dumps(document)) is None
    (table,), diagnostics = _read(document)
    assert diagnostics == [] and isinstance(table, SelfEvaluationTable) and table.year == 2022
    assert type(table.year) is int


def test_path_labels_of_the_self_evaluation_kind() -> None:
    assert selfeval_path_label("indicators[0].deviation_reason") == "指标 1「偏差原因分析及改进措施」"
    assert selfeval_path_label("budget.execution_rate") == "「年度资金总额·执行率」"
    assert selfeval_path_label("implementing_unit.code") == "「实施单位编码」"
    assert selfeval_path_label("（根）") == "本表"


def test_the_schemas_document_every_key() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "json-format.md").read_text("utf-8")
    properties = selfeval_schema()["properties"]
    keys = set(properties) | set(properties["indicators"]["items"]["properties"])
    keys |= set(properties["funding_rows"]["items"]["properties"])
    missing = sorted(key for key in keys if f"`{key}`" not in text)
    assert missing == []
    assert "self-evaluation-table-v1.json" in text


def test_code_for_target_tables_only_skips_a_self_evaluation_table_with_a_warning(tmp_path: Path) -> None:
    from jixiao.services.tables import read_any_tables, read_tables

    seed = _seed()[:2]
    path = tmp_path / "混合.json"
    path.write_text(dumps_any([seed[0], sample(), seed[1]]), "utf-8")
    diagnostics: list[Diagnostic] = []
    assert read_tables([path], diagnostics=diagnostics) == seed
    (warning,) = diagnostics
    assert (warning.code, warning.severity, warning.file) == ("unsupported-kind", Severity.WARNING, str(path))
    assert warning.message == ("这是一张绩效自评表（50011522T000000157087-免费复印（一般性）），"
                               "此处只处理绩效目标表，该表未处理")
    assert read_any_tables([path]) == [seed[0], sample(), seed[1]]


def test_parse_writes_a_mixed_array_as_json(tmp_path: Path) -> None:
    from tests.test_cli import run

    seed = _seed()[:1]
    path = tmp_path / "混合.json"
    path.write_text(dumps_any([sample(), seed[0]]), "utf-8")
    out = tmp_path / "out.json"
    result = run("parse", str(path), "-f", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert [r.table for r in read_path(out)] == [sample(), seed[0]]
