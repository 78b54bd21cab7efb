"""The text reader's shortcut (chunks of lines, one regex per table) reads what the line-by-line grammar reads."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest
from bench.generate import iter_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io.encoding import open_text
from jixiao.io.readers import label_value_text as published_text
from jixiao.io.readers.base import ReadResult
from jixiao.io.reading import read_text

ODD_LINES = ["", "  ", "\ufeff", "\u200b单位信息：x", "：", "绩效目标表", "  绩效目标表 ", "单位信息：重复",
             "一级指标\t二级指标\t三级指标", "产出指标  数量指标  人数  ≥  1  人  10  10  正向指标",
             "产出指标\t数量指标\t人数", "年度目标：另一段", "其中：财政资金：1.00 万元", "不属于任何表的文字",
             # rows of the indicator table that the shortcut must not take as standard rows
             "\x0c产出指标\t数量指标\t人数\t≥\t1\t1\t1\t人\t10\t10\t正向指标", "\t" * 10 + "正向指标",
             "产出指标\t数量指标\t人数\t≥\t1\t1\t1\t人\t10\t10\t正向指标\t多余", "\t" * 10,
             "产出指标\t数量指标\t人数\t≥\t1\t1\t1\t人\t10\t10\t正向指标\x0b", "成本指标\t\t\t\t\t\t\t\t\t\t\x85",
             "产出指标\t数量指标\t人数\t＝\t1\t1\t1\t人\t十\t10\t正向指标"]


@cache
def corpus() -> str:
    return "\n".join(text for _, text in iter_tables(60, seed=7)) + "\n"


def _key(results: list[ReadResult]) -> list[Any]:
    return [(r.table, None if r.table is None else (r.table.source, dict(r.table.field_lines),
                                                    [i.line for i in r.table.indicators]), r.diagnostics)
            for r in results]


def _line_by_line(text: str) -> list[ReadResult]:
    """The lines as read_stream hands them to a reader (decoded the same way), each taken by _Walk."""
    walk = published_text._Walk("<输入>")
    results = []
    lines, _encoding = open_text(io.BytesIO(text.encode("utf-8")))
    for number, raw in enumerate(lines, start=1):
        done = walk.line(number, raw)
        if done is not None:
            results.append(done)
    return [*results, *walk.end()]


@pytest.mark.parametrize("chunk", [7, 64, 4096])
def test_the_generated_corpus_reads_the_same_both_ways(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_text, "_CHUNK_LINES", chunk)
    fast = read_text(corpus())
    assert len([r for r in fast if r.table is not None]) == 60
    assert _key(fast) == _key(_line_by_line(corpus()))


def test_the_shortcut_is_taken_for_the_published_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    original = published_text._standard_table

    def spy(*args: Any) -> Any:
        done = original(*args)
        taken.append(done is not None)
        return done

    monkeypatch.setattr(published_text, "_standard_table", spy)
    read_text(corpus())
    assert len(taken) == 60 and all(taken)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_text_reads_the_same_both_ways(data: st.DataObject) -> None:
    lines = corpus().split("\n")[: data.draw(st.integers(20, 600))]
    for _ in range(data.draw(st.integers(0, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        odd = data.draw(st.sampled_from(ODD_LINES))
        how = data.draw(st.sampled_from(["insert", "replace", "append", "prepend", "delete"]))
        if how == "insert":
            lines.insert(index, odd)
        elif how == "replace":
            lines[index] = odd
        elif how == "append":
            lines[index] += odd
        elif how == "prepend":
            lines[index] = odd + lines[index]
        elif len(lines) > 1:
            del lines[index]
    text = "\n".join(lines) + data.draw(st.sampled_from(["", "\n"]))
    published_text._CHUNK_LINES = data.draw(st.sampled_from([5, 40, 4096]))
    try:
        assert _key(read_text(text)) == _key(_line_by_line(text))
    finally:
        published_text._CHUNK_LINES = 4096


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_text_in_blocks_cut_anywhere_reads_as_its_lines(data: st.DataObject) -> None:
    lines = corpus().split("\n")[: data.draw(st.integers(1, 400))]
    for _ in range(data.draw(st.integers(0, 3))):
        lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.sampled_from(ODD_LINES)))
    text = "\n".join(lines) + data.draw(st.sampled_from(["", "\n"]))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    blocks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    reader = published_text.LabelValueTextReader()
    by_blocks = list(reader.read_text_blocks(blocks, "<输入>"))
    *whole, last = text.split("\n")
    numbered = list(enumerate([line + "\n" for line in whole] + ([last] if last else []), start=1))
    walk = published_text._Walk("<输入>")
    reference = [done for number, raw in numbered if (done := walk.line(number, raw)) is not None]
    assert _key(by_blocks) == _key([*reference, *walk.end()])
    assert _key(list(reader.read(numbered, "<输入>"))) == _key(by_blocks)


def test_both_header_spellings_of_the_shortcut_are_the_standard_columns() -> None:
    from jixiao.domain.labels import INDICATOR_FIELDS
    from jixiao.io.readers.table_builder import TableBuilder

    header = published_text._STANDARD_HEADER
    for spelling in (header, header.replace("本年权重", "本权重")):
        assert published_text._BLOCK_RE.pattern.count(published_text.re.escape(spelling)) == 1
        builder = TableBuilder("<输入>", 1)
        builder.set_columns(spelling.split("\t"), 1)
        assert builder.columns == list(INDICATOR_FIELDS) and builder.standard_row is not None
        assert builder.diagnostics == []


@pytest.mark.parametrize("odd", ["\t" * 10 + "正向指标", "\t" * 10, "\x0c" + "\t" * 10 + "x", "产出指标\t" + "\t" * 10])
def test_a_row_blank_but_for_one_cell_reads_as_the_line_grammar_reads_it(odd: str) -> None:
    lines = corpus().split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("一级指标\t"))
    lines.insert(header + 2, odd)
    text = "\n".join(lines)
    assert _key(read_text(text)) == _key(_line_by_line(text))
