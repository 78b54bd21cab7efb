"""Tables in and out, for the CLI and the web: read files of any format, write tables in any format, templates.

The shells reach ``jixiao.io`` only through here. What ``jixiao parse`` needs on every run (the readers, the
JSON and published-text forms) comes with this module; the office writers and the self-evaluation
workbook (xlsxwriter, python-docx, WeasyPrint) are imported only when a table is written with them, so
start-up stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.domain import AnyTable, Diagnostic, SelfEvaluationTable, Severity, TargetTable
from jixiao.domain.selfeval_table import KIND_LABELS
from jixiao.io import registry
from jixiao.io.json_any import dumps_any
from jixiao.io.json_any import json_array_encoder as json_array_encoder
from jixiao.io.json_format import encode_table as encode_table
from jixiao.io.json_format import table_to_dict as table_to_dict
from jixiao.io.parallel_read import EncodedTables as EncodedTables
from jixiao.io.parallel_read import default_jobs as default_jobs
from jixiao.io.parallel_read import read_path_json as read_path_json
from jixiao.io.readers.base import AnyReader as AnyReader
from jixiao.io.readers.base import ReadResult as ReadResult
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary
from jixiao.io.reading import read_path as read_path
from jixiao.io.reading import unknown_reader
from jixiao.io.summary import FileSummary as FileSummary
from jixiao.io.summary import summarise as summarise_file
from jixiao.io.writers.published_text import format_table as format_table
from jixiao.io.writers.selfeval_text import format_selfeval as format_selfeval

if TYPE_CHECKING:  # (profiles pulls in the rule catalogue: not needed to read, so not imported to read)
    from jixiao.profiles import RegionProfile, VocabularyWords

__all__ = ["BINARY_FORMATS", "EXPORT_FORMATS", "SELFEVAL_WRITERS", "TARGET_WRITERS", "AnyReader", "FileSummary",
           "ReadResult", "encode_table", "export_bytes", "export_problem", "export_tables", "format_any",
           "format_selfeval", "format_table", "json_array_encoder", "only_target_tables", "read_any_tables",
           "read_path", "read_tables", "reader_problem", "summarise_file", "table_csv", "table_to_dict", "tables_text",
           "unsupported_kind", "vocabulary_for", "write_selfeval_template", "write_template_xlsx"]

EXPORT_FORMATS = ("json", "text", "xlsx", "docx", "pdf")
BINARY_FORMATS = ("xlsx", "docx", "pdf")  # written to a file, never to the terminal


def cut_reader() -> AnyReader | None:
    """The reader of the files ``read_path_json`` reads in pieces (the 重庆 layout)."""
    return registry.by_name("label-text")


def reader_problem(name: str) -> str | None:
    """Why ``--reader name`` cannot be used (the unknown-reader message, naming the known readers), or ``None``."""
    return None if registry.by_name(name) is not None else unknown_reader(name).message


def vocabulary_for(profile: RegionProfile | None) -> Vocabulary | None:
    """The words the readers recognise for ``profile``: the built-in ones plus its ``[vocabulary]``.

    ``None`` (the built-in words, and the text reader's fast path) when the profile adds none.
    """
    if profile is None or not profile.vocabulary:
        return None
    return _extended(profile.vocabulary)


@lru_cache(maxsize=32)
def _extended(words: VocabularyWords) -> Vocabulary:
    """One :class:`Vocabulary` per set of words: its look-up caches are kept across files and requests."""
    return BUILTIN.extend(**words.as_kwargs())


def read_any_tables(paths: Iterable[str | Path], on_diagnostic: Callable[[Diagnostic], None] | None = None,
                    diagnostics: list[Diagnostic] | None = None,
                    on_file: Callable[[str | Path], None] | None = None,
                    vocabulary: Vocabulary | None = None) -> list[AnyTable]:
    """Every table of either kind of every file (any format, told by its content), in order. Each diagnostic is
    appended to ``diagnostics`` and handed to ``on_diagnostic`` as it is found; ``on_file`` is called after each
    file (a progress bar). ``vocabulary``: a region's words (:func:`vocabulary_for`)."""
    tables: list[AnyTable] = []
    for path in paths:
        for result in read_path(path, vocabulary=vocabulary):
            for item in result.diagnostics:
                if diagnostics is not None:
                    diagnostics.append(item)
                if on_diagnostic is not None:
                    on_diagnostic(item)
            if result.table is not None:
                tables.append(result.table)
        if on_file is not None:
            on_file(path)
    return tables


def unsupported_kind(table: AnyTable, purpose: str = "此处", severity: Severity = Severity.WARNING) -> Diagnostic:
    """The ``unsupported-kind`` diagnostic for a table that code for target tables only was given."""
    source = table.source
    return Diagnostic("unsupported-kind", severity,
                      f"这是一张{KIND_LABELS[table.kind]}（{table.label()}），{purpose}只处理绩效目标表，该表未处理",
                      source.file if source else None, source.line if source else None)


def only_target_tables(tables: Iterable[AnyTable], purpose: str = "此处", severity: Severity = Severity.WARNING,
                       on_diagnostic: Callable[[Diagnostic], None] | None = None) -> list[TargetTable]:
    """The target tables of ``tables``; each other table is handed to ``on_diagnostic`` as ``unsupported-kind``."""
    kept: list[TargetTable] = []
    for table in tables:
        if isinstance(table, TargetTable):
            kept.append(table)
        elif on_diagnostic is not None:
            on_diagnostic(unsupported_kind(table, purpose, severity))
    return kept


def read_tables(paths: Iterable[str | Path], on_diagnostic: Callable[[Diagnostic], None] | None = None,
                diagnostics: list[Diagnostic] | None = None,
                on_file: Callable[[str | Path], None] | None = None,
                vocabulary: Vocabulary | None = None) -> list[TargetTable]:
    """The target tables of every file, as :func:`read_any_tables` reads them, for code that handles target
    tables only (review, scoring against targets, templates): a table of another kind is skipped with an
    ``unsupported-kind`` warning (in ``diagnostics`` and to ``on_diagnostic`` like the readers' own)."""
    def pass_on(item: Diagnostic) -> None:
        if diagnostics is not None:
            diagnostics.append(item)
        if on_diagnostic is not None:
            on_diagnostic(item)

    tables: list[TargetTable] = []
    for path in paths:
        for result in read_path(path, vocabulary=vocabulary):
            for item in result.diagnostics:
                pass_on(item)
            table = result.table
            if isinstance(table, TargetTable):
                tables.append(table)
            elif table is not None:
                pass_on(unsupported_kind(table))
        if on_file is not None:
            on_file(path)
    return tables


def tables_text(tables: Sequence[AnyTable], output_format: str) -> str:
    """``json`` (the exchange format, all tables in one array, of either kind) or ``text`` (each table in its
    published layout: the target table's, or the self-evaluation form's)."""
    if output_format == "json":
        return dumps_any(tables)
    if output_format == "text":
        return "\n".join(map(format_any, tables))
    raise ValueError(f"不是文本格式：{output_format}")


def format_any(table: AnyTable) -> str:
    """One table of either kind in its published text layout."""
    return format_selfeval(table) if isinstance(table, SelfEvaluationTable) else format_table(table)


# The file writers per table kind and format, imported when used ("module:function"; each takes the tables and a
# path or binary stream). A writer of the self-evaluation kind is plugged in with one line in SELFEVAL_WRITERS.
TARGET_WRITERS: dict[str, str] = {
    "xlsx": "jixiao.io.office.xlsx_writer:write_tables_xlsx",
    "docx": "jixiao.io.office.docx_writer:write_tables_docx",
    "pdf": "jixiao.io.office.pdf_writer:write_tables_pdf",
}
SELFEVAL_WRITERS: dict[str, str] = {
    "xlsx": "jixiao.io.office.selfeval_xlsx_writer:save_selfeval_xlsx",
    "docx": "jixiao.io.office.selfeval_docx_writer:save_selfeval_docx",
    "pdf": "jixiao.io.office.selfeval_pdf_writer:save_selfeval_pdf",
}
_WRITERS: dict[str, dict[str, str]] = {"target": TARGET_WRITERS, "self_evaluation": SELFEVAL_WRITERS}


def export_problem(tables: Sequence[AnyTable], output_format: str) -> str | None:
    """Why ``tables`` cannot be written as ``output_format`` (Chinese), or ``None``: a file format needs a writer
    for the tables' kind, and holds one kind (json and text hold both)."""
    if output_format not in BINARY_FORMATS:
        return None
    kinds = sorted({table.kind for table in tables}, key=list(_WRITERS).index)
    if len(kinds) > 1:
        return (f"这些文件中既有绩效目标表又有绩效自评表，一个 {output_format} 文件只能写一种表；"
                "请分别导出，或导出为 json、text（可同时写两种表）")
    if kinds and output_format not in _WRITERS[kinds[0]]:
        able = "、".join([*sorted(_WRITERS[kinds[0]]), "json", "text"])
        return f"{KIND_LABELS[kinds[0]]}暂不能导出为 {output_format}（可导出为 {able}）"
    return None


def _file_writer(tables: Sequence[AnyTable], output_format: str) -> Callable[[Any, Any], None]:
    problem = export_problem(tables, output_format)
    if problem is not None:
        from jixiao.services.errors import InvalidInput  # (not at start-up: jixiao parse never refuses this)

        raise InvalidInput(problem)
    kind = tables[0].kind if tables else "target"
    module, _, function = _WRITERS[kind][output_format].partition(":")
    from importlib import import_module

    writer: Callable[[Any, Any], None] = getattr(import_module(module), function)
    return writer


def export_tables(tables: Sequence[AnyTable], output_format: str, path: Path) -> None:
    """Write ``tables`` to ``path`` in any of :data:`EXPORT_FORMATS` (xlsx, docx and PDF in the official layout).

    A format that has no writer for the tables' kind (or tables of both kinds in one xlsx, docx or PDF) is
    refused with :class:`InvalidInput` (Chinese, see :func:`export_problem`) before anything is written."""
    if output_format in BINARY_FORMATS:
        _file_writer(tables, output_format)(list(tables), path)
    else:
        path.write_text(tables_text(tables, output_format), encoding="utf-8")


def export_bytes(tables: Sequence[AnyTable], output_format: str) -> bytes:
    """``tables`` as the bytes of an xlsx, docx or PDF file in the official layout (a download)."""
    from io import BytesIO

    if output_format not in BINARY_FORMATS:
        raise ValueError(f"不是文件格式：{output_format}")
    stream = BytesIO()
    _file_writer(tables, output_format)(list(tables), stream)
    return stream.getvalue()


def write_template_xlsx(tables: Sequence[TargetTable], path: Path, catalogue: Mapping[str, tuple[str, ...]],
                        blank_rows: int = 20) -> None:
    """The fill-in workbook: one sheet per table (one blank sheet for none), dropdowns from ``catalogue``."""
    from jixiao.io.office.xlsx_writer import write_tables_xlsx

    write_tables_xlsx(tables, path, catalogue, blank_rows=blank_rows)


def write_selfeval_template(tables: Sequence[TargetTable], path: Path) -> list[Diagnostic]:
    """The self-evaluation workbook: one row per indicator; returns warnings for rows that cannot be matched."""
    from jixiao.io.inputs import write_selfeval_template as write

    return write(tables, path)


def table_csv(content: dict[str, Any]) -> str:
    """A stored table (its JSON content) as CSV for download, with a BOM so Excel reads the Chinese."""
    from jixiao.io.writers.table_csv import table_to_csv

    return table_to_csv(content)
