"""Reader for the published text layout of the 重庆 seed.

One file holds many tables. Each starts with a title (绩效目标表), then ``标签：值``
header lines (values may wrap onto following lines), then a tab- or space-separated
indicator table under a header row (一级指标 二级指标 三级指标 …).

The loop below runs once per line of files with 100,000s of tables, so each line is
classified with cheap substring tests on its first characters; width folding is
applied to short prefixes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from jixiao.domain import Diagnostic, Severity, parse_direction, parse_operator
from jixiao.domain.text import fold_width, strip_invisible
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.table_builder import TableBuilder

# Header labels (width-folded, without spaces or bracketed notes) → field identifier.
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
_LABEL_SPAN = 28  # a label and its colon sit within the first characters of a line
_PARENS_RE = re.compile(r"\([^)]*\)")
_SPACE_SPLIT_RE = re.compile(r"[ \u3000]{2,}")
_ANY_SPACE_RE = re.compile(r"[ \u3000]+")


@lru_cache(maxsize=512)
def _label_field(label: str) -> str | None:
    key = label.replace(" ", "")
    return _LABELS.get(key) or _LABELS.get(_PARENS_RE.sub("", key))


def label_field(label: str) -> str | None:
    """The field a header label names ("项目总额", "项目总额(万元)": width-folded), for other layouts too."""
    return _label_field(label)


def _match_label(text: str) -> tuple[str, int] | None:
    """(field, offset of the value) when ``text`` is a ``标签：值`` line, else ``None``."""
    colon = text.find("：", 0, _LABEL_SPAN)
    if colon > 0:
        label = text[:colon]
        field = _LABELS.get(label)  # the common case: a plain label, full-width colon
        if field is not None:
            return field, colon + 1
        if label == "其中":  # 其中：财政资金：15.00 万元
            second = text.find("：", colon + 1, _LABEL_SPAN)
            field = _LABELS.get(text[colon + 1:second]) if second > 0 else None
            if field is not None:
                return field, second + 1
    elif ":" not in text[:_LABEL_SPAN]:
        return None  # no colon at all: prose, a row or a wrapped value
    head = fold_width(text[:_LABEL_SPAN])
    colon = head.find(":")
    if colon <= 0:
        return None
    label, offset = head[:colon], colon + 1
    if label.strip() == "其中":  # 其中：财政资金：15.00 万元
        second = head.find(":", offset)
        if second < 0:
            return None
        label, offset = head[offset:second], second + 1
    field = _label_field(label)
    return (field, offset) if field else None


def _is_title(text: str) -> bool:
    return (len(text) <= 40 and text.endswith("绩效目标表")
            and ":" not in text and "：" not in text)


def split_cells(text: str) -> list[str]:
    """Split a row on tabs (blank cells kept), or on runs of spaces when the export used spaces."""
    if "\t" in text:
        cells = text.split("\t")
        if " " in text or "\u3000" in text or "\xa0" in text:
            cells = [cell.strip() for cell in cells]
        return cells
    text = text.strip()
    cells = _SPACE_SPLIT_RE.split(text)
    return cells if len(cells) > 1 else _ANY_SPACE_RE.split(text)


def _looks_like_row(text: str) -> bool:
    """An indicator row outside an indicator table (before its header, or with none)."""
    if text.count("\t") >= 4:
        return True
    cells = _SPACE_SPLIT_RE.split(text)
    return len(cells) >= 5 and any(
        parse_direction(cell) is not None or parse_operator(cell) is not None for cell in cells)


class PublishedTextReader:
    name = "published-text"
    title = "公开文本版式（重庆长寿区样式：标签：值 + 制表符指标表）"

    def sniff(self, head: str) -> float:
        folded = fold_width(head)
        labels = ("单位信息", "预算项目", "项目总额", "年度目标")
        hits = sum(label + ":" in folded for label in labels)
        header = 1 if ("一级指标" in folded and "指标方向性" in folded) else 0
        return min(1.0, (hits + header) / 4)

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        # Lines are gathered a table at a time (title to title, blank lines dropped). A block in
        # the published shape is read at once by _read_block; any other block goes line by line
        # through _Walk, which holds the whole grammar. Both give the same tables and diagnostics.
        walk = _Walk(source)
        block: list[Line] = []
        for item in lines:
            raw = item[1]
            if raw == "\n":
                continue
            if "绩效目标表" in raw and block and _is_title(raw.strip()):
                yield from _read_block(block, walk)
                block = []
            block.append(item)
        if block:
            yield from _read_block(block, walk)
        yield from walk.end()


class _Walk:
    """The reader's state between lines: the table being built and what lies outside tables."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.builder: TableBuilder | None = None
        self.in_indicators = False
        self.last_field: str | None = None
        self.stray: list[Line] = []
        self.stray_notes: list[Diagnostic] = []
        self.tables_seen = 0

    def finish(self) -> ReadResult | None:
        """Close the table being built (a title or the end of the file follows)."""
        builder, self.builder = self.builder, None
        if builder is None:
            return None
        self.tables_seen += builder.counts_as_table()
        return builder.finish()

    def line(self, number: int, raw: str) -> ReadResult | None:
        """Take one line; return the table it completes, if any."""
        text = raw.strip()
        if not text:
            return None
        source, builder = self.source, self.builder
        if "\ufffd" in text or "\ufeff" in text or "\u200b" in text:
            text = strip_invisible(text).strip()
            if "\ufffd" in text:
                note = _undecodable(source, number)
                (builder.diagnostics.append(note) if builder else self.stray_notes.append(note))
        if len(text) <= 40 and text.endswith("绩效目标表") and _is_title(text):
            done = self.finish()
            self.builder, self.in_indicators, self.last_field = TableBuilder(source, number), False, None
            return done
        if self.in_indicators is False or "\t" not in text:
            label = _match_label(text)
            if label is not None:
                field, offset = label
                done = None
                if builder is None or builder.has(field):
                    done = self.finish()
                    builder = self.builder = TableBuilder(source, number)
                builder.set(field, text[offset:], number)
                self.in_indicators, self.last_field = False, field
                return done
        if "一级指标" in text and "三级指标" in text:
            if builder is None:
                builder = self.builder = TableBuilder(source, number)
            builder.set_columns(split_cells(text), number)
            self.in_indicators, self.last_field = True, None
            return None
        if builder is None:
            self.stray.append((number, text))
        elif self.in_indicators or _looks_like_row(text):
            # Tab rows are split before stripping, so a blank first or last cell survives.
            row = raw.rstrip("\r\n") if "\t" in raw else text
            if row is not text and ("\ufeff" in row or "\u200b" in row):
                row = strip_invisible(row)
            builder.add_row(split_cells(row), number, text)  # reports a row before the header
            self.last_field = None
        elif self.last_field is not None:
            builder.extend(self.last_field, text)
        else:
            builder.note_stray(number, text)
        return None

    def end(self) -> Iterator[ReadResult]:
        done = self.finish()
        if done is not None:
            yield done
        if self.stray or self.stray_notes or self.tables_seen == 0:
            notes = (*self.stray_notes, *_outside_diagnostics(self.source, self.stray, self.tables_seen))
            yield ReadResult(None, notes)


