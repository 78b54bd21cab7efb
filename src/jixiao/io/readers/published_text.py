"""Reader for the published text layout of the 重庆 seed.

One file holds many tables. Each starts with a title (绩效目标表), then ``标签：值``
header lines (values may wrap onto following lines), then a tab- or space-separated
indicator table under a header row (一级指标 二级指标 三级指标 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.table_builder import TableBuilder

# Header labels after width folding and space/parenthesis removal → field identifier.
_LABELS: dict[str, str] = {
    "单位信息": "unit",
    "预算单位": "unit",
    "单位名称": "unit",
    "预算项目": "project",
    "项目名称": "project",
    "职能职责与活动": "function",
    "主管部门": "department",
    "项目经办人": "contact_person",
    "项目负责人": "contact_person",
    "项目经办人电话": "contact_phone",
    "经办人电话": "contact_phone",
    "联系电话": "contact_phone",
    "项目总额": "total_wan",
    "项目总金额": "total_wan",
    "预算执行率权重": "execution_weight",
    "执行率权重": "execution_weight",
    "财政资金": "fiscal",
    "财政专户管理资金": "special_account",
    "单位资金": "unit_own",
    "社会投入资金": "social",
    "银行贷款": "bank_loan",
    "年度目标": "annual_goal",
    "年度绩效目标": "annual_goal",
}
_PARENS_RE = re.compile(r"\([^)]*\)")
_SPACE_SPLIT_RE = re.compile(r"[ ]{2,}")
_ANY_SPACE_RE = re.compile(r"[ ]+")


def _match_label(folded: str) -> tuple[str, int] | None:
    """Return (field, offset of the value) when the line is a ``标签：值`` line."""
    colon = folded.find(":")
    if colon <= 0 or colon > 24:
        return None
    label = folded[:colon].replace(" ", "")
    offset = colon + 1
    if label == "其中":  # 其中：财政资金：15.00 万元
        second = folded.find(":", offset)
        if second < 0:
            return None
        label, offset = folded[offset:second].replace(" ", ""), second + 1
    field = _LABELS.get(label) or _LABELS.get(_PARENS_RE.sub("", label))
    return (field, offset) if field else None


def _is_title(folded: str) -> bool:
    compact = folded.replace(" ", "")
    return compact.endswith("绩效目标表") and len(compact) <= 40 and ":" not in compact


def _is_indicator_header(folded: str) -> bool:
    return "一级指标" in folded and "三级指标" in folded


def split_cells(text: str) -> list[str]:
    """Split a row on tabs, or on runs of spaces when the export used spaces."""
    if "\t" in text:
        cells = [cell.strip() for cell in text.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        return cells
    stripped = text.strip()
    cells = _SPACE_SPLIT_RE.split(stripped)
    return cells if len(cells) > 1 else _ANY_SPACE_RE.split(stripped)


class PublishedTextReader:
    name = "published-text"
    title = "公开文本版式（重庆长寿区样式：标签：值 + 制表符指标表）"

    def sniff(self, head: str) -> float:
        folded = fold_width(head)
        hits = sum(label + ":" in folded for label in ("单位信息", "预算项目", "项目总额", "年度目标"))
        header = 1 if ("一级指标" in folded and "指标方向性" in folded) else 0
        return min(1.0, (hits + header) / 4)

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        builder: TableBuilder | None = None
        state = "outside"  # outside | header | indicators
        last_field: str | None = None
        stray: list[Line] = []
        tables_seen = 0

        def finish() -> ReadResult | None:
            nonlocal builder, tables_seen
            if builder is None:
                return None
            if builder.is_empty():
                result = ReadResult(None, (Diagnostic(
                    "empty-table", Severity.WARNING,
                    "标题“绩效目标表”之后没有任何表头或指标内容", source, builder.line),))
                builder = None
                return result
            result = builder.build()
            builder = None
            tables_seen += 1
            return result

        for number, raw in lines:
            line = strip_invisible(raw)
            folded = fold_width(line).strip()
            if not folded:
                continue
            if _is_title(folded):
                done = finish()
                if done:
                    yield done
                builder, state, last_field = TableBuilder(source, number), "header", None
                continue
            label = _match_label(folded)
            if label is not None:
                field, offset = label
                if builder is None or builder.has(field):
                    done = finish()
                    if done:
                        yield done
                    builder = TableBuilder(source, number)
                builder.set(field, _value_after(line, offset), number)
                state, last_field = "header", field
                continue
            if _is_indicator_header(folded):
                if builder is None:
                    builder = TableBuilder(source, number)
                builder.set_columns(split_cells(line), number)
                state, last_field = "indicators", None
                continue
            if builder is None:
                stray.append((number, line.strip()))
                continue
            if state == "indicators":
                builder.add_row(split_cells(line), number, line.strip())
            elif last_field is not None:
                builder.extend(last_field, line.strip(), number)
            else:
                builder.note_stray(number, line.strip())
        done = finish()
        if done:
            yield done
        if stray or tables_seen == 0:
            yield ReadResult(None, tuple(_outside_diagnostics(source, stray, tables_seen)))


def _value_after(line: str, folded_offset: int) -> str:
    """The value part of a label line, sliced from the original (unfolded) text."""
    stripped = line.strip()
    # fold_width keeps length, and ``folded`` was stripped the same way
    return stripped[folded_offset:]


def _outside_diagnostics(source: str, stray: list[Line], tables_seen: int) -> Iterator[Diagnostic]:
    for number, text in stray:
        yield Diagnostic(
            "stray-line",
            Severity.INFO,
            f"不属于任何绩效目标表的文字，未读入：“{_clip(text)}”",
            source,
            number,
        )
    if tables_seen == 0:
        yield Diagnostic(
            "no-table",
            Severity.ERROR,
            "没有找到绩效目标表：应有“单位信息：”“预算项目：”等表头行和“一级指标…”指标表",
            source,
        )


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

