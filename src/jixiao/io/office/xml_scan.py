"""Measure the XML inside an Office file with a real, streamed, entity-safe parser before any library builds it.

Every XML member of the zip is parsed with expat, chunk by chunk, without namespace processing (a
prefix such as ``<x:c>`` is stripped, so no spelling of an element escapes the count and an unbound
prefix, which calamine ignores, is no error here). A document type declaration is refused outright:
Office never writes one, and it is what billion laughs and XXE need. Names are matched by local name,
attributes by what the parser gives (any quotes, any spaces around ``=``).

Workbooks: cells are counted by position the way a spreadsheet reader places them (a row without ``r``
follows the previous row, a cell without ``r`` takes the next column), and the characters the sheet
will hold are added up, each shared-string reference counting its string's length; the numeric cells whose
style fixes their decimals are noted on the way (:mod:`jixiao.io.office.number_formats`), and so are cells
whose value a reader cannot show (an error value such as ``#DIV/0!``, a formula saved without its result),
so the reader can say so instead of reading a blank. Word documents:
each table row's grid width (the sum of ``gridSpan``) and the work of resolving vertical merges.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple
from xml.parsers import expat

from jixiao.io.limits import ZIP_ERRORS, Deadline, Limits, TooBig
from jixiao.io.office.number_formats import BUILTIN, NumberFormat, cell_key, parse_code

CellFormats = dict[str, dict[int, NumberFormat]]  # sheet name → cell_key(row, column) → format
_NOT_NUMBERS = frozenset({"s", "str", "inlineStr", "b", "e"})  # cell types whose value is no number
STYLES = "xl/styles.xml"

CHUNK = 1 << 16
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_SHEET_DATA = "sheetData"
MAX_NOTED: Final = 200  # unreadable cells kept per workbook (the count goes on)


@dataclass(frozen=True, slots=True)
class UnreadCell:
    """A cell whose value the reader will not see: an Excel error value (``kind="error"``, ``text`` the
    value, e.g. ``#DIV/0!``) or a formula saved without its result (``kind="formula"``, ``text`` the formula)."""

    sheet: str
    cell: str  # A1-style, e.g. F12
    kind: Literal["error", "formula"]
    text: str


class WorkbookScan(NamedTuple):
    """What measuring a workbook found besides its size: number formats and cells a reader sees blank."""

    formats: CellFormats
    unread: list[UnreadCell]
    unread_count: int


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Stop(Exception):
    """Raised by a handler to end a parse early (the root element is reached, nothing more to learn)."""


# expat's error strings (xml.parsers.expat.errors) in the words of a refusal; others are 格式错误.
_EXPAT_WORDS: Final[dict[str, str]] = {
    expat.errors.XML_ERROR_NO_MEMORY: "内存不足",
    expat.errors.XML_ERROR_SYNTAX: "语法错误",
    expat.errors.XML_ERROR_NO_ELEMENTS: "没有任何元素（内容为空或被截断）",
    expat.errors.XML_ERROR_INVALID_TOKEN: "格式错误（含有无效的字符或标记）",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "标记未结束（文件可能被截断）",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "字符不完整（文件可能被截断）",
    expat.errors.XML_ERROR_TAG_MISMATCH: "开始标记与结束标记不配对",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "同一属性出现了两次",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "根元素之后还有多余的内容",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "引用了未定义的实体",
    expat.errors.XML_ERROR_BAD_CHAR_REF: "字符引用无效",
    expat.errors.XML_ERROR_UNKNOWN_ENCODING: "编码无法识别",
    expat.errors.XML_ERROR_INCORRECT_ENCODING: "声明的编码与内容不符",
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION: "CDATA 段未结束",
    expat.errors.XML_ERROR_MISPLACED_XML_PI: "XML 声明不在文件开头",
    expat.errors.XML_ERROR_XML_DECL: "XML 声明格式错误",
    expat.errors.XML_ERROR_UNBOUND_PREFIX: "使用了未声明的命名空间前缀",
}


def expat_words(code: int) -> str:
    """Chinese words for an expat error code (never the English string)."""
    return _EXPAT_WORDS.get(expat.ErrorString(code), "格式错误")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parser() -> Any:
    parser = expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise TooBig("DOCTYPE")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    def external(*_args: object) -> int:
        raise TooBig("DOCTYPE")

    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _looks_like_xml(head: bytes) -> bool:
    stripped = head.lstrip(b" \t\r\n")
    return stripped.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def parse_member(archive: zipfile.ZipFile, member: str, deadline: Deadline,
                 setup: Callable[[Any], None] | None = None, what: str = "Excel") -> None:
    """Parse one member with the handlers ``setup`` installs; a DTD or malformed XML is refused (TooBig)."""
    parser = _parser()
    if setup is not None:
        setup(parser)
    else:  # only the prolog matters: stop at the root element
        def root(_name: str, _attributes: dict[str, str]) -> None:
            raise _Stop

        parser.StartElementHandler = root
    try:
        with archive.open(member) as stream:
            first = True
            while chunk := stream.read(CHUNK):
                deadline.check()
                if first and not _looks_like_xml(chunk[:64]):
                    return  # an image or other binary part: no XML reader touches it
                first = False
                parser.Parse(chunk, False)
            if not first:
                parser.Parse(b"", True)
    except _Stop:
        return
    except TooBig as error:
        if str(error) == "DOCTYPE":
            raise TooBig(f"文件中的“{member}”含有文档类型声明（DTD/实体），Office 文件不会有；"
                         "疑似恶意文件（实体扩展或读取外部文件），已跳过") from None
        raise
    except expat.ExpatError as error:
        raise TooBig(f"无法读取 {what} 文件：文件已损坏（“{member}”不是有效的 XML，第{error.lineno}行："
                     f"{expat_words(error.code)}）") from None
    except ZIP_ERRORS as error:
        raise TooBig(f"文件已损坏：“{member}”无法解压") from error


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def shared_string_lengths(archive: zipfile.ZipFile, member: str, deadline: Deadline) -> array[int]:
    """The length in characters of every shared string, in order (``<si>`` elements)."""
    lengths: array[int] = array("q")
    current = [0, 0]  # depth inside <si>, characters so far

    def setup(parser: Any) -> None:
        def start(name: str, _attributes: dict[str, str]) -> None:
            if _local(name) == "si":
                current[0], current[1] = 1, 0
            elif current[0]:
                current[0] += 1

        def end(name: str) -> None:
            if current[0] == 1 and _local(name) == "si":
                lengths.append(current[1])
                current[0] = 0
            elif current[0]:
                current[0] -= 1

        def text(data: str) -> None:
            if current[0]:
                current[1] += len(data)

        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
        parser.buffer_text = True

    parse_member(archive, member, deadline, setup)
    return lengths


def cell_styles(archive: zipfile.ZipFile, deadline: Deadline) -> dict[str, NumberFormat]:
    """Cell style index (the ``s`` of ``<c>``, as text) → its number format, for the formats :func:`parse_code`
    knows; empty when the workbook has no styles part or uses none of them."""
    if STYLES not in archive.namelist():
        return {}
    codes: dict[int, str] = dict(BUILTIN)
    formats: list[int | None] = []
    depth = {"cellXfs": 0}

    def setup(parser: Any) -> None:
        def start(name: str, attributes: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt":
                number, code = attributes.get("numFmtId", ""), attributes.get("formatCode")
                if number.isdigit() and code is not None:
                    codes[int(number)] = code
            elif local == "cellXfs":
                depth["cellXfs"] = 1
            elif local == "xf" and depth["cellXfs"]:
                number = attributes.get("numFmtId", "0")
                formats.append(int(number) if number.isdigit() and len(number) < 9 else None)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] = 0

        parser.StartElementHandler, parser.EndElementHandler = start, end

    parse_member(archive, STYLES, deadline, setup)
    found: dict[str, NumberFormat] = {}
    for index, number in enumerate(formats):
        fmt = parse_code(codes[number]) if number is not None and number in codes else None
        if fmt is not None and (fmt.decimals or fmt.percent):  # "0" shows a number as it reads anyway
            found[str(index)] = fmt
    return found


class _Sheet:
    """The extent and text of one sheet, counted as its cells are placed.

    Only start tags call back into Python (one call per row, cell and value), so a 1,000-sheet workbook
    is measured in a fraction of its read time. Text is counted as the bytes of the part (an upper bound
    for text written in the sheet) plus, for every cell that refers to a shared string, that string's
    length: the one way a small sheet holds much text. The handler for character data is set only while
    such a cell's ``<v>`` (the string's index) is open.
    """

    def __init__(self, strings: array[int], parser: Any, styles: dict[str, NumberFormat] | None = None) -> None:
        self.strings = strings
        self.styles = styles or {}
        self.formats: dict[int, NumberFormat] = {}
        self.parser = parser
        self.inside = False  # sheetData seen (rows and cells come inside it; nothing after it holds either)
        self.row = 0
        self.cell_row = 0
        self.column = 0
        self.rows = 0
        self.columns = 0
        self.characters = 0
        self.shared = False  # the current cell's value is a shared-string index
        self.value: list[str] = []
        self.bad: str | None = None
        # the current cell, watched only when it is an error value or holds a formula
        self.error = False
        self.formula: list[str] | None = None
        self.cached: list[str] | None = None
        self.unread: list[tuple[int, int, Literal["error", "formula"], str]] = []
        self.unread_count = 0
        parser.StartElementHandler = self.start

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c" and self.inside:
            reference = attributes.get("r")
            row = self.cell_row = self.row
            if reference is None:
                self.column += 1
            else:
                found = _REF.fullmatch(reference.strip())
                if found is None:
                    self.bad = reference
                    raise _Stop
                self.column = _column_number(found.group(1))
                row = self.cell_row = int(found.group(2))
                if row > self.rows:
                    self.rows = row
            if self.column > self.columns:
                self.columns = self.column
            kind = attributes.get("t")
            self.shared = kind == "s"
            if self.styles and kind not in _NOT_NUMBERS:
                style = self.styles.get(attributes.get("s", "0"))
                if style is not None:
                    self.formats[cell_key(row, self.column)] = style
            self.error = kind == "e"
            self.formula = self.cached = None
            if self.error:
                self._watch()
        elif local == "v" and self.shared and self.inside:
            self.value = []
            self.parser.CharacterDataHandler = self.value.append
            self.parser.EndElementHandler = self.end_value
        elif local == "f" and self.inside:
            self.formula = []
            self._watch()
            self.parser.CharacterDataHandler = self.formula.append
        elif local == "v" and self.inside and (self.error or self.formula is not None):
            self.cached = []
            self.parser.CharacterDataHandler = self.cached.append
        elif local == "row" and self.inside:
            reference = attributes.get("r")
            self.row = self.row + 1 if reference is None else self._number(reference)
            self.column = 0
            if self.row > self.rows:
                self.rows = self.row
        elif local == _SHEET_DATA:
            self.inside = True

    def _watch(self) -> None:
        self.parser.EndElementHandler = self.end_watched

    def end_watched(self, name: str) -> None:
        """The end of an element inside an error or formula cell; at the cell's end, note it if unreadable."""
        self.parser.CharacterDataHandler = None
        if name.rpartition(":")[2] != "c":
            return
        self.parser.EndElementHandler = None
        cached = "".join(self.cached).strip() if self.cached is not None else ""
        if self.error:
            self._keep(cached or "#N/A", is_error=True)
        elif self.formula is not None and not cached:
            self._keep("".join(self.formula).strip(), is_error=False)
        self.error, self.formula, self.cached = False, None, None

    def _keep(self, text: str, is_error: bool) -> None:
        self.unread_count += 1
        if len(self.unread) < MAX_NOTED:
            self.unread.append((self.cell_row, self.column, "error" if is_error else "formula", text[:60]))

    def end_value(self, _name: str) -> None:
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = None
        self.shared = False
        text = "".join(self.value).strip()
        index = int(text) if text.isdigit() and len(text) < 12 else -1
        if 0 <= index < len(self.strings):
            self.characters += self.strings[index]

    def _number(self, reference: str) -> int:
        text = reference.strip()
        if not text.isdigit() or len(text) > 7:
            self.bad = reference
            raise _Stop
        return int(text)


def _sheet_names(archive: zipfile.ZipFile, names: set[str], deadline: Deadline) -> dict[str, str]:
    """Member path → sheet name, from xl/workbook.xml and its relationships (best effort)."""
    ids: dict[str, str] = {}
    targets: dict[str, str] = {}

    def book(parser: Any) -> None:
        def start(name: str, attributes: dict[str, str]) -> None:
            if _local(name) == "sheet":
                rid = next((v for k, v in attributes.items() if _local(k) == "id"), None)
                if rid is not None:
                    ids[rid] = attributes.get("name", "")
        parser.StartElementHandler = start

    def rels(parser: Any) -> None:
        def start(name: str, attributes: dict[str, str]) -> None:
            if _local(name) == "Relationship" and "Id" in attributes:
                target = attributes.get("Target", "").lstrip("/")
                targets[attributes["Id"]] = target if target.startswith("xl/") else f"xl/{target}"
        parser.StartElementHandler = start

    if "xl/workbook.xml" in names:
        parse_member(archive, "xl/workbook.xml", deadline, book)
    if "xl/_rels/workbook.xml.rels" in names:
        parse_member(archive, "xl/_rels/workbook.xml.rels", deadline, rels)
    return {targets[rid]: name for rid, name in ids.items() if rid in targets}


def check_workbook(archive: zipfile.ZipFile, limits: Limits, deadline: Deadline) -> WorkbookScan:
    """Refuse a workbook whose sheets would be too large to build, before calamine builds them: every XML
    member is parsed; those holding ``sheetData`` are measured. Returns the number formats of the numeric
    cells that fix their decimals, by sheet name (see :mod:`jixiao.io.office.number_formats`), and the cells
    a reader will see blank although they hold something (error values, formulas without a saved result):
    the first ``MAX_NOTED`` and how many there are."""
    names = set(archive.namelist())
    sheet_names = _sheet_names(archive, names, deadline)
    styles = cell_styles(archive, deadline)
    formats: CellFormats = {}
    strings: array[int] = array("q")
    if "xl/sharedStrings.xml" in names:
        strings = shared_string_lengths(archive, "xl/sharedStrings.xml", deadline)
    characters = 0
    unread: list[UnreadCell] = []
    unread_count = 0
    for member in sorted(names):
        if member == "xl/sharedStrings.xml" or member.endswith("/"):
            continue
        sheets: list[_Sheet] = []

        def setup(parser: Any, sheets: list[_Sheet] = sheets) -> None:
            parser.buffer_text = True
            sheets.append(_Sheet(strings, parser, styles))

        parse_member(archive, member, deadline, setup)
        sheet = sheets[0]
        sheet.characters += archive.getinfo(member).file_size if sheet.inside else 0
        label = f"工作表“{sheet_names.get(member, member)}”"
        if sheet.bad is not None:
            raise TooBig(f"{label}的单元格位置“{sheet.bad[:20]}”无效，文件已损坏，已跳过")
        if sheet.rows > limits.max_rows:
            raise TooBig(f"{label}有 {sheet.rows:,} 行，超过上限 {limits.max_rows:,} 行，已跳过")
        if sheet.rows * sheet.columns > limits.max_cells:
            raise TooBig(f"{label}的范围达 {sheet.rows:,} 行 × {sheet.columns:,} 列，"
                         f"超过上限 {limits.max_cells:,} 个单元格，已跳过")
        characters += sheet.characters
        if characters > limits.max_characters:
            raise TooBig(f"{label}等工作表的文字共 {characters:,} 个字符以上，超过上限 {limits.max_characters:,} 个字符"
                         "（例如一段很长的文字被许多单元格引用），已跳过")
        if sheet.formats and member in sheet_names:
            formats[sheet_names[member]] = sheet.formats
        if sheet.unread_count:
            unread_count += sheet.unread_count
            name = sheet_names.get(member, member)
            unread.extend(UnreadCell(name, f"{column_letters(column)}{row}", kind, text)
                          for row, column, kind, text in sheet.unread[:MAX_NOTED - len(unread)])
    return WorkbookScan(formats, unread, unread_count)


def check_document(archive: zipfile.ZipFile, limits: Limits, deadline: Deadline) -> None:
    """Refuse a Word document whose tables would expand too far: a row's grid width (``gridSpan``), all
    tables' grid cells, and the steps python-docx takes to resolve vertical merges (each continued cell
    walks up its merge; each step finds the row above by searching the table)."""
    state = {"width": 0, "cells": 0, "rows": 0, "work": 0, "depth": 0}
    chains: list[dict[int, int]] = []
    current: dict[str, Any] = {"tc": None}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "tbl":
            chains.append({})
            state["rows"] = 0
        elif local == "tr":
            state["width"] = 0
            state["rows"] += 1
        elif local == "tc":
            current["tc"] = {"span": 1, "merge": None}
        elif local == "gridSpan" and current["tc"] is not None:
            value = next((v for k, v in attributes.items() if _local(k) == "val"), "1").strip()
            span = int(value) if value.isdigit() and len(value) < 12 else 1
            current["tc"]["span"] = span
        elif local == "vMerge" and current["tc"] is not None:
            value = next((v for k, v in attributes.items() if _local(k) == "val"), "continue")
            current["tc"]["merge"] = value

    def end(name: str) -> None:
        local = _local(name)
        if local == "tc" and current["tc"] is not None:
            cell, offset = current["tc"], state["width"]
            state["width"] += cell["span"]
            state["cells"] += cell["span"]
            if chains:
                chain = chains[-1]
                depth = chain.get(offset, 0) + 1 if cell["merge"] == "continue" else 0
                chain[offset] = depth
                state["work"] += depth * state["rows"]
            current["tc"] = None
            if state["width"] > limits.max_columns:
                raise TooBig(f"Word 表格的一行跨 {state['width']:,} 列（gridSpan），"
                             f"超过上限 {limits.max_columns:,} 列，已跳过")
            if state["cells"] > limits.max_cells:
                raise TooBig(f"Word 文件中的表格共 {state['cells']:,} 个单元格以上，"
                             f"超过上限 {limits.max_cells:,} 个，已跳过")
            if state["work"] > limits.max_merge_work:
                raise TooBig("Word 表格的纵向合并单元格过多过长，读取代价超过上限，已跳过")
        elif local == "tbl" and chains:
            chains.pop()

    def setup(parser: Any) -> None:
        parser.StartElementHandler, parser.EndElementHandler = start, end

    for member in sorted(archive.namelist()):
        if member.endswith("/"):
            continue
        parse_member(archive, member, deadline, setup if member == "word/document.xml" else None, "Word")
