"""Office stage of ``make bench``: xlsx write and read of 1,000 tables, PDF import of 100 pages.

The xlsx read is compared, in the same run, with openpyxl alone reading the same workbook (read-only
mode, every cell's value, nothing else): what jixiao's calamine-based reader costs against the
common way of opening a workbook in Python. Best of ``repeat`` passes for each timing.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from bench.generate import iter_tables
from jixiao.io.office.pdf_writer import write_tables_pdf
from jixiao.io.office.xlsx_writer import write_tables_xlsx
from jixiao.io.reading import read_bytes

XLSX_TABLES = 1000
PDF_PAGES = 100


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def openpyxl_values(data: bytes) -> int:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(1 for value in row if value is not None)
    book.close()
    return cells


def run(repeat: int) -> dict[str, float]:
    tables = [table for table, _text in iter_tables(XLSX_TABLES, seed=5)]

    def write() -> bytes:
        buffer = io.BytesIO()
        write_tables_xlsx(tables, buffer)
        return buffer.getvalue()

    write_s, data = best(repeat, write)
    read_s, back = best(repeat, lambda: [r.table for r in read_bytes(data, "bench.xlsx") if r.table is not None])
    openpyxl_s, cells = best(repeat, lambda: openpyxl_values(data))
    pdf_tables = tables[:PDF_PAGES]
    buffer = io.BytesIO()
    started = time.perf_counter()
    write_tables_pdf(pdf_tables, buffer)
    pdf_write_s = time.perf_counter() - started
    pdf = buffer.getvalue()
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    pdf_read_s, pdf_back = best(1, lambda: [r.table for r in read_bytes(pdf, "bench.pdf") if r.table is not None])
    return {"xlsx_tables": len(tables), "xlsx_bytes": len(data), "xlsx_write_s": write_s, "xlsx_read_s": read_s,
            "xlsx_equal": float(back == tables), "openpyxl_read_s": openpyxl_s, "openpyxl_cells": cells,
            "pdf_pages": pages, "pdf_write_s": pdf_write_s, "pdf_read_s": pdf_read_s,
            "pdf_equal": float(pdf_back == pdf_tables)}
