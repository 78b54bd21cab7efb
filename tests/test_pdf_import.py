"""PDF import on PDFs built from differently made HTML tables, not only from jixiao's own export.

Each layout is rendered by WeasyPrint the way another office might lay the table out: labels in a
two-column table with an indicator table long enough to continue over pages (header repeated), one
big table with spanned label rows, and labels as paragraphs that wrap. Each must read back to the
table it was made from.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

import msgspec
import pytest
from bench.generate import iter_tables
from weasyprint import HTML

from jixiao.domain import TargetTable
from jixiao.io.office.layout import column_labels, header_rows, indicator_cells
from jixiao.io.reading import read_bytes

CSS = """<style>@page { size: A4; margin: 15mm; } body { font-family: %s; font-size: %s; }
table { border-collapse: collapse; width: 100%%; margin-bottom: 5mm; }
td, th { border: 0.8pt solid #333; padding: 2pt; }
</style>"""


def _pairs(table: TargetTable) -> list[tuple[str, str]]:
    found = []
    for left, right in header_rows(table):
        found.append(left)
        if right is not None:
            found.append(right)
    return found


def _indicators(table: TargetTable, repeat_header: bool = True) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for label in column_labels())
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in indicator_cells(i)) + "</tr>"
                   for i in table.indicators)
    thead = f"<thead><tr>{head}</tr></thead>" if repeat_header else f"<tr>{head}</tr>"
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def _goal(table: TargetTable) -> str:
    return "".join(f'<p style="text-indent: 2em; margin: 0">{escape(p)}</p>'
                   for p in (table.annual_goal or "").split("\n"))


def two_column(table: TargetTable) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in _pairs(table))
    rows += f"<tr><th>年度目标</th><td>{_goal(table)}</td></tr>"
    return (CSS % ('"Noto Serif CJK SC"', "10pt") + "<h2>项目支出绩效目标表</h2>"
            f"<table>{rows}</table>{_indicators(table)}")


def one_big_table(table: TargetTable) -> str:
    rows = "".join(f'<tr><th colspan="2">{escape(k)}</th><td colspan="9">{escape(v)}</td></tr>'
                   for k, v in _pairs(table))
    rows += f'<tr><th colspan="2">年度目标</th><td colspan="9">{_goal(table)}</td></tr>'
    head = "".join(f"<th>{escape(label)}</th>" for label in column_labels())
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in indicator_cells(i)) + "</tr>"
                   for i in table.indicators)
    return (CSS % ('"Noto Sans CJK SC"', "8pt") + '<p style="text-align:center">项目支出绩效目标表</p>'
            f"<table>{rows}<tr>{head}</tr>{body}</table>")


def paragraphs(table: TargetTable) -> str:
    lines = "".join(f"<p>{escape(k)}：{escape(v)}</p>" for k, v in _pairs(table))
    goal = (table.annual_goal or "").replace("\n", "")
    return (CSS % ('"Noto Sans CJK SC"', "11pt") + "<h1>项目支出绩效目标表</h1>" + lines
            + f"<p>年度目标：{escape(goal)}</p>" + _indicators(table, repeat_header=False))


def _table(rows: int) -> TargetTable:
    base = next(table for table, _text in iter_tables(5, seed=3) if table.annual_goal)
    indicators = (base.indicators * (rows // len(base.indicators) + 1))[:rows]
    goal = "第一段：" + "完成任务" * 30 + "。\n第二段：保障运行。"
    return msgspec.structs.replace(base, indicators=indicators, annual_goal=goal)


@pytest.mark.parametrize(("layout", "rows"), [(two_column, 70), (one_big_table, 12), (paragraphs, 8)])
def test_pdfs_from_other_layouts_read_back(layout: object, rows: int) -> None:
    source = _table(rows)
    document = HTML(string=layout(source)).render()  # type: ignore[operator]
    if rows > 40:
        assert len(document.pages) >= 2  # the indicator table continues on the next page
    pdf = document.write_pdf()
    results = list(read_bytes(pdf, f"{layout.__name__}.pdf"))  # type: ignore[attr-defined]
    tables = [r.table for r in results if r.table is not None]
    assert [d.render() for r in results for d in r.diagnostics] == []
    assert len(tables) == 1
    expected = source
    if layout is paragraphs:  # one paragraph there: no break to keep
        expected = msgspec.structs.replace(source, annual_goal=(source.annual_goal or "").replace("\n", ""))
    assert tables[0] == expected
    assert len(tables[0].indicators) == rows and tables[0].total_wan == source.total_wan
    assert isinstance(tables[0].total_wan, Decimal | None)


def test_a_pdf_without_any_text_is_said_not_read_in_silence() -> None:
    """A scanned (image-only) or blank PDF yielded nothing at all: ``jixiao parse`` printed no table and no reason."""
    import weasyprint

    from jixiao.io.reading import read_bytes

    blank = weasyprint.HTML(string="<p></p>").write_pdf()
    results = list(read_bytes(blank, "扫描件.pdf"))
    assert [(r.table, [(d.code, d.severity.value, d.file) for d in r.diagnostics]) for r in results] == [
        (None, [("no-table", "error", "扫描件.pdf")])]
    assert "扫描件" in results[0].diagnostics[0].message
