"""Cells calamine reads as blank although they hold something — an Excel error value (``#DIV/0!``) or a formula
saved without its result — are reported by the xlsx reader with the cell named (xlsx-cell-error), for both kinds."""

from __future__ import annotations

import io
import re
import zipfile

from jixiao.domain import Severity
from jixiao.io.office.selfeval_xlsx_writer import write_selfeval_xlsx
from jixiao.io.office.xlsx_writer import write_tables_xlsx
from jixiao.io.reading import read_bytes
from tests.rule_cases import clean_selfeval_table, clean_table


def _patched(data: bytes, replacements: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The workbook with the first cell showing each ``text`` (a shared string, or a number cell: "24.31", "95.27%")
    replaced by ``xml`` (a ``<c>`` body with ``{r}`` and ``{s}`` for the cell's reference and style); returns the
    bytes and text → the cell changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    shared = re.findall(r"<si>(.*?)</si>", source.read("xl/sharedStrings.xml").decode(), re.S)
    texts = [re.sub(r"<[^>]+>", "", item) for item in shared]
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    where: dict[str, str] = {}
    for text, xml in replacements.items():
        if text in texts:
            found = re.search(rf'<c r="([A-Z]+[0-9]+)" s="([0-9]+)" t="s"><v>{texts.index(text)}</v></c>', sheet)
        else:  # jixiao writes amounts, scores and rates as number cells
            number = float(text.rstrip("%"))  # a rate is kept as 95.27 (format 0.00"%") or 0.9527 (0.00%)
            wanted = (number, number / 100) if text.endswith("%") else (number,)
            found = next((m for m in re.finditer(r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"><v>([-0-9.E]+)</v></c>', sheet)
                          if any(abs(float(m.group(3)) - w) < 1e-9 for w in wanted)), None)
        assert found is not None, text
        where[text] = found.group(1)
        sheet = sheet.replace(found.group(0), xml.format(r=found.group(1), s=found.group(2)), 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = sheet.encode() if name == "xl/worksheets/sheet1.xml" else source.read(name)
            target.writestr(name, body)
    return out.getvalue(), where


_ERROR = '<c r="{r}" s="{s}" t="e"><v>#DIV/0!</v></c>'
_FORMULA = '<c r="{r}" s="{s}"><f>I18*0.9</f><v></v></c>'
_FORMULA_NO_V = '<c r="{r}" s="{s}"><f>H9/G9</f></c>'
_FORMULA_CACHED = '<c r="{r}" s="{s}"><f>1+1</f><v>2</v></c>'


def _unread(data: bytes) -> list[tuple[Severity, str, str | None]]:
    return [(d.severity, d.message, d.cell) for result in read_bytes(data, "t.xlsx") for d in result.diagnostics
            if d.code == "xlsx-cell-error"]


def test_error_values_and_formulas_without_a_result_are_reported_in_a_self_evaluation() -> None:
    data, where = _patched(write_selfeval_xlsx([clean_selfeval_table()]),
                           {"95.27%": _ERROR, "24.31": _FORMULA, "30": _FORMULA_NO_V, "98.84": _FORMULA_CACHED})
    found = _unread(data)
    sheet = next(r.table for r in read_bytes(data, "t.xlsx") if r.table is not None)
    assert sheet.indicators[0].score is None  # calamine still reads it blank: the note says why
    cells = {cell for _, _, cell in found}
    name = next(iter(cells)).split("!")[0]
    assert cells == {f"{name}!{where['95.27%']}", f"{name}!{where['24.31']}", f"{name}!{where['30']}"}
    messages = " ".join(message for _, message, _ in found)
    assert f"单元格 {name}!{where['95.27%']} 为 Excel 错误值 #DIV/0!，该值未读入" in messages
    assert f"单元格 {name}!{where['24.31']} 是公式（=I18*0.9）且没有保存计算结果" in messages
    assert "请在 Excel 中打开并保存后再导入" in messages
    assert all(severity is Severity.WARNING for severity, _, _ in found)


def test_error_values_are_reported_in_a_target_table() -> None:
    out = io.BytesIO()
    write_tables_xlsx([clean_table()], out)
    data, where = _patched(out.getvalue(), {"720000": _ERROR})
    assert [cell.split("!")[1] for _, _, cell in _unread(data) if cell] == [where["720000"]]


def test_a_clean_workbook_has_no_note() -> None:
    assert _unread(write_selfeval_xlsx([clean_selfeval_table()])) == []
