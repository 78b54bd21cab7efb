"""Target tables as PDF (WeasyPrint, Chinese fonts from Debian's fonts-noto-cjk).

A4 landscape, as official documents print a table this wide (the eleven indicator columns keep their
headings and short values on one line), a serif CJK body (Noto Serif CJK SC), a running page header and
numbered pages ("第 n 页 共 m 页"). Target tables are ruled HTML tables, one per page; each paragraph of
the 年度目标 starts with the customary two-space indent, which is also how the PDF reader tells a new
paragraph from a wrapped line. Reports (review, 自评表, monitoring) become PDF in :mod:`jixiao.reports.pdf`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import IO, Any

import jinja2

from jixiao.domain import TargetTable
from jixiao.io.office.layout import TITLE, column_labels, goal_pair, header_rows, indicator_cells
from jixiao.io.readers.grid import PARAGRAPH_MARK

# Per indicator column: "short" cells (一级指标, 指标性质, 度量单位, weights, 指标方向性) never wrap;
# 三级指标 gets the room; the rest wrap where they must.
CELL_CLASSES = ("short", "level2", "name", "short", "", "", "", "short", "short", "short", "short")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("jixiao.io", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def tables_html(tables: Iterable[TargetTable]) -> str:
    prepared: list[dict[str, Any]] = []
    for table in tables:
        goal = goal_pair(table)
        prepared.append({"header": header_rows(table), "goal": goal,
                         "goal_paragraphs": [p for p in goal[1].split("\n") if p] or [""],
                         "rows": [indicator_cells(item) for item in table.indicators]})
    return _environment().get_template("tables_print.html.j2").render(
        tables=prepared, title=TITLE, columns=column_labels(), indent=PARAGRAPH_MARK, classes=CELL_CLASSES)


def html_to_pdf(html: str, target: str | Path | IO[bytes] | None = None) -> bytes:
    """Render HTML that sets its own A4 pages (the print template) to PDF."""
    from weasyprint import HTML

    data: bytes = HTML(string=html).write_pdf()
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    elif target is not None:
        target.write(data)
    return data


def write_tables_pdf(tables: Iterable[TargetTable], target: str | Path | IO[bytes]) -> int:
    listed = list(tables)
    html_to_pdf(tables_html(listed), target)
    return len(listed)
