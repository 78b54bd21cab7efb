"""The rows of a published self-evaluation the finance bureau re-scores (复核), and the checks of a 复核分.

The rows that count towards the 总分 are re-scored: the budget execution row (the first funding row that
prints a 分值 or 得分, normally 年度资金总额) and every indicator that is not a 其中 sub-row (a sub-row's points
are part of its parent's). A changed score needs a reason; a score is a number from 0 to the row's 分值 (to
100 where no 分值 is printed), with at most two decimals. Every refusal names the row and says what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.selfeval_table import SelfEvaluationTable
from jixiao.domain.text import format_decimal, parse_decimal

EXECUTION = "execution"
FULL_MARKS = Decimal(100)
CENTS = Decimal("0.01")
MAX_REASON = 2000


def score_text(value: Decimal | None) -> str | None:
    """A stored 复核分 as the reviewer wrote it ("20", "8.5"), whatever scale the database keeps it in."""
    return None if value is None else format(value.quantize(CENTS).normalize(), "f")


def total_text(value: Decimal | None) -> str | None:
    """A total with two decimals ("99.80")."""
    return None if value is None else format(value.quantize(CENTS), "f")


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # "execution" or "indicator-N" (N: the 0-based row of the table's indicators)
    label: str  # "第3行 · 产出指标/数量指标/…" or "预算执行率（年度资金总额）"
    weight: Decimal | None
    published: Decimal | None  # 得分 as published


def rows_of(table: SelfEvaluationTable) -> list[Row]:
    """The rows that count towards the total, execution first, in the published order."""
    found: list[Row] = []
    funding = next((row for row in (table.budget, *table.funding_rows)
                    if row is not None and (row.execution_weight is not None or row.execution_score is not None)),
                   None)
    if funding is not None:
        found.append(Row(EXECUTION, f"预算执行率（{funding.label or '年度资金总额'}）", funding.execution_weight,
                         funding.execution_score))
    for index, item in enumerate(table.indicators):
        if item.parent is not None:
            continue
        path = "/".join(part or "—" for part in (item.level1, item.level2, item.name))
        found.append(Row(f"indicator-{index}", f"第{index + 1}行 · {path}", item.weight, item.score))
    return found


def sub_row_message(table: SelfEvaluationTable, key: str) -> str | None:
    """Why ``key`` names a row that is not re-scored on its own (a 其中 sub-row), or ``None``."""
    if not key.startswith("indicator-") or not key[len("indicator-"):].isdigit():
        return None
    index = int(key[len("indicator-"):])
    if 0 <= index < len(table.indicators) and table.indicators[index].parent is not None:
        item = table.indicators[index]
        return f"第{index + 1}行“{item.name or ''}”是“{item.parent}”的其中项，其得分计入上级指标，不单独复核"
    return None


def published_total(table: SelfEvaluationTable) -> Decimal | None:
    """The 总分 as published, else the sum of the published row scores (``None`` when nothing is printed)."""
    if table.published_total_score is not None:
        return table.published_total_score
    scores = [row.published for row in rows_of(table) if row.published is not None]
    return sum(scores, Decimal(0)) if scores else None


def recheck_total(table: SelfEvaluationTable, rescored: Mapping[str, Decimal]) -> Decimal:
    """The 复核总分 (two decimals): each row's 复核分 where re-scored, else its published score (blank counts 0)."""
    total = sum((rescored.get(row.key, row.published or Decimal(0)) for row in rows_of(table)), Decimal(0))
    return total.quantize(CENTS)


@dataclass(frozen=True, slots=True)
class Entry:
    """One re-scored row as checked: the score, and its reason (``None`` when unchanged)."""

    row: Row
    score: Decimal
    reason: str | None

    @property
    def changed(self) -> bool:
        return self.row.published is None or self.score != self.row.published


def check_entry(row: Row, score_text: str | None, reason: str | None) -> tuple[Entry | None, str | None]:
    """The entry, or the Chinese reason it is refused (naming the row, the field and what was expected)."""
    text = (score_text or "").strip()
    if not text:
        return None, f"{row.label}：「复核分」未填写，应为 0 到 {format_decimal(row.weight or FULL_MARKS)} 之间的数字"
    score = parse_decimal(text)
    if score is None or not score.is_finite():
        return None, f"{row.label}：「复核分」应为数字（如 8.5），实际为“{text[:20]}”"
    if score < 0:
        return None, f"{row.label}：「复核分」不能为负数，实际为 {text}"
    limit = row.weight if row.weight is not None else FULL_MARKS
    if score > limit:
        what = f"该行分值 {format_decimal(row.weight)}" if row.weight is not None else f"满分 {FULL_MARKS}"
        return None, f"{row.label}：「复核分」{text} 超过{what}，应在 0 到 {format_decimal(limit)} 之间"
    if score.as_tuple().exponent < -2:  # type: ignore[operator]
        return None, f"{row.label}：「复核分」最多两位小数，实际为 {text}"
    said = (reason or "").strip() or None
    entry = Entry(row, score, said)
    if entry.changed and said is None:
        was = format_decimal(row.published) if row.published is not None else "空白"
        return None, f"{row.label}：复核分 {text} 与自评分 {was} 不同，必须填写「复核理由」"
    if said is not None and len(said) > MAX_REASON:
        return None, f"{row.label}：「复核理由」长 {len(said)} 个字符，最多 {MAX_REASON} 个字符"
    return entry, None
