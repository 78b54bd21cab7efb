"""Guesses about values are marked in the table (``ambiguous``) and said (a diagnostic each): issue 15, item 2."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from jixiao.domain import Funding, Indicator, SelfEvaluationTable, TargetTable, Value
from jixiao.domain.codes import ProjectRef
from jixiao.domain.selfeval_table import EvaluatedIndicator, FundingRow
from jixiao.io.guesses import excel_date, guessed_fields, mark
from jixiao.io.json_any import dumps_any
from jixiao.io.json_format import encode_table, table_to_dict
from jixiao.io.reading import read_path, read_text

REAL = Path(__file__).parent / "data" / "real"
DATES = REAL / "029_neimenggu_wuhai_gongxiaoshe_zaishengziyuan_target.txt"


def _row(target: str, level2: str = "数量指标", name: str = "培训人数", unit: str | None = "人") -> Indicator:
    return Indicator("产出指标", level2, name, "=", target=Value(target), unit_of_measure=unit, line=7)


def _table(*rows: Indicator, total: str | None = None, **funding: str) -> TargetTable:
    return TargetTable(project=ProjectRef(None, "示例项目"), indicators=rows,
                       total_wan=Decimal(total) if total is not None else None,
                       funding=Funding(**{key: Decimal(value) for key, value in funding.items()}))


def _codes(notes: list) -> list[str]:
    return [note.code for note in notes]


def test_an_excel_date_serial_under_a_time_indicator_is_marked_and_kept() -> None:
    marked, notes = mark(_table(_row("44561", level2="时效指标", name="资金到位时间", unit=None)), "t.txt")
    (row,) = marked.indicators
    assert row.target == Value("44561") and row.ambiguous == ("target",)
    assert _codes(notes) == ["date-serial"] and "2021-12-31" in notes[0].message and notes[0].line == 7
    assert excel_date(44561).isoformat() == "2021-12-31"


def test_the_same_number_elsewhere_is_no_date() -> None:
    table = _table(_row("44561"), _row("100", level2="时效指标", name="完成时间", unit=None))
    marked, notes = mark(table)
    assert marked is table and notes == []


def test_a_doubtful_thousands_separator_is_marked_and_a_plain_one_read_as_ever() -> None:
    table = _table(_row("1,307,692"), _row("1,500人"))
    marked, notes = mark(table)
    sure, doubtful = marked.indicators
    assert sure.target is not None and sure.target.text == "1,307,692" and sure.target.number == Decimal(1307692)
    assert sure.ambiguous == () and doubtful.ambiguous == ("target",)  # one comma may be a list or a decimal comma
    assert _codes(notes) == ["thousands-separator"] and "按 1500 读取" in notes[0].message
    assert notes[0].severity.value == "info" and notes[0].line == 7


def test_a_number_split_by_a_space_is_joined_and_marked() -> None:
    marked, notes = mark(_table(_row("968.191 8")))
    (row,) = marked.indicators
    assert row.target == Value("968.1918") and row.ambiguous == ("target",)
    assert _codes(notes) == ["split-number"] and "968.191 8" in notes[0].message


def test_a_funding_amount_in_yuan_under_a_wan_heading_is_marked_not_changed() -> None:
    marked, notes = mark(_table(total="15.00", fiscal="150000"))
    assert marked.funding.fiscal == Decimal(150000) and marked.ambiguous == ("funding.fiscal",)
    assert _codes(notes) == ["amount-yuan-under-wan"] and "15 万元" in notes[0].message
    total, _ = mark(_table(total="150000", fiscal="10", unit_own="5"))
    assert total.ambiguous == ("total_wan",)


def test_amounts_that_add_up_are_no_guess() -> None:
    for table in (_table(total="15.00", fiscal="15.00"), _table(total="10000", fiscal="9999", social="1"),
                  _table(total="20", fiscal="12"), _table(total="15", fiscal="15", social="1")):
        assert mark(table) == (table, [])


def test_a_selfeval_funding_row_in_yuan_is_marked_by_its_path() -> None:
    table = SelfEvaluationTable(
        budget=FundingRow("total", "年度资金总额", Decimal(90), Decimal(90), Decimal("89.97")),
        funding_rows=(FundingRow("fiscal", "本年财政拨款", Decimal(90), Decimal(900000), Decimal("89.97")),),
        indicators=(EvaluatedIndicator("产出指标", "数量指标", "人数", "≥", Value("5"), "人"),))
    marked, notes = mark(table)
    assert isinstance(marked, SelfEvaluationTable) and marked.ambiguous == ("funding_rows[0].adjusted_wan",)
    assert _codes(notes) == ["amount-yuan-under-wan"] and marked.funding_rows[0].adjusted_wan == Decimal(900000)


def test_a_real_table_with_date_serials_reads_them_as_guesses() -> None:
    results = list(read_path(DATES))
    (table,) = [r.table for r in results if r.table is not None]
    marked = [row for row in table.indicators if row.ambiguous]
    assert len(marked) == 2 and all(row.target and row.target.text == "44,561" for row in marked)
    notes = [d for r in results for d in r.diagnostics]
    assert sum(d.code == "date-serial" for d in notes) == 2
    assert sorted(d.line for d in notes if d.code == "date-serial") == sorted(row.line for row in marked)
    assert list(guessed_fields(table)) == [f"indicators[{table.indicators.index(row)}].target" for row in marked]


def test_ocr_readings_and_inferred_levels_are_marked_on_their_rows() -> None:
    text = ("项目名称 | 示例 |\n二级指标 | 三级指标 | 指标值 |\n数量指标 | 培训人数 | ≥1O0人 |\n"
            "质量指标 | 合格率 | ≥95% |\n填表人: | 张三 |\n")
    results = read_text(text, "ocr.txt")
    (table,) = [r.table for r in results if r.table is not None]
    first, second = table.indicators
    assert first.target == Value("100") and set(first.ambiguous) == {"level1", "target"}
    assert second.ambiguous == ("level1",)
    codes = [d.code for r in results for d in r.diagnostics]
    assert "ocr-reading" in codes and "any-layout-guess" in codes


# -- JSON v1 ------------------------------------------------------------------------------------------------
def _guessed() -> TargetTable:
    marked, _ = mark(_table(_row("1,500"), _row("12"), total="15.00", fiscal="150000"))
    assert isinstance(marked, TargetTable)
    return marked


def test_json_round_trip_keeps_every_mark() -> None:
    table = _guessed()
    text = encode_table(table).decode("utf-8")
    assert text == json.dumps(table_to_dict(table), ensure_ascii=False, indent=2)  # the fast writer agrees
    data = json.loads(text)
    assert data["ambiguous"] == ["funding.fiscal"] and data["indicators"][0]["ambiguous"] == ["target"]
    assert "ambiguous" not in data["indicators"][1]
    (back,) = [r.table for r in read_text(text, "t.json")]
    assert back == table and back.ambiguous == table.ambiguous
    assert [row.ambiguous for row in back.indicators] == [("target",), ()]
    # the schema's slow path (an error elsewhere) reads the marks too
    data["unexpected"] = 1
    assert read_text(json.dumps(data), "t.json")[0].table is None


def test_json_of_a_self_evaluation_keeps_its_marks() -> None:
    table = SelfEvaluationTable(
        project=ProjectRef(None, "示例"), ambiguous=("budget.spent_wan",),
        indicators=(EvaluatedIndicator("产出指标", "时效指标", "完成时间", "=", Value("44561"), None,
                                       ambiguous=("target",)),))
    (back,) = [r.table for r in read_text(dumps_any([table]), "s.json")]
    assert isinstance(back, SelfEvaluationTable) and back.ambiguous == ("budget.spent_wan",)
    assert back.indicators[0].ambiguous == ("target",)


def test_documents_without_marks_read_as_before_and_clean_tables_write_none() -> None:
    seed = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "seed_changshou_2022.txt"
    tables = [r.table for r in read_path(seed) if r.table is not None]
    assert tables and all(not t.ambiguous and not any(row.ambiguous for row in t.indicators) for t in tables)
    text = encode_table(tables[0]).decode("utf-8")
    assert "ambiguous" not in text
    (back,) = [r.table for r in read_text(text, "old.json")]
    assert back == tables[0] and back.ambiguous == ()


def test_an_office_file_is_looked_at_too() -> None:
    import io

    from jixiao.io.office.xlsx_writer import write_tables_xlsx
    from jixiao.io.reading import read_bytes

    table = _table(_row("100"), _row("44561", level2="时效指标", name="完成时间", unit=None), total="15", fiscal="15")
    workbook = io.BytesIO()
    write_tables_xlsx([table], workbook)
    results = list(read_bytes(workbook.getvalue(), "表.xlsx"))
    (read,) = [r.table for r in results if r.table is not None]
    assert [row.ambiguous for row in read.indicators] == [(), ("target",)]
    assert [d.code for r in results for d in r.diagnostics if d.code == "date-serial"] == ["date-serial"]
