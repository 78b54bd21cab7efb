"""The committed corpus of self-evaluation tables (tests/data/selfeval_tables) and the benchmark's generator.

The corpus is what its script builds from the seed (regenerated here and compared byte for byte); every text
file reads without a diagnostic to the tables of its JSON file; and every table round-trips: text → model →
text and JSON → model equal. The published arithmetic of generated tables holds (an audit must find nothing).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from bench.generate_selfeval import iter_selfeval_tables, policy

from jixiao.domain import AnyTable, Diagnostic, SelfEvaluationTable, Severity
from jixiao.io.json_any import dumps_any
from jixiao.io.reading import read_bytes, read_path
from jixiao.io.selfeval_doc import selfeval_schema
from jixiao.io.writers.selfeval_text import format_selfeval
from tests.data.selfeval_tables import make_corpus

CORPUS = Path(__file__).resolve().parent / "data" / "selfeval_tables"
TEXTS = ("seed_form", "seed_score_sheet", "sheet_layout")


def _read(path: Path) -> tuple[list[AnyTable], list[Diagnostic]]:
    results = list(read_path(path))
    return [r.table for r in results if r.table is not None], [d for r in results for d in r.diagnostics]


def _is_yuan_note(diagnostic: Diagnostic) -> bool:
    """The one note a clean table may give: its funding block is in 元 and was converted to 万元."""
    return diagnostic.code == "amount-in-yuan" and diagnostic.severity is Severity.INFO


def _selfevals(path: Path) -> list[SelfEvaluationTable]:
    tables, diagnostics = _read(path)
    assert [d for d in diagnostics if not _is_yuan_note(d)] == [], diagnostics[:3]
    in_yuan = "项目资金（元）" in path.read_text("utf-8") if path.suffix == ".txt" else False
    assert any(map(_is_yuan_note, diagnostics)) == in_yuan, (path.name, diagnostics[:3])
    assert all(isinstance(table, SelfEvaluationTable) for table in tables)
    return tables  # type: ignore[return-value]


def test_the_committed_corpus_is_what_its_script_builds() -> None:
    built = make_corpus.files()
    assert sorted(built) == sorted(path.name for path in CORPUS.iterdir() if path.suffix in (".txt", ".json"))
    for name, text in built.items():
        assert (CORPUS / name).read_text("utf-8") == text, f"{name} is stale: run make_corpus.py"


@pytest.mark.parametrize("name", TEXTS)
def test_each_text_reads_to_the_tables_of_its_json(name: str) -> None:
    from_text, from_json = _selfevals(CORPUS / f"{name}.txt"), _selfevals(CORPUS / f"{name}.json")
    assert from_text == from_json and len(from_text) in (3, 9)


@pytest.mark.parametrize("name", TEXTS)
def test_text_to_model_to_text_and_json_round_trips(name: str) -> None:
    tables = _selfevals(CORPUS / f"{name}.txt")
    text = "\n".join(map(format_selfeval, tables))
    if name != "sheet_layout":  # the writer's own output comes back byte for byte
        assert text == (CORPUS / f"{name}.txt").read_text("utf-8")
    again = [r.table for r in read_bytes(text.encode("utf-8"), "again.txt")]
    assert again == tables
    document = dumps_any(tables)
    for item in json.loads(document):
        assert item["kind"] == "self_evaluation"
    assert [r.table for r in read_bytes(document.encode("utf-8"), "again.json")] == tables


def test_the_json_files_follow_the_schema() -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(selfeval_schema())
    for name in TEXTS:
        for item in json.loads((CORPUS / f"{name}.json").read_text("utf-8")):
            validator.validate(item)


def test_the_corpus_has_what_real_forms_have() -> None:
    forms = _selfevals(CORPUS / "seed_form.txt")
    sheets = _selfevals(CORPUS / "seed_score_sheet.txt")
    assert {t.variant for t in forms} == {"form"} and {t.variant for t in sheets} == {"score_sheet"}
    rows = [item for table in forms for item in table.indicators]
    assert sum(item.parent is not None for item in rows) >= 4  # 其中 sub-rows
    assert sum(table.indicators[0].level1_weight is not None for table in forms) == 4  # every other table
    assert any(item.score is not None and item.weight is not None and item.score < item.weight for item in rows)
    assert all(item.deviation_reason for item in rows
               if item.score is not None and item.weight is not None and item.score < item.weight)
    sheet_rows = [item for table in sheets for item in table.indicators]
    assert {item.level1 for item in sheet_rows} == {"决策", "过程", "产出", "效益"}
    assert any(item.recheck_score is not None for item in sheet_rows) and all(item.criteria for item in sheet_rows)
    layout = (CORPUS / "sheet_layout.txt").read_text("utf-8")
    assert "| 项目资金（元） |" in layout and "|  |  |  | 其中" in layout and "| 总分 | 100 |" in layout


def test_the_mixed_array_keeps_both_kinds_in_order() -> None:
    tables, diagnostics = _read(CORPUS / "mixed.json")
    assert diagnostics == []
    assert [t.kind for t in tables] == ["target", "self_evaluation"] * 9
    assert tables[1::2] == _selfevals(CORPUS / "seed_form.json")


# -- the published arithmetic holds --------------------------------------------------------------
def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def arithmetic_problems(table: SelfEvaluationTable, *, weights_total: bool) -> list[str]:
    """What an audit would recompute and find different (empty for a valid table)."""
    problems: list[str] = []
    budget = table.budget
    if budget is not None and budget.adjusted_wan and budget.spent_wan is not None:
        rate = (budget.spent_wan / budget.adjusted_wan).quantize(Decimal("0.0001"))  # the printed rate, as scored
        if budget.execution_rate != _cents(rate * 100):
            problems.append(f"执行率 {budget.execution_rate} ≠ {_cents(rate * 100)}")
        if budget.execution_weight is not None and budget.execution_score != _cents(min(rate, Decimal(1))
                                                                                    * budget.execution_weight):
            problems.append(f"执行得分 {budget.execution_score}")
        for column in ("initial_wan", "adjusted_wan", "spent_wan"):
            parts = [getattr(row, column) for row in table.funding_rows if getattr(row, column) is not None]
            if parts and sum(parts) != getattr(budget, column):
                problems.append(f"其中各行之和 ≠ 年度资金总额（{column}）")
    top = [item for item in table.indicators if item.parent is None]
    execution = budget.execution_score if budget is not None and table.variant == "form" else None
    total = sum((item.score for item in top if item.score is not None), execution or Decimal(0))
    if table.published_total_score != total:
        problems.append(f"总分 {table.published_total_score} ≠ {total}")
    if table.published_grade != policy().grade(total):
        problems.append(f"等级 {table.published_grade}")
    for item in top:
        if item.score is not None and item.weight is not None and not 0 <= item.score <= item.weight:
            problems.append(f"{item.name} 得分 {item.score} 超出 0–{item.weight}")
    blocks: dict[str | None, Decimal] = {}
    for item in top:
        blocks[item.level1] = blocks.get(item.level1, Decimal(0)) + (item.weight or Decimal(0))
    for item in table.indicators:
        if item.level1_weight is not None and item.level1_weight != blocks[item.level1]:
            problems.append(f"{item.level1}({item.level1_weight}分) ≠ {blocks[item.level1]}")
    names = set()
    for item in table.indicators:
        if item.parent is not None and item.parent not in names:
            problems.append(f"其中行 {item.name} 的上级 {item.parent} 不在它之前")
        if item.parent is None:
            names.add(item.name)
    weight = sum((item.weight for item in top if item.weight is not None), Decimal(0))
    if weights_total and weight + (budget.execution_weight or 0 if budget and table.variant == "form" else 0) != 100:
        problems.append(f"分值合计 {weight}")
    return problems


def _problems(tables: Iterable[SelfEvaluationTable], weights_total: bool) -> dict[str, list[str]]:
    found = {table.label(): arithmetic_problems(table, weights_total=weights_total) for table in tables}
    return {label: problems for label, problems in found.items() if problems}


def test_the_seed_corpus_publishes_arithmetic_that_holds() -> None:
    for name in TEXTS:
        assert _problems(_selfevals(CORPUS / f"{name}.txt"), weights_total=False) == {}


def test_generated_tables_are_valid_and_read_back_equal() -> None:
    generated = list(iter_selfeval_tables(300, seed=7))
    tables = [table for table, _ in generated]
    assert _problems(tables, weights_total=True) == {}
    text = "\n".join(text for _, text in generated)
    results = list(read_bytes(text.encode("utf-8"), "bench.txt"))
    assert [d for r in results for d in r.diagnostics] == []
    assert [r.table for r in results] == tables
    assert {t.variant for t in tables} == {"form", "score_sheet"}
    assert any(item.parent for t in tables for item in t.indicators)
    assert any(item.level1_weight for t in tables if t.variant == "form" for item in t.indicators)


def test_the_generator_is_deterministic_and_its_prefixes_agree() -> None:
    first = [text for _, text in iter_selfeval_tables(40, seed=11)]
    assert [text for _, text in itertools.islice(iter_selfeval_tables(200, seed=11), 40)] == first
    assert first != [text for _, text in iter_selfeval_tables(40, seed=12)]
