"""Real published self-evaluation tables read into SelfEvaluationTable, compared with their hand annotations.

Each file in tests/data/real is a capture of a public page kept byte for byte; expected/NNN.json is its
annotation (indicator rows, budget figures, notes). Every annotated field is compared; a key listed in
an indicator's ``ambiguous`` accepts the annotation's best guess or the reading named in ALTERNATIVES
(the other reading the note describes). The target tables among the captures must not be taken for
self-evaluations.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.domain import Diagnostic, SelfEvaluationTable, TargetTable
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow
from jixiao.io import registry
from jixiao.io.encoding import open_text
from jixiao.io.reading import read_path

REAL = Path(__file__).parent / "data" / "real"
EXPECTED = REAL / "expected"
SELF_EVALUATIONS = {  # file number → the reader that must be chosen by sniffing
    "001": "selfeval-words",
    "003": "selfeval-cell-lines",
    "007": "selfeval-runon",
    "014": "selfeval-pipe",
    "020": "selfeval-runon",
    "023": "selfeval-pipe",
    "036": "selfeval-pipe",
}
TARGET_TABLES = ("006", "012", "013", "029", "034")
INDICATOR_KEYS = ("level1", "level2", "name", "operator", "target", "unit_of_measure", "weight", "actual", "score",
                  "parent")
BUDGET_KEYS = ("initial_wan", "adjusted_wan", "spent_wan", "execution_weight", "execution_rate", "execution_score")
# (file, indicator name) → key → readings other than the annotation's best guess that the note allows.
ALTERNATIVES: dict[tuple[str, str], dict[str, tuple[object, ...]]] = {
    # "26次": the annotation reads ≥6次 (≥ lost to a "2"); the printed reading is 26 with no operator.
    ("007", "党性教育培训次数"): {"operator": (None,), "target": ("26",)},
}


def _path(number: str) -> Path:
    return next(REAL.glob(f"{number}_*.txt"))


def _expected(number: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{number}.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _read(number: str) -> tuple[list[SelfEvaluationTable | TargetTable], list[Diagnostic]]:
    results = list(read_path(_path(number)))
    return [r.table for r in results if r.table is not None], [d for r in results for d in r.diagnostics]


def _figure(text: str | None) -> Decimal | None:
    """An annotated figure as the model holds it: "" is blank, "98.50%" is 98.50."""
    if text is None or text == "":
        return None
    return Decimal(text.rstrip("%"))


def _text(value: object) -> object:
    return getattr(value, "text", value)


def _indicator_field(row: EvaluatedIndicator, key: str) -> object:
    value = getattr(row, key)
    if key in ("weight", "score"):
        return value
    return _text(value)


def _annotated(key: str, value: str | None) -> object:
    if key in ("weight", "score"):
        return _figure(value)
    return value or None


def _compare_indicators(number: str, table: SelfEvaluationTable, expected: list[dict[str, Any]]) -> None:
    read = [(row.name, [(k, _indicator_field(row, k)) for k in INDICATOR_KEYS]) for row in table.indicators]
    assert [row.name for row in table.indicators] == [row["name"] for row in expected], read
    for row, annotation in zip(table.indicators, expected, strict=True):
        ambiguous = set(annotation.get("ambiguous", ()))
        for key in INDICATOR_KEYS:
            got = _indicator_field(row, key)
            want = _annotated(key, annotation.get(key))
            if key in ambiguous:
                allowed = (want, *ALTERNATIVES.get((number, row.name or ""), {}).get(key, ()))
                assert got in allowed, (number, row.name, key, got, allowed)
            else:
                assert got == want, (number, row.name, key, got, want)


def _compare_budget(budget: FundingRow | None, expected: dict[str, str]) -> None:
    assert budget is not None and budget.key == "total"
    for key in BUDGET_KEYS:
        assert getattr(budget, key) == _figure(expected.get(key)), (key, getattr(budget, key), expected.get(key))


@pytest.mark.parametrize("number", sorted(SELF_EVALUATIONS))
def test_a_real_self_evaluation_reads_as_annotated(number: str) -> None:
    expected = _expected(number)
    tables, notes = _read(number)
    assert len(tables) == 1 and isinstance(tables[0], SelfEvaluationTable), tables
    table = tables[0]
    assert table.project_name == expected["project_name"]
    assert table.project_code == expected["project_code"]
    _compare_budget(table.budget, expected["budget"])
    _compare_indicators(number, table, expected["indicators"])
    assert table.published_total_score == _figure(expected["published_total_score"])
    cut = [d for d in notes if d.code == "table-cut-off"]
    assert bool(cut) == (not expected["complete"]), [d.message for d in notes]
    assert all(d.code != "no-selfeval-table" for d in notes)


@pytest.mark.parametrize("number", sorted(SELF_EVALUATIONS))
def test_sniffing_chooses_the_layout_of_each_real_self_evaluation(number: str) -> None:
    with open(_path(number), "rb") as handle:
        lines, _encoding = open_text(handle)
        head = "".join(list(lines)[:80])
    assert registry.choose(b"", head).name == SELF_EVALUATIONS[number]


@pytest.mark.parametrize("number", TARGET_TABLES)
def test_the_real_target_tables_are_not_taken_for_self_evaluations(number: str) -> None:
    with open(_path(number), "rb") as handle:
        lines, _encoding = open_text(handle)
        head = "".join(list(lines)[:80])
    assert not registry.choose(b"", head).name.startswith("selfeval-")
    tables, _notes = _read(number)
    assert not any(isinstance(table, SelfEvaluationTable) for table in tables)


def test_amounts_in_yuan_become_wan_exactly_and_say_so() -> None:
    tables, notes = _read("036")
    table = tables[0]
    assert isinstance(table, SelfEvaluationTable) and table.budget is not None
    assert table.budget.spent_wan == Decimal("38.766462")  # 387664.62 元, exactly
    fiscal = table.funding_row("fiscal")
    assert fiscal is not None and fiscal.adjusted_wan == Decimal("38.766462") and fiscal.label == "当年财政拨款"
    said = [d for d in notes if d.code == "amount-in-yuan"]
    assert said and "387664.62 元 = 38.766462 万元" in said[0].message


def test_the_traditional_table_keeps_its_characters_and_drops_the_pinyin() -> None:
    tables, _notes = _read("014")
    table = tables[0]
    assert isinstance(table, SelfEvaluationTable)
    assert table.department is not None and table.department.name == "麗江市自然資源和規劃局"
    fiscal = table.funding_row("fiscal")  # 其中:當年財政撥款 matched through its simplified form
    assert fiscal is not None and fiscal.label == "當年財政撥款" and fiscal.spent_wan == Decimal("7.29")
    assert all("(" not in (row.name or "") for row in table.indicators)


def test_block_weights_sub_rows_and_both_funding_rows_scored() -> None:
    tables, _notes = _read("023")
    table = tables[0]
    assert isinstance(table, SelfEvaluationTable)
    assert {row.level1_weight for row in table.indicators if row.level1 == "产出指标"} == {Decimal(50)}
    assert {row.level1_weight for row in table.indicators if row.level1 == "效益指标"} == {Decimal(30)}
    fiscal = table.funding_row("fiscal")
    assert fiscal is not None and fiscal.execution_weight == Decimal(10) and fiscal.execution_score == Decimal(10)
    assert table.contact_person == "李宁" and table.contact_phone == "0557-5788003"
    assert table.year == 2023


def test_the_published_total_and_grade_are_read_and_the_weight_total_is_not_a_score() -> None:
    tables, _notes = _read("036")
    assert isinstance(tables[0], SelfEvaluationTable)
    assert (tables[0].published_total_score, tables[0].published_grade) == (Decimal(96), "优")
    tables, _notes = _read("003")  # 合计 100 is the weights' total (10 + 60 + 30): no score was published
    assert isinstance(tables[0], SelfEvaluationTable) and tables[0].published_total_score is None


# -- the audit of the real tables: each DEFECT: note of the annotations is flagged ---------------------------------
# file → (rule code, indicator name or None for a table-level finding) the audit must report for its DEFECT notes.
DEFECTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "001": (("A014", None), ("A013", None)),  # 年度资金总额 0 0 0 beside 本年财政拨款 90/89.974; execution score 0
    "003": (("A017", "发放(缴纳)覆盖率"), ("A017", "足额保障率(参保率)")),  # published without being filled in
    "007": (("A003", "政府采购执行率"),),  # 100 → 72.74%, 2 of 2: no 指标性质 printed, recomputed as 正向
    "014": (("A002", "衛片執法補助經費"), ("A002", "項目驗收合格率"), ("A002", "項目完成及時率"),
            ("A002", "違法行為責停率")),  # every target met exactly, 10 % deducted
    "023": (("A015", None),),  # 分值 and 得分 on both 年度资金总额 and 本年财政拨款
    "036": (("A002", "资金到位及时率"),),  # ≧100%, actual 100%, 7 of 10
}


@pytest.fixture(scope="module")
def audits() -> dict[str, list[tuple[str, str | None]]]:
    from jixiao.profiles import load
    from jixiao.rules.selfeval_audit import audit_self_evaluation

    profile = load("national").rules
    found: dict[str, list[tuple[str, str | None]]] = {}
    for number in SELF_EVALUATIONS:
        table = _read(number)[0][0]
        assert isinstance(table, SelfEvaluationTable)
        review = audit_self_evaluation(table, profile)
        found[number] = [(f.code, f.location.indicator_name) for f in review.findings]
    return found


@pytest.mark.parametrize("number", sorted(DEFECTS))
def test_the_audit_flags_every_defect_the_annotation_notes(number: str,
                                                            audits: dict[str, list[tuple[str, str | None]]]) -> None:
    assert sum(note.startswith("DEFECT:") for note in _expected(number)["notes"]) >= 1
    for code, name in DEFECTS[number]:
        assert any(c == code and (name is None or n == name) for c, n in audits[number]), (code, name, audits[number])


@pytest.mark.parametrize("number", ["001", "007", "023"])
def test_a_cut_off_capture_gets_no_weight_or_total_errors(number: str,
                                                         audits: dict[str, list[tuple[str, str | None]]]) -> None:
    """The capture stops inside the table (table-cut-off): the missing rows explain the weights and the 总分."""
    table = _read(number)[0][0]
    assert isinstance(table, SelfEvaluationTable) and table.cut_off
    assert not {"A007", "A008", "A009", "A010"} & {code for code, _name in audits[number]}, audits[number]


def test_a_bare_target_is_taken_as_upward_and_the_message_says_so(
        audits: dict[str, list[tuple[str, str | None]]]) -> None:
    """007 prints no 指标性质: 政府采购执行率 100 → 72.74% is recomputed as 正向 (2 × 72.74 ÷ 100 = 1.45), said in
    the message; 预算调整率 (3% → 0%) may be 反向, so no direction is guessed for it."""
    from jixiao.profiles import load
    from jixiao.rules.selfeval_audit import audit_self_evaluation

    table = _read("007")[0][0]
    assert isinstance(table, SelfEvaluationTable)
    findings = audit_self_evaluation(table, load("national").rules).findings
    messages = {f.location.indicator_name: f.message for f in findings if f.code == "A003"}
    assert "未标明指标性质，按正向（≥）计" in messages["政府采购执行率"]
    assert "2 × 72.74 ÷ 100 = 1.45" in messages["政府采购执行率"]
    assert not {"预算调整率", "结转结余率"} & set(messages)


def test_the_form_prompt_left_in_place_is_no_conclusion(audits: dict[str, list[tuple[str, str | None]]]) -> None:
    """003's 实际完成情况 is the form's prompt "…(100字以内)": it is blank, so A017 says the table was published
    unfilled rather than claiming a written 实际完成情况."""
    from jixiao.profiles import load
    from jixiao.rules.selfeval_audit import audit_self_evaluation

    table = _read("003")[0][0]
    assert isinstance(table, SelfEvaluationTable)
    messages = [f.message for f in audit_self_evaluation(table, load("national").rules).findings if f.code == "A017"]
    assert messages and all("仍是填表提示" in m and "已写出" not in m for m in messages), messages


def test_no_defect_is_invented_for_the_clean_county_form(audits: dict[str, list[tuple[str, str | None]]]) -> None:
    assert not any(note.startswith("DEFECT:") for note in _expected("020")["notes"])
    assert audits["020"] == []  # no 分值, no 得分: nothing to recompute, nothing flagged


def test_a_traditional_copy_of_a_simplified_table_reads_the_same_figures() -> None:
    """The layout family, not the file: 036 in traditional characters (as a mirror would serve it) is matched
    through OpenCC and gives the same figures, with its names kept in traditional characters."""
    import opencc

    from jixiao.io.reading import read_bytes

    simplified_table = _read("036")[0][0]
    to_traditional = opencc.OpenCC("s2t")
    text = to_traditional.convert(_path("036").read_text("utf-8"))
    results = list(read_bytes(text.encode("utf-8"), "036-traditional.txt"))
    tables = [r.table for r in results if r.table is not None]
    assert len(tables) == 1 and isinstance(tables[0], SelfEvaluationTable)
    table = tables[0]
    assert isinstance(simplified_table, SelfEvaluationTable)
    assert table.budget == simplified_table.budget.__class__(**{  # the same row, its label in traditional
        **{k: getattr(simplified_table.budget, k) for k in BUDGET_KEYS}, "key": "total",
        "label": to_traditional.convert(simplified_table.budget.label or "")})
    assert [(i.weight, i.score, _text(i.target), _text(i.actual)) for i in table.indicators] == \
        [(i.weight, i.score, _text(i.target), _text(i.actual)) for i in simplified_table.indicators]
    names = [to_traditional.convert(i.name or "") for i in simplified_table.indicators]
    assert [i.name for i in table.indicators] == names
    assert (table.published_total_score, table.published_grade) == (Decimal(96), "優")


def test_the_stored_text_is_as_printed_and_the_matched_text_is_folded() -> None:
    from jixiao.io.readers.selfeval.cells import pipe_cells

    cell = pipe_cells([(1, "| 实施单位 | 办公室（本级）。 另注：见"), (2, "附 表 |")])[1]  # wraps onto line 2
    assert cell.printed == "办公室（本级）。 另注：见附表"  # brackets, colon, the space after 。 as printed
    assert cell.text == "办公室(本级)。另注:见附表" and cell.key == "办公室。另注:见附表"
