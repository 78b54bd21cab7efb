"""The funding block of a self-evaluation table in a grid: its heading row (年初预算数 … 得分) and its rows
(年度资金总额, 其中 …), the amounts in 万元 (a block printed in 元 converted exactly, with its one note) and a
rate stored as a fraction (an Excel percentage) read back as the percent the form shows.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.domain.selfeval_labels import FUNDING_COLUMN_LABELS
from jixiao.domain.selfeval_table import FundingRow
from jixiao.domain.text import fold_width, parse_decimal
from jixiao.io.readers import selfeval_vocabulary as vocabulary
from jixiao.io.readers import selfeval_words as words
from jixiao.io.readers.selfeval_grid_cells import GridState, Row, label_of
from jixiao.io.readers.selfeval_shared import yuan_message, yuan_to_wan
from jixiao.io.readers.selfeval_wording import amount_in_yuan

YUAN_RE = re.compile(r"[(（]\s*元\s*[)）]")


class FundingBlock(GridState):
    """Reads the funding block's heading and rows into ``budget`` and ``funding_rows``."""

    # -- the funding block ------------------------------------------------------------------------------
    def _funding_header(self, row: Row) -> None:
        self.fund_cols = {}
        for index, text in row.filled():
            field = words.funding_column(text)
            if field is not None and field not in self.fund_cols.values():
                self.fund_cols[index] = field
            self.yuan = self.yuan or bool(YUAN_RE.search(fold_width(text)))
        self.field_lines.setdefault("budget", row.number)

    def _funding_row(self, row: Row, columns: dict[int, str] | None = None) -> bool:
        """A row of the block under its heading (or, without one, under the form's columns in their order)."""
        columns = columns or self.fund_cols
        assert columns is not None
        first_column = min(columns)
        found: tuple[str, Any] | None = None
        label_at = None
        for index in range(min(first_column, len(row.texts)) - 1, -1, -1):
            text = row.texts[index]
            if not text:
                continue
            found, label_at = words.funding_label(text), index
            if found is not None or not words.is_funding_block(text):
                break
        if found is None and label_at is not None and _other_row(row, label_at, first_column):
            found = (row.texts[label_at].rstrip(":："), None)  # "中央补助资金 | 5.00 | 5.00 | …": a row of its own
        if found is None:  # the block's label alone (a continued merged cell) is still the block
            return any(words.is_funding_block(t) for t in row.texts[:first_column])
        label, key = found
        self.yuan = self.yuan or any(words.is_funding_block(t) and YUAN_RE.search(fold_width(t))
                                     for t in row.texts[:first_column])
        amounts: dict[str, Decimal | None] = {}
        for index, field in columns.items():
            amounts[field] = self._funding_value(row, index, field, label)
        self._yuan_note(row, label, amounts, columns)
        rate_at = next((i for i, f in columns.items() if f == "execution_rate"), None)
        if rate_at is not None and rate_at < len(row.texts) and "%" not in fold_width(row.texts[rate_at]):
            amounts = self._rate_as_percent(amounts)  # a rate printed without its % sign
        funding = FundingRow(key, label, line=row.number, **amounts)
        if key == "total" and self.budget is None:
            self.budget = funding
        else:
            self.funding_rows.append(funding)
        return True

    def _yuan_note(self, row: Row, label: str, amounts: dict[str, Decimal | None], columns: dict[int, str]) -> None:
        """The amount-in-yuan note, as every reader gives it, when the row's amounts were converted."""
        if not self.yuan:
            return
        converted: list[tuple[int, str, Decimal]] = []
        for index, field in sorted(columns.items()):
            wan = amounts.get(field)
            if field.endswith("_wan") and wan is not None:
                converted.append((index, self._raw(row, index), wan))
        if converted:
            message = yuan_message(label, [(text, wan) for _, text, wan in converted])
            self.tell(amount_in_yuan(message), row, converted[0][0])

    def _funding_value(self, row: Row, index: int, field: str, label: str) -> Decimal | None:
        if index >= len(row.texts):
            return None
        text = self._raw(row, index)
        if self._blank_figure(text):
            return None
        where = f"{label}·{FUNDING_COLUMN_LABELS[field]}"  # 年度资金总额·全年执行数
        expected = self.wording.expected
        if field == "execution_rate":
            return self._number(text.rstrip().removesuffix("%").removesuffix("％"), where, row, index,
                                expected("rate"), original=text)
        if field in ("execution_weight", "execution_score"):
            return self._number(text.rstrip().removesuffix("分"), where, row, index, expected("points"), original=text)
        number = self._number(text.rstrip().removesuffix("万元").removesuffix("元").rstrip(), where, row, index,
                              expected("money", self.yuan), original=text)
        return yuan_to_wan(number) if number is not None and self.yuan else number

    @staticmethod
    def _rate_as_percent(amounts: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
        """A rate stored as a fraction (an Excel number shown as 95%) back to the percent the form shows."""
        rate, adjusted, spent = amounts.get("execution_rate"), amounts.get("adjusted_wan"), amounts.get("spent_wan")
        if rate is None or rate > 1 or not adjusted or spent is None:
            return amounts
        if abs(spent / adjusted - rate) < Decimal("0.005") and abs(spent / adjusted * 100 - rate) >= Decimal("0.5"):
            amounts["execution_rate"] = rate * 100
        return amounts


def default_columns(start: int) -> dict[int, str]:
    """The form's funding columns in their printed order after a row label at ``start`` (no heading row read)."""
    return dict(enumerate(FUNDING_COLUMN_LABELS, start + 1))


def _other_row(row: Row, label_at: int, first_column: int) -> bool:
    """A funding row under a label of its own ("中央补助资金 | 5.00 | 5.00 | …"): text that is no label of the
    form, then figures only."""
    label = row.texts[label_at]
    if label_of(label)[0] is not None or words.is_placeholder(label) or parse_decimal(label) is not None:
        return False
    figures = [t for t in row.texts[first_column:] if t and not words.is_placeholder(t)
               and t not in vocabulary.BLANK_WORDS]
    return bool(figures) and all(parse_decimal(fold_width(t).rstrip().rstrip("%")) is not None for t in figures)
