"""Reading Excel workbooks (.xlsx): every sheet that holds a target table, read with python-calamine.

Cells are read as they show: text as typed (the template formats value cells as text, so "15.00"
stays "15.00"); a number typed into a numeric cell as its shortest form (15.0 → "15"), unless its format
fixes the decimals: then as shown (15 in ``0.00`` → "15.00", 95 in ``0.00"%"`` or 0.95 in ``0.00%`` →
"95.00%"; see :mod:`jixiao.io.office.number_formats`), as jixiao writes amounts, scores and rates. Sheets with
none of the table's vocabulary (instructions, hidden choice lists, findings) are skipped with a note.
Diagnostics name the sheet and cell: ``表.xlsx 免费复印!H5``. calamine is imported by ``read_xlsx``,
never by sniffing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

from jixiao.domain import Diagnostic, Severity
from jixiao.io.limits import Deadline, Limits, TooBig, open_zip, refuse
from jixiao.io.office.number_formats import NumberFormat, shown
from jixiao.io.office.xml_scan import UnreadCell, check_workbook
from jixiao.io.readers.base import ReadResult
from jixiao.io.readers.grid import GridRow, is_header, read_rows, starts_selfeval
from jixiao.io.readers.vocabulary import Vocabulary

LIST_SHEET_PREFIX = "_"


def cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _has_vocabulary(rows: list[list[str]], vocabulary: Vocabulary) -> bool:
    for cells in rows[:200]:
        if is_header(cells, vocabulary):
            return True
        if any(c and vocabulary.label_field(c.split("：")[0].split("（")[0].strip()) for c in cells):
            return True
        if starts_selfeval(cells, vocabulary) is not None:  # a self-evaluation table (项目支出绩效自评表)
            return True
    return False


def _formatted(values: list[list[Any]], formats: dict[int, NumberFormat]) -> None:
    """Numbers in cells whose format fixes their decimals, as text the way the sheet shows them (in place)."""
    for key, fmt in formats.items():
        row, column = (key >> 15) - 1, (key & 0x7FFF) - 1
        if row < len(values) and column < len(values[row]):
            value = values[row][column]
            if isinstance(value, int | float) and not isinstance(value, bool):
                text = shown(value, fmt)
                if text is not None:
                    values[row][column] = text


def _rows(name: str, values: list[list[Any]], limits: Limits, deadline: Deadline) -> Iterator[GridRow]:
    from xlsxwriter.utility import xl_rowcol_to_cell

    for index, row in enumerate(values):
        if index % 1000 == 0:
            deadline.check()
        cells = tuple(cell_text(v) for v in row)
        if any(cells):
            yield GridRow(cells, tuple(f"{name}!{xl_rowcol_to_cell(index, c)}" for c in range(len(cells))),
                          index + 1)


def unread_notes(cells: list[UnreadCell], count: int, sheet: str, source: str,
                 last: bool = False) -> tuple[Diagnostic, ...]:
    """The cells of ``sheet`` that read as blank although they hold an error value or an unsaved formula;
    ``last``: also say how many were not listed (the scan keeps the first few hundred)."""
    notes = []
    for cell in cells:
        if cell.sheet != sheet:
            continue
        place = f"{sheet}!{cell.cell}"
        if cell.kind == "error":
            message = f"单元格 {place} 为 Excel 错误值 {cell.text}，该值未读入"
        else:
            message = (f"单元格 {place} 是公式（={cell.text}）且没有保存计算结果，该值未读入；"
                       "请在 Excel 中打开并保存后再导入")
        notes.append(Diagnostic("xlsx-cell-error", Severity.WARNING, message, source, cell=place))
    if last and count > len(cells):
        notes.append(Diagnostic("xlsx-cell-error", Severity.WARNING,
                                f"另有 {count - len(cells):,} 个单元格是错误值或未保存结果的公式，未逐一列出", source))
    return tuple(notes)


def read_xlsx(data: bytes, source: str, limits: Limits, vocabulary: Vocabulary) -> Iterator[ReadResult]:
    """What :class:`~jixiao.io.office.xlsx_reader.XlsxReader` reads from ``data``."""
    import python_calamine as calamine

    deadline = Deadline(limits)
    try:
        with open_zip(data, limits) as archive:
            formats, unread, unread_count = check_workbook(archive, limits, deadline)
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    except calamine.PasswordError:
        yield ReadResult(None, (refuse(source, "工作簿有密码保护，无法读取；请另存为无密码的文件后再导入"),))
        return
    except Exception:  # calamine raises several kinds for damaged files
        message = "无法读取 Excel 文件：文件已损坏或不是 .xlsx"
        yield ReadResult(None, (refuse(source, message),))
        return
    found = False
    skipped = []
    try:
        for meta in book.sheets_metadata:
            deadline.check()
            if meta.name.startswith(LIST_SHEET_PREFIX) or meta.visible != calamine.SheetVisibleEnum.Visible:
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.end[0] + 1 if sheet.end else 0
                if rows > limits.max_rows:
                    yield ReadResult(None, (refuse(source, f"工作表“{meta.name}”有 {rows:,} 行，"
                                                           f"超过上限 {limits.max_rows:,} 行，已跳过"),))
                    continue
                values = sheet.to_python(skip_empty_area=False)
                if meta.name in formats:
                    _formatted(values, formats[meta.name])
            except Exception:  # a damaged sheet: calamine raises XmlError, CalamineError, …
                message = f"工作表“{meta.name}”已损坏，无法读取"
                yield ReadResult(None, (refuse(source, message),))
                continue
            texts = [[cell_text(v) for v in row] for row in values[:200]]
            if not _has_vocabulary(texts, vocabulary):
                skipped.append(meta.name)
                continue
            found = True
            notes = unread_notes(unread, unread_count, meta.name, source) if unread_count else ()
            if notes:
                yield ReadResult(None, notes)
            yield from read_rows(_rows(meta.name, values, limits, deadline), source, vocabulary=vocabulary)
    except TooBig as error:
        yield ReadResult(None, (refuse(source, str(error)),))
        return
    finally:
        book.close()
    if unread_count > len(unread):
        yield ReadResult(None, unread_notes([], unread_count - len(unread), "", source, last=True))
    if skipped:
        yield ReadResult(None, (Diagnostic("sheet-skipped", Severity.INFO if found else Severity.ERROR,
                                           f"工作表“{'”“'.join(skipped)}”中没有绩效目标表，未读入", source),))
    elif not found:
        yield ReadResult(None, (refuse(source, "工作簿中没有任何工作表含有绩效目标表或绩效自评表", "no-table"),))
