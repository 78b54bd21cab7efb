"""Reading published PDFs whose tables are ruled like the seed's (pdfplumber).

Per page, the ruled tables and the lines of text outside them (a title, 标签：值 lines) are taken in
reading order, so a table that continues on the next page — with or without its header repeated —
reads as one. Text in the top and bottom margins (running heads, page numbers) is left out. Lines
inside a cell are where the text wrapped: they are joined, except that a line starting with the
two-space paragraph indent begins a new paragraph of the 年度目标. pdfplumber is imported by ``read_pdf``,
never by sniffing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from jixiao.io.limits import Deadline, Limits, TooBig, check_size, refuse
from jixiao.io.office.pdf_scan import check_streams, drawn_operators
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.grid import PARAGRAPH_MARK, GridRow, read_rows
from jixiao.io.readers.vocabulary import Vocabulary

MARGIN = 0.07  # the top and bottom 7% of a page: running heads and page numbers


def _inside(top: float, bottom: float, boxes: list[tuple[float, float, float, float]]) -> bool:
    middle = (top + bottom) / 2
    return any(box[1] <= middle <= box[3] for box in boxes)


def _check_drawn(page: Any, number: int, limits: Limits) -> None:
    """Refuse a page that draws more than ``max_drawn`` objects, before table finding compares them all: first
    from its content streams (cheap, before layout), then from what the layout holds (forms drawn by ``Do``)."""
    from pdfminer.pdftypes import resolve1

    contents = page.page_obj.contents or []
    drawn = sum(drawn_operators(resolve1(stream).get_data()) for stream in contents
                if hasattr(resolve1(stream), "get_data"))
    if drawn <= limits.max_drawn:
        drawn = len(page.lines) + len(page.rects) + len(page.curves)
    if drawn > limits.max_drawn:
        raise TooBig(f"PDF 第{number}页绘制了 {drawn:,} 个以上的线条、矩形等图形，超过上限 {limits.max_drawn:,} 个，"
                     "已跳过")


def _page_rows(page: Any, number: int, counter: list[int]) -> Iterator[GridRow]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    items: list[tuple[float, list[GridRow]]] = []
    height = float(page.height)
    for line in page.extract_text_lines(strip=True, return_chars=False):
        top, bottom = float(line["top"]), float(line["bottom"])
        if top < height * MARGIN or bottom > height * (1 - MARGIN) or _inside(top, bottom, boxes):
            continue
        counter[0] += 1
        ref = f"第{number}页 文字“{line['text'][:10]}”"
        items.append((top, [GridRow((line["text"],), (ref,), counter[0], text=True)]))
    for index, table in enumerate(tables, start=1):
        rows = []
        for row_number, (row, boxes_of_row) in enumerate(zip(table.extract(), table.rows, strict=False), start=1):
            counter[0] += 1
            cells = tuple(_paragraphs(page, box, str(cell)) if cell and box and "\n" in cell else
                          "" if cell is None else str(cell) for cell, box in zip(row, boxes_of_row.cells, strict=False))
            refs = tuple(f"第{number}页 表{index} 第{row_number}行第{column}列" for column in range(1, len(cells) + 1))
            rows.append(GridRow(cells, refs, counter[0]))
        items.append((float(table.bbox[1]), rows))
    for _top, rows in sorted(items, key=lambda item: item[0]):
        yield from rows


def _paragraphs(page: Any, box: tuple[float, float, float, float], text: str) -> str:
    """A wide cell's lines, with the paragraph mark where a line starts indented (a new paragraph)."""
    if box[2] - box[0] < float(page.width) * 0.4:
        return text
    lines = page.crop(box).extract_text_lines(strip=True, return_chars=True)
    if not lines:
        return text
    leftmost = min(float(line["x0"]) for line in lines)
    out = []
    for line in lines:
        size = float(line["chars"][0]["size"]) if line["chars"] else 10.0
        # The text's left edge: the leftmost line, or the cell's edge when every line is indented (each
        # paragraph one line, as on a landscape page); half a character allows for the cell's padding.
        left = min(leftmost, float(box[0]) + size * 0.5)
        out.append((PARAGRAPH_MARK if float(line["x0"]) - left > size * 1.5 else "") + line["text"])
    return "\n".join(out)


def _close(document: Any) -> None:
    """Close without raising: pdfplumber's ``close`` walks the pages again, so a page that failed to parse
    fails there too (found by bench/fuzz.py)."""
    try:
        document.close()
    except Exception:
        document.stream.close()


NO_TEXT = ("PDF 中没有可读取的文字，也没有找到绩效目标表或绩效自评表：若是扫描件（页面是图片），请使用原始电子文件"
           "（Word、Excel 或导出的 PDF）")

def _rows(pages: list[Any], deadline: Deadline, limits: Limits) -> Iterator[GridRow]:
    counter = [0]
    for number, page in enumerate(pages, start=1):
        deadline.check()
        _check_drawn(page, number, limits)
        deadline.check()
        yield from _page_rows(page, number, counter)
        page.flush_cache()


def read_pdf(data: bytes, source: str, limits: Limits, vocabulary: Vocabulary) -> Iterator[ReadResult]:
    """What :class:`~jixiao.io.office.pdf_reader.PdfReader` reads from ``data``."""
    import pdfplumber

    try:
        check_size(data, limits)
        check_streams(data, limits, Deadline(limits))
        document = pdfplumber.open(io.BytesIO(data))
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    except Exception as error:  # pdfminer raises many kinds: damaged, encrypted, not a PDF
        causes = [error, *error.args, error.__context__]
        encrypted = any("password" in type(c).__name__.lower() or "encrypt" in str(c).lower() for c in causes)
        message = ("PDF 已加密（有打开密码），无法读取；请提供未加密的文件" if encrypted
                   else "无法读取 PDF：文件已损坏或不是 PDF")
        yield ReadResult(None, (refuse(source, message),))
        return
    try:
        pages = document.pages
        if len(pages) > limits.max_pages:
            raise TooBig(f"PDF 有 {len(pages)} 页，超过上限 {limits.max_pages} 页，已跳过")
        deadline = Deadline(limits)
        said = False
        for result in read_rows(_rows(pages, deadline, limits), source, wrapped=True,
                                vocabulary=vocabulary):
            said = True
            yield result
        if not said:  # no table and no text at all: never read in silence
            yield ReadResult(None, (refuse(source, NO_TEXT, "no-table"),))
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
    except Exception:  # a damaged page deep inside the file
        yield ReadResult(None, (refuse(source, "PDF 内容无法解析（文件可能已损坏），已停止读取"),))
    finally:
        _close(document)
