"""What the self-evaluation row grammar says about a table, in the words each family of files has always used.

One grammar (:mod:`selfeval_grid`) reads the form from rows of cells, whether they come from a text file
(jixiao's text form, tab- or ``|``-separated) or from a grid (xlsx, docx, PDF, HTML). Their diagnostics were
published with different codes (``stray-line`` for a text line, ``selfeval-stray-row`` for a sheet row) and
wordings, and codes are stable: so the grammar tells *what* happened and a :class:`Wording` says it, by family.
Text has three checks grids have never had (an operator outside the known ones, cells past the last column, a
form without its 年度资金总额 row); a grid names a cell (``Sheet1!F12``), a text line names the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain import Diagnostic, Severity

Said = tuple[str, Severity, str]  # (code, severity, message)


def diagnostic(said: Said, source: str, line: int | None, column: str | None = None,
               cell: str | None = None) -> Diagnostic:
    """The diagnostic of what a :class:`Wording` said, at its place."""
    code, severity, message = said
    return Diagnostic(code, severity, message, source, line, column, cell)


def amount_in_yuan(message: str) -> Said:
    return ("amount-in-yuan", Severity.INFO, message)


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Wording:
    """The codes and messages of one family of files (see the module docstring)."""

    text: bool  # text lines: the stricter checks, and messages in the text form's wording

    @property
    def splits_target(self) -> bool:
        """Whether a 年度指标值 without 指标性质/度量单位 columns is taken apart ("≥95%" → ≥, 95, %): a sheet
        prints them in the one cell; the text form leaves empty columns out and keeps the target as written."""
        return not self.text

    # -- rows -------------------------------------------------------------------------------------------
    def stray_row(self, cells: list[str], before_indicators: bool) -> Said:
        if not self.text:
            return ("selfeval-stray-row", Severity.WARNING, f"自评表中无法识别的行，未读入：“{clip('｜'.join(cells))}”")
        shown = " ".join(cells)[:60]
        if before_indicators and len(cells) >= 4:
            return ("row-without-header", Severity.ERROR, f"指标行出现在指标表头之前，未读入：“{shown}”")
        return ("stray-line", Severity.WARNING, f"无法识别的行，未读入：“{shown}”")

    def unknown_column(self, index: int, cell: str, duplicate: bool) -> Said:
        if not self.text:
            return ("selfeval-unknown-column", Severity.WARNING,
                    f"指标表第{index + 1}列“{clip(cell, 20)}”未识别，该列内容不读入")
        what = "重复的列" if duplicate else "未识别的列"
        return ("unknown-column", Severity.WARNING, f"指标表第{index + 1}列“{cell}”是{what}，该列内容不读入")

    def extra_cells(self, count: int, columns: int, extra: list[str]) -> Said | None:
        if not self.text:
            return None
        return ("row-extra-cells", Severity.ERROR,
                f"该行有{count}个单元格，指标表只有{columns}列；多出的“{' '.join(extra)[:40]}”未读入")

    def unknown_operator(self, operator: str) -> Said | None:
        if not self.text:
            return None
        return ("unknown-operator", Severity.WARNING,
                f"指标性质“{operator}”不是 ≥、＞、=、＜、≤、定性 之一，按原文保留")

    def orphan_subrow(self, name: str) -> Said:
        shown = name if self.text else clip(name, 30)
        return ("selfeval-orphan-subrow", Severity.WARNING,
                f"“其中”行“{shown}”之前没有它所属的三级指标，按普通指标读入")

    # -- cells ------------------------------------------------------------------------------------------
    def indicator_place(self, name: str | None, number: int, field_label: str) -> tuple[str, str]:
        """(the field's name in a message, the place before it) for an indicator's cell."""
        if self.text:
            return (f"三级指标“{name}”的{field_label}" if name else f"第{number}个指标的{field_label}"), ""
        return field_label, (f"{clip(name, 20)}·" if name else f"第{number}个指标·")

    def expected(self, kind: str, in_yuan: bool = False) -> str:
        """What a number cell should hold: money, rate, points, total, year."""
        if kind == "money" and in_yuan:
            kind = "money_yuan"
        return (_TEXT_EXPECTED if self.text else _GRID_EXPECTED)[kind]

    def bad_number(self, label: str, expected: str, shown: str, place: str = "") -> Said:
        shown = shown if self.text else clip(shown, 30)
        return ("selfeval-bad-number", Severity.ERROR, f"“{place}{label}”应为{expected}，实际为“{shown}”，该值未读入")

    def bad_block_weight(self, cell: str) -> Said:
        if self.text:
            return self.bad_number("一级指标分值", "括号中的分数（如“产出指标(50分)”）", cell)
        return ("selfeval-bad-block-weight", Severity.WARNING,
                f"一级指标“{clip(cell, 20)}”中的分值不是数字，未读入（应如“产出指标(50分)”）")

    # -- the table --------------------------------------------------------------------------------------
    def empty_table(self, title: str | None) -> Said | None:
        """A title and nothing of the form after it (text: only a title says a table was there)."""
        if self.text:
            if title is None:
                return None
            return ("empty-table", Severity.WARNING, "标题“项目支出绩效自评表”之后没有任何内容")
        return ("selfeval-empty", Severity.WARNING, f"标题“{title or '绩效自评表'}”之后没有自评表的内容")

    def no_indicator_table(self) -> Said:
        if self.text:
            return ("no-indicator-table", Severity.ERROR,
                    "没有找到绩效指标表（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）")
        return ("selfeval-no-indicators", Severity.ERROR,
                "自评表中没有找到绩效指标（应有“一级指标 二级指标 三级指标 … 实际完成值 … 得分”表头行）")

    def empty_indicator_table(self) -> Said:
        if self.text:
            return ("empty-indicator-table", Severity.WARNING, "指标表没有任何指标行")
        return ("selfeval-empty-indicators", Severity.WARNING, "绩效指标表没有任何指标行")

    def no_budget_row(self) -> Said | None:
        return ("missing-field", Severity.WARNING, "表头缺少“年度资金总额”行") if self.text else None


_TEXT_EXPECTED = {"money": "以万元为单位的金额（如 15.00）", "money_yuan": "以元为单位的金额（如 387664.62）",
                  "rate": "百分比（如 98.50%）", "points": "分数（如 20 或 9.5）", "total": "分数（如 96.5）",
                  "year": "四位数的年份（如 2022）"}
_GRID_EXPECTED = {"money": "以万元计的数字，如 15.00", "money_yuan": "以元计的数字，如 15.00",
                  "rate": "百分比，如 98.50%", "points": "数字，如 10", "total": "数字，如 96.5",
                  "year": "四位数的年份，如 2022"}
TEXT = Wording(text=True)
GRID = Wording(text=False)
