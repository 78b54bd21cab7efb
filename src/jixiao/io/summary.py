"""What happened to one file, in one line (issue 15, item 4): which kind and layout, how sure, how many rows,
what was guessed, what is missing — or that the file is not a performance table at all.

:class:`FileSummary` is fed each :class:`~jixiao.io.readers.base.ReadResult` of a file as it is read (so a
stream of tables stays a stream: only counts are kept) and gives the line ``jixiao parse`` prints first for
the file and the import page shows above the file's folded details. The work is per table, never per row of a
clean table: rows are counted by ``len``, guesses by the tables' ``ambiguous`` marks (empty on clean layouts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from jixiao.domain import AnyTable, Diagnostic, SelfEvaluationTable, Severity
from jixiao.domain.selfeval_table import KIND_LABELS, VARIANT_LABELS
from jixiao.io.readers.base import AnyReader, ReadResult

NOT_A_TABLE = "不是绩效目标表或自评表"
FALLBACK_READER = "any-layout"
# What a table may lack, by the label the summary names it with.
_MISSING_LABELS = {"project": "项目名称", "total_wan": "项目总额", "budget": "年度资金总额",
                   "cut_off": "表的后一部分（摘录不完整）"}
# Errors that say the file could not be read at all (as opposed to "read, and no table in it").
_REFUSAL_CODES = frozenset({"file-refused", "read-aborted", "reader-mismatch", "unknown-reader", "unreadable-file",
                            "unsupported-format"})
UNMARKED_READERS = frozenset({"label-text"})  # never marks a row: its rows are not looked at for marks


@dataclass
class FileSummary:
    """The counts of one file's reading; :meth:`line` is its summary."""

    file: str
    reader: AnyReader | None = None
    kinds: Counter[str] = field(default_factory=Counter)
    variants: Counter[str] = field(default_factory=Counter)
    rows: int = 0
    guesses: int = 0
    missing: Counter[str] = field(default_factory=Counter)  # key of _MISSING_LABELS → tables lacking it
    severities: Counter[Severity] = field(default_factory=Counter)
    refusal: Diagnostic | None = None  # the file could not be read at all: why

    def add(self, result: ReadResult) -> None:
        for item in result.diagnostics:
            self.count_diagnostic(item)
        table = result.table
        if table is not None:
            self.add_table(table)

    def count_diagnostic(self, item: Diagnostic) -> None:
        self.severities[item.severity] += 1
        if item.code in _REFUSAL_CODES and self.refusal is None:
            self.refusal = item

    def add_table(self, table: AnyTable) -> None:
        self.kinds[table.kind] += 1
        self.rows += len(table.indicators)
        if table.project is None or not (table.project.name or table.project.code_text):
            self.missing["project"] += 1
        if isinstance(table, SelfEvaluationTable):
            self.variants[table.variant] += 1
            if table.budget is None:
                self.missing["budget"] += 1
            if table.cut_off:
                self.missing["cut_off"] += 1
        elif table.total_wan is None:
            self.missing["total_wan"] += 1
        if table.ambiguous:
            self.guesses += len(table.ambiguous)
        if self.reader is None or self.reader.name not in UNMARKED_READERS:
            self.guesses += sum(len(row.ambiguous) for row in table.indicators if row.ambiguous)

    def add_counts(self, tables: int, rows: int, diagnostics: tuple[Diagnostic, ...],
                   missing: Mapping[str, int]) -> None:
        """Tables read and encoded elsewhere (``jixiao parse``'s child processes, which count what they lack the
        same way): target tables of the 重庆 layout."""
        self.kinds["target"] += tables
        self.rows += rows
        self.missing.update(missing)
        for item in diagnostics:
            self.count_diagnostic(item)

    @property
    def tables(self) -> int:
        return sum(self.kinds.values())

    def confidence(self) -> str:
        """高: a known layout read without a warning; 中: read with warnings; 低: the layout-independent reader
        (no known layout) or errors."""
        if self.severities[Severity.ERROR] or (self.reader is not None and self.reader.name == FALLBACK_READER):
            return "低"
        return "中" if self.severities[Severity.WARNING] or self.guesses else "高"

    def line(self) -> str:
        """``seed.txt：绩效目标表 9 张 · 读取器 label-text（…） · 把握高 · 指标 36 行``, then what was guessed and
        what is missing when anything was; a file without a table says so (and why, when a reader said)."""
        if not self.tables:
            if self.refusal is not None:
                return f"{self.file}：未能读取：{self.refusal.message}"
            return f"{self.file}：{NOT_A_TABLE}（没有读出任何指标表）"
        parts = [f"{self.file}：{self._kinds()}", self._layout(), f"把握{self.confidence()}", f"指标 {self.rows} 行"]
        if self.guesses:
            parts.append(f"推断 {self.guesses} 处（已标记，见下）")
        if self.missing:
            parts.append("缺" + "、".join(f"{_MISSING_LABELS[key]}（{count}）" for key, count in self.missing.items()))
        return " · ".join(parts)

    def _kinds(self) -> str:
        shown = []
        for kind, count in self.kinds.items():
            part = f"{KIND_LABELS[kind]} {count} 张"
            if kind == "self_evaluation" and self.variants:
                variants = "、".join(f"{VARIANT_LABELS.get(v, v)} {n} 张" for v, n in self.variants.items())
                part += f"（表样：{variants}）"
            shown.append(part)
        return "、".join(shown)

    def _layout(self) -> str:
        reader = self.reader
        return f"读取器 {reader.name}（{reader.title}）" if reader is not None else "读取器未知"


def summarise(file: str, results: list[ReadResult], reader: AnyReader | None = None) -> FileSummary:
    """The summary of a file already read whole (an import)."""
    summary = FileSummary(file, reader)
    for result in results:
        summary.add(result)
    return summary
