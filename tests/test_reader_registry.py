"""One registry for every input: text layouts and binary formats sniffed, chosen and named alike.

Also the proof that a new layout is one module and one ``register`` line: a reader defined here is
registered and then chosen for its own files, by sniffing and by ``--reader``.
"""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

import openpyxl
import pytest

from jixiao.domain import Severity, TargetTable
from jixiao.io import registry
from jixiao.io.encoding import open_text
from jixiao.io.json_format import table_to_dict
from jixiao.io.limits import Limits
from jixiao.io.office.docx_writer import write_tables_docx
from jixiao.io.office.pdf_writer import write_tables_pdf
from jixiao.io.office.xlsx_reader import XlsxReader
from jixiao.io.office.xlsx_writer import write_tables_xlsx
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.label_value_text import LabelValueTextReader
from jixiao.io.readers.table_builder import TableBuilder
from jixiao.io.readers.vocabulary import BUILTIN
from jixiao.io.reading import read_bytes, read_path
from jixiao.io.writers.selfeval_text import format_selfeval
from jixiao.reports.selfeval_html import render_selfeval_html
from tests.test_cli import SEED, run
from tests.test_selfeval_json import sample as selfeval_sample
from tests.test_selfeval_renderers import policy as scoring_policy
from tests.test_selfeval_renderers import projects as scored_projects

REAL = Path(__file__).parent / "data" / "real"


def _seed() -> list[TargetTable]:
    return [r.table for r in read_path(SEED) if r.table is not None]


def _written(write: object, tables: list[TargetTable]) -> bytes:
    buffer = io.BytesIO()
    write(tables, buffer)  # type: ignore[operator]
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def samples() -> dict[str, bytes]:
    """One file of each registered reader's format (a reader registered without one fails below)."""
    seed = _seed()
    return {
        "json": json.dumps([table_to_dict(t) for t in seed], ensure_ascii=False).encode("utf-8"),
        "label-text": SEED.read_bytes(),
        "selfeval-text": format_selfeval(selfeval_sample()).encode("utf-8"),
        "xlsx": _written(write_tables_xlsx, seed),
        "docx": _written(write_tables_docx, seed[:2]),
        "pdf": _written(write_tables_pdf, seed[:1]),
        "selfeval-html": render_selfeval_html(scored_projects(), scoring_policy()).encode("utf-8"),
        "old-office": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
        "zip": _zip({"readme.txt": b"hello"}),
        # the self-evaluation layouts: real published tables (tests/data/real)
        "selfeval-pipe": (REAL / "036_yunnan_yongde_minglangzhongxue_yingyang_selfeval.txt").read_bytes(),
        "selfeval-cell-lines": (REAL / "003_sichuan_qingshen_fgj_gongzixing.txt").read_bytes(),
        "selfeval-words": (REAL / "001_chizhou_guichi_tangxi_weituoyewu.txt").read_bytes(),
        "selfeval-runon": (REAL / "020_hunan_hengshan_chubeiliang_zxzj_selfeval.txt").read_bytes(),
    }


def _scores(data: bytes) -> dict[str, float]:
    """Every reader's confidence, given what reading gives it: all the bytes of a binary file, or the head of text."""
    if registry.claimants(data[:8]):
        return {r.name: r.sniff(data, None) for r in registry.all_readers()}
    text, _encoding = open_text(io.BytesIO(data))
    head = "".join(itertools.islice(text, 80))
    return {r.name: r.sniff(data[:8], head) for r in registry.all_readers()}


def test_every_reader_has_a_unique_name_a_chinese_title_and_a_kind() -> None:
    readers = registry.all_readers()
    names = [r.name for r in readers]
    assert len(names) == len(set(names)) and names == registry.names()
    for reader in readers:
        assert reader.name.isascii() and reader.name == reader.name.strip() and reader.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reader.title), reader.name
        assert reader.kind in ("text", "binary")
        assert bool(reader.magic) == (reader.kind == "binary"), reader.name  # binary files are told by magic
        assert registry.by_name(reader.name) is reader
    assert registry.by_name("no-such-reader") is None


def test_a_second_reader_of_the_same_name_is_refused() -> None:
    with pytest.raises(ValueError, match="已有名为“xlsx”的读取器"):
        registry.register(XlsxReader())


def test_every_reader_sniffs_its_own_sample_best(samples: dict[str, bytes]) -> None:
    assert set(samples) | {registry.FALLBACK.name} == set(registry.names())
    for name, data in samples.items():
        scores = _scores(data)
        others = max(score for other, score in scores.items() if other != name)
        assert scores[name] > others, (name, scores)
        assert scores[name] >= registry.MIN_CONFIDENCE, (name, scores)


def test_the_fallback_is_registered_and_never_chosen_by_sniffing(samples: dict[str, bytes]) -> None:
    """The layout-independent reader runs after the chosen one (io/reading.py), never instead of it."""
    assert registry.by_name("any-layout") is registry.FALLBACK
    for data in samples.values():
        assert _scores(data)["any-layout"] == 0.0


