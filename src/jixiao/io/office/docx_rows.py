"""Reading Word documents (.docx) that publish target tables, in tables or as 标签：值 paragraphs.

The body is read in order — paragraphs and tables as they come — so a title paragraph followed by
a header table and an indicator table, or labels written as paragraphs above a table, both read.
Merged cells count once. Diagnostics name the table, row and column (``表2 第3行第5列``).
python-docx is imported by ``read_docx``, never by sniffing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jixiao.io.limits import Deadline, Limits, TooBig, open_zip, refuse
from jixiao.io.office.xml_scan import check_document
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.grid import GridRow, read_rows
from jixiao.io.readers.vocabulary import Vocabulary

if TYPE_CHECKING:
    from docx.table import Table


def _table_rows(table: Table, number: int, deadline: Deadline) -> Iterator[GridRow]:
    for index, row in enumerate(table.rows, start=1):
        deadline.check()
        cells, refs, columns, seen = [], [], [], set()
        for column, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text for p in cell.paragraphs).strip())
            refs.append(f"表{number} 第{index}行第{column}列")
            columns.append(column - 1)
        yield GridRow(tuple(cells), tuple(refs), index, columns=tuple(columns), covered=_continued(row, columns))


def _continued(row: object, columns: list[int]) -> tuple[int, ...]:
    """The cells of ``row`` (by their index in the row) that continue a vertical merge from the row above."""
    tr = row._tr  # type: ignore[attr-defined]
    offset = tr.grid_before
    starts = set()
    for tc in tr.tc_lst:
        if tc.vMerge == "continue":
            starts.add(offset)
        offset += tc.grid_span
    return tuple(index for index, column in enumerate(columns) if column in starts) if starts else ()


def _body(document: object, deadline: Deadline) -> Iterator[GridRow]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    tables = 0
    paragraphs = 0
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = Paragraph(child, document).text.strip()  # type: ignore[arg-type]
            if text:
                yield GridRow((text,), (f"第{paragraphs}段",), paragraphs, text=True)
        elif tag == "tbl":
            tables += 1
            yield from _table_rows(Table(child, document), tables, deadline)  # type: ignore[arg-type]


def read_docx(data: bytes, source: str, limits: Limits, vocabulary: Vocabulary) -> Iterator[ReadResult]:
    """What :class:`~jixiao.io.office.docx_reader.DocxReader` reads from ``data``."""
    from docx import Document

    deadline = Deadline(limits)
    try:
        with open_zip(data, limits) as archive:
            check_document(archive, limits, deadline)
        document = Document(io.BytesIO(data))
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    except Exception:  # python-docx raises several kinds for damaged files
        message = "无法读取 Word 文件：文件已损坏或不是 .docx"
        yield ReadResult(None, (refuse(source, message),))
        return
    found = False
    try:
        for result in read_rows(_body(document, deadline), source, vocabulary=vocabulary):
            found = found or result.table is not None
            yield result
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    except Exception:  # python-docx raises on some malformed tables (vertical merges)
        yield ReadResult(None, (refuse(source, "Word 文件中的表格结构有误，无法读取"),))
        return
    if not found:
        message = ("文档中没有找到绩效目标表或绩效自评表（应有“单位信息”“一级指标”或“年初预算数”“实际完成值”“得分”"
                   "等内容）")
        yield ReadResult(None, (refuse(source, message, "no-table"),))