# The published shape (writers/published_text.format_table): the title, the header fields in this
# order each on a "标签：值" line (a value may wrap onto more lines), then the indicator header row.
_BLOCK_FIELDS: tuple[tuple[str, str], ...] = (
    ("单位信息", "unit"), ("预算项目", "project"), ("职能职责与活动", "function"), ("主管部门", "department"),
    ("项目经办人", "contact_person"), ("项目总额", "total_wan"), ("预算执行率权重", "execution_weight"),
    ("项目经办人电话", "contact_phone"), ("其中：财政资金", "fiscal"), ("年度目标", "annual_goal"),
    ("财政专户管理资金", "special_account"), ("单位资金", "unit_own"), ("社会投入资金", "social"),
    ("银行贷款", "bank_loan"),
)
_STANDARD_HEADER = "一级指标\t二级指标\t三级指标\t指标性质\t历史参考值\t指标值\t本年指标值\t度量单位\t权重(%)\t本年权重(%)\t指标方向性"
_BLOCK_RE = re.compile(
    "[^\n]*\n"  # the title
    + "".join(f"{re.escape(label)}：([^\n]*)\n((?:[^\n]*\n)*?)" for label, _ in _BLOCK_FIELDS)
    + "(" + re.escape(_STANDARD_HEADER) + "|" + re.escape(_STANDARD_HEADER.replace("本年权重", "本权重")) + ")\n"
)