def test_the_default_is_the_published_text_reader_and_explicit() -> None:
    assert registry.DEFAULT.name == "label-text" and isinstance(registry.DEFAULT, LabelValueTextReader)
    assert registry.by_name("label-text") is registry.DEFAULT
    assert registry.choose(b"abc", "一段无法识别的文字\n") is registry.DEFAULT  # no reader is sure: the default
    assert registry.choose(b"abc", "") is registry.DEFAULT
    assert registry.choose(b"\x00\x01", None) is None  # bytes no binary reader knows


def test_choose_takes_binary_readers_for_bytes_and_text_readers_for_text(samples: dict[str, bytes]) -> None:
    assert registry.choose(samples["xlsx"], None) is registry.by_name("xlsx")
    assert registry.choose(samples["docx"], None) is registry.by_name("docx")
    assert registry.choose(samples["pdf"], None) is registry.by_name("pdf")
    assert registry.choose(samples["zip"], None) is registry.by_name("zip")
    head = samples["json"][:2000].decode("utf-8", "ignore")
    assert registry.choose(samples["json"][:8], head) is registry.by_name("json")
    assert registry.choose(samples["xlsx"], "") is registry.DEFAULT  # given a head, only text readers count


def test_sniffing_imports_no_heavy_library(tmp_path: Path) -> None:
    code = ("import sys; from jixiao.io import registry; from jixiao.io import reading\n"
            "data = open(sys.argv[1], 'rb').read()\n"
            "assert registry.choose(data, None).name == 'xlsx'\n"
            "heavy = [m for m in ('python_calamine', 'docx', 'pdfplumber', 'jsonschema') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    path = tmp_path / "probe.xlsx"
    path.write_bytes(_written(write_tables_xlsx, _seed()[:1]))
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# -- a layout added in one module and one registration line -----------------------------------------------------


class PipeTextReader:
    """A made-up layout: ``#管道版式`` first, then ``标签|值`` lines and ``|``-separated indicator rows."""

    name = "pipe-text"
    title = "竖线分隔版式（测试）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 1.0 if head is not None and head.startswith("#管道版式") else 0.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        builder: TableBuilder | None = None
        for number, raw in lines:
            text = raw.strip()
            if text == "#管道版式":
                if builder is not None:
                    yield builder.finish()
                builder = TableBuilder(source, number)
                continue
            if builder is None or not text:
                continue
            cells = text.split("|")
            field = BUILTIN.label_field(cells[0]) if len(cells) == 2 else None
            if field is not None:
                builder.set(field, cells[1], number)
            elif builder.columns is None:
                builder.set_columns(cells, number)
            else:
                builder.add_row(cells, number, text)
        if builder is not None:
            yield builder.finish()


class WrappedBinaryReader:
    """A made-up binary format: the magic ``JXB1`` and then text in the published layout."""

    name = "wrapped"
    title = "封装文本（测试）"
    kind: Literal["binary"] = "binary"
    magic: tuple[bytes, ...] = (b"JXB1",)

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 1.0 if head is None and first_bytes.startswith(b"JXB1") else 0.0

    def read(self, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
        text = data[4:].decode("utf-8")
        yield from registry.DEFAULT.read(enumerate(text.splitlines(keepends=True), start=1), source)


@pytest.fixture()
def extra_readers() -> Iterator[None]:
    registry.register(PipeTextReader())  # the one line a new layout adds
    registry.register(WrappedBinaryReader())
    try:
        yield
    finally:
        registry.unregister("pipe-text")
        registry.unregister("wrapped")


PIPE_TEXT = """#管道版式
单位信息|145001-重庆市长寿区政务服务管理办公室（本级）
预算项目|50011522T000000157087-免费复印（一般性）
项目总额|15.00
一级指标|二级指标|三级指标|指标性质|指标值|度量单位|权重(%)|指标方向性
产出指标|数量指标|复印张数|≥|720000|张|50|正向指标
效益指标|社会效益指标|群众满意度|≥|95|%|50|正向指标
"""


def test_a_registered_text_layout_is_chosen_for_its_own_files(extra_readers: None) -> None:
    results = list(read_bytes(PIPE_TEXT.encode("utf-8"), "管道.txt"))
    tables = [r.table for r in results if r.table is not None]
    assert len(tables) == 1
    table = tables[0]
    assert table.project is not None and str(table.project.code) == "50011522T000000157087"
    assert str(table.total_wan) == "15.00"
    assert [i.name for i in table.indicators] == ["复印张数", "群众满意度"]
    assert [str(i.weight) for i in table.indicators] == ["50", "50"]
    seed = list(read_path(SEED))  # the published layout is still chosen for its files
    assert sum(1 for r in seed if r.table is not None) == 9


def test_a_registered_binary_format_is_chosen_by_magic_and_by_name(extra_readers: None, tmp_path: Path) -> None:
    wrapped = b"JXB1" + SEED.read_bytes()
    tables = [r.table for r in read_bytes(wrapped, "封装.bin") if r.table is not None]
    assert tables == _seed()
    path = tmp_path / "封装.bin"
    path.write_bytes(wrapped)
    assert [r.table for r in read_path(path, "wrapped") if r.table is not None] == tables
    refused = [d for r in read_path(SEED, "wrapped") for d in r.diagnostics]
    assert [d.code for d in refused] == ["reader-mismatch"] and "这是文本文件" in refused[0].message


# -- choosing by name -------------------------------------------------------------------------------------------


def test_reader_by_name_reads_an_xlsx_file(samples: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    path.write_bytes(samples["xlsx"])
    done = run("parse", str(path), "--reader", "xlsx", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 9
    assert "9 张表、36 条指标；诊断 0 条" in done.stderr


def test_an_unknown_reader_name_lists_the_registered_ones() -> None:
    done = run("parse", "--reader", "xls", str(SEED))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "没有名为“xls”的读取器" in done.stderr
    assert "可用：" + "、".join(registry.names()) in done.stderr
    results = list(read_path(SEED, "xls"))  # the library says the same, as a diagnostic
    assert [d.code for r in results for d in r.diagnostics] == ["unknown-reader"]


def test_a_text_reader_on_a_binary_file_and_a_binary_reader_on_text_are_explained(
        samples: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    path.write_bytes(samples["xlsx"])
    done = run("parse", str(path), "--reader", "label-text")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "这是 Excel 工作簿（.xlsx），不能用读取器“label-text”" in done.stderr and "改用读取器“xlsx”" in done.stderr
    done = run("parse", str(SEED), "--reader", "pdf")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "这是文本文件，不能用读取器“pdf”" in done.stderr
    done = run("parse", str(path), "--reader", "docx")  # another zip-based format: the reader says it is none
    assert done.returncode == 1 and "无法读取 Word 文件" in done.stderr and "Traceback" not in done.stderr
    done = run("parse", str(path), "--reader", "pdf")
    assert done.returncode == 1 and "这是 Excel 工作簿（.xlsx），不能用读取器“pdf”" in done.stderr


# -- the vocabulary ---------------------------------------------------------------------------------------------


def test_a_vocabulary_is_extended_into_a_new_one_and_read_with() -> None:
    extended = BUILTIN.extend(labels={"项目单位": "unit"}, columns={"本年度分值（%）": "current_weight"})
    assert extended.label_field("项目单位") == "unit" and extended.column_field("本年度分值(%)") == "current_weight"
    assert BUILTIN.label_field("项目单位") is None and BUILTIN.column_field("本年度分值") is None  # unchanged
    text = SEED.read_text("utf-8").replace("单位信息：", "项目单位：").replace("本年权重(%)", "本年度分值(%)")
    lines = list(enumerate(io.StringIO(text), start=1))

    builtin = list(LabelValueTextReader().read(lines, "新词.txt"))
    codes = {d.code for r in builtin for d in r.diagnostics}
    assert "unknown-column" in codes and "missing-field" in codes

    results = list(LabelValueTextReader(vocabulary=extended).read(lines, "新词.txt"))
    assert [d.render() for r in results for d in r.diagnostics] == []
    assert [r.table for r in results if r.table is not None] == _seed_from("新词.txt")


def _seed_from(source: str) -> list[TargetTable]:
    return [r.table for r in LabelValueTextReader().read(enumerate(io.StringIO(SEED.read_text("utf-8")), start=1),
                                                         source) if r.table is not None]


def test_office_readers_take_the_vocabulary_too(samples: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(samples["xlsx"]))
    renamed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("单位信息"):
                    cell.value = cell.value.replace("单位信息", "项目单位")
                    renamed += 1
    assert renamed >= 9
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    extended = BUILTIN.extend(labels={"项目单位": "unit"})
    plain = list(XlsxReader().read(data, "新词.xlsx", Limits()))
    assert any(d.code == "missing-field" for r in plain for d in r.diagnostics)
    tables = [r.table for r in XlsxReader(vocabulary=extended).read(data, "新词.xlsx", Limits())
              if r.table is not None]
    assert [t.unit for t in tables] == [t.unit for t in _seed()]


def test_a_vocabulary_word_for_a_field_the_table_lacks_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="表头词汇“项目单位”指向的字段“unit_name”不存在"):
        BUILTIN.extend(labels={"项目单位": "unit_name"})
    with pytest.raises(ValueError, match="指标表列名“分数”指向的列“score”不存在"):
        BUILTIN.extend(columns={"分数": "score"})


def test_refusals_are_readers_with_chinese_answers(samples: dict[str, bytes]) -> None:
    for name, expected in (("old-office", "旧版 Office 文件"), ("zip", "zip 压缩包")):
        results = list(read_bytes(samples[name], f"文件.{name}"))
        errors = [d for r in results for d in r.diagnostics if d.severity is Severity.ERROR]
        assert len(errors) == 1 and expected in errors[0].message and all(r.table is None for r in results)