def _read_block(block: list[Line], walk: _Walk) -> Iterator[ReadResult]:
    """Read one table's lines (blank lines dropped), at once when they have the published shape."""
    built = _standard_block(block, walk) if _is_title(block[0][1].strip()) else None
    if built is None:
        for number, raw in block:
            done = walk.line(number, raw)
            if done is not None:
                yield done
        return
    if built is not True:
        yield built


def _standard_block(block: list[Line], walk: _Walk) -> ReadResult | bool | None:
    """Read a title's block as _Walk would; ``None`` (nothing done) when it is not in the published shape.

    Returns the previous table (which the title closes), or ``True`` when there was none.
    """
    text = "".join([raw for _, raw in block])
    if ("\ufffd" in text or "\ufeff" in text or "\u200b" in text or "\r" in text
            or text.count("\n") != len(block)):
        return None
    match = _BLOCK_RE.match(text)
    if match is None:
        return None
    groups = match.groups()
    # Wrapped values and the rows must be what _Walk would take them for, or the block goes line by line.
    for position in range(1, 28, 2):
        wrapped = groups[position]
        if wrapped:
            for line in wrapped.split("\n")[:-1]:
                line = line.strip()
                if line and (_match_label(line) is not None or ("一级指标" in line and "三级指标" in line)
                             or _looks_like_row(line)):
                    return None
    header_at = text.count("\n", 0, match.end()) - 1
    rows: list[tuple[int, str, str]] = []
    for number, raw in block[header_at + 1:]:
        line = raw.strip()
        if not line:
            continue
        if "一级指标" in line and "三级指标" in line:
            return None
        if "\t" in line:
            rows.append((number, raw.rstrip("\n"), line))
        elif _match_label(line) is not None:
            return None
        else:
            rows.append((number, line, line))
    done = walk.finish()
    source = walk.source
    builder = TableBuilder(source, block[0][0])
    values, lines = builder.values, builder.value_lines
    index = 1
    for position, (_, field) in enumerate(_BLOCK_FIELDS):
        values[field] = groups[2 * position].strip()
        lines[field] = block[index][0]
        index += 1
        wrapped = groups[2 * position + 1]
        if wrapped:
            for line in wrapped.split("\n")[:-1]:
                index += 1
                line = line.strip()
                if line:
                    builder.extend(field, line)
    builder.set_columns(groups[28].split("\t"), block[header_at][0])
    add_row = builder.add_row
    for number, row, line in rows:
        add_row(split_cells(row), number, line)
    walk.builder, walk.in_indicators, walk.last_field = builder, True, None
    return True if done is None else done


def _undecodable(source: str, number: int) -> Diagnostic:
    return Diagnostic("decode-error", Severity.ERROR,
                      "该行含有无法识别的字节（文件编码可能损坏或混用），已用“\ufffd”代替",
                      source, number)


def _outside_diagnostics(source: str, stray: list[Line], tables_seen: int) -> Iterator[Diagnostic]:
    for number, text in stray:
        shown = text if len(text) <= 60 else text[:59] + "…"
        yield Diagnostic("stray-line", Severity.INFO,
                         f"不属于任何绩效目标表的文字，未读入：“{shown}”", source, number)
    if tables_seen == 0:
        yield Diagnostic("no-table", Severity.ERROR,
                         "没有找到绩效目标表：应有“单位信息：”“预算项目：”等表头行和“一级指标…”指标表",
                         source)
