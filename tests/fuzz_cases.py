"""Fuzz cases for every reader: small valid files, mutated byte by byte or part by part.

Each case is a strategy for file bytes plus the one check every reader must pass: reading never raises,
every diagnostic is a catalogued code with a message, and a file read in the server's process stays within
the limits. ``tests/test_reader_fuzz.py`` runs each case a few hundred times in CI; ``bench/fuzz.py`` runs
them at scale (``python -m bench.fuzz --cases 100000``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hypothesis import strategies as st

from jixiao.domain.diagnostic_codes import DIAGNOSTICS
from jixiao.io.limits import Limits
from jixiao.io.reading import read_bytes

IN_PROCESS = Limits(isolate=False, seconds=20.0)  # the readers' own bounds, without the child (speed)


@cache
def seed_text() -> bytes:
    return resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()


@cache
def _first_table() -> object:
    return next(r.table for r in read_bytes(seed_text(), "seed.txt") if r.table is not None)


@cache
def seed_file(kind: str) -> bytes:
    """One seed table written as ``kind`` (json, xlsx, docx, pdf)."""
    from jixiao.io.json_format import dumps_tables
    from jixiao.io.office.docx_writer import write_tables_docx
    from jixiao.io.office.pdf_writer import write_tables_pdf
    from jixiao.io.office.xlsx_writer import write_tables_xlsx

    table = _first_table()
    if kind == "json":
        return dumps_tables([table]).encode()  # type: ignore[list-item]
    writer = {"xlsx": write_tables_xlsx, "docx": write_tables_docx, "pdf": write_tables_pdf}[kind]
    buffer = io.BytesIO()
    writer([table], buffer)  # type: ignore[list-item]
    return buffer.getvalue()


@cache
def selfeval_file(kind: str) -> bytes:
    """The first self-evaluation table of the committed corpus as ``kind``: the form's text, the sheet-like
    layout copied from a web page, or JSON."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parent / "data" / "selfeval_tables"
    if kind == "layout":
        text = (corpus / "sheet_layout.txt").read_text("utf-8")
        return text[: text.index("\n\n") + 1].encode()
    if kind == "json":
        return json.dumps(json.loads((corpus / "seed_form.json").read_text("utf-8"))[:1], ensure_ascii=False).encode()
    text = (corpus / "seed_form.txt").read_text("utf-8")
    return text[: text.index("\n\n项目支出绩效自评表")].encode()


@st.composite
def mutated(draw: st.DrawFn, base: bytes, max_edits: int = 6) -> bytes:
    """``base`` with a few edits: bytes replaced, spans deleted, duplicated or moved, bytes inserted."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, max_edits))):
        if not data:
            data += draw(st.binary(max_size=8))
            continue
        at = draw(st.integers(0, len(data) - 1))
        span = draw(st.integers(1, 64))
        kind = draw(st.sampled_from(("replace", "delete", "insert", "duplicate", "interesting", "truncate")))
        if kind == "replace":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + span]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "duplicate":
            data[at:at] = data[at:at + span] * draw(st.integers(1, 8))
        elif kind == "interesting":
            data[at:at] = draw(st.sampled_from((b"\0", b"\xff" * 4, b"<", b">", b"&", b'"', b"'", b"\r\n", b"\\",
                                                 "：".encode(), "单位信息".encode(), b"9" * 30, b"-1", b"1e999",
                                                 b"\xef\xbb\xbf", b"\xe4\xb8", b"{", b"[", b"]]>", b"<!--")))
        else:
            del data[at:]
    return bytes(data)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@st.composite
def mutated_part(draw: st.DrawFn, kind: str) -> bytes:
    """An office file with one of its XML parts mutated (the zip itself intact, so the XML is what is tested)."""
    members = _members(seed_file(kind))
    names = sorted(name for name in members if name.endswith((".xml", ".rels")))
    main = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
    name = draw(st.sampled_from([main, main, main, *names]))
    members[name] = draw(mutated(members[name], 10))
    return _zipped(members)


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    """The seed table as JSON with values swapped for any JSON (nested, wrong types, huge numbers)."""
    document = json.loads(seed_file("json"))
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    anything = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                            | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
    tables = document["tables"] if isinstance(document, dict) and "tables" in document else document
    table = tables[0] if isinstance(tables, list) else tables
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(sorted(table)))
        table[key] = draw(anything)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


def check(data: bytes, name: str, limits: Limits = IN_PROCESS) -> None:
    """What every read of any bytes must satisfy: no exception, and only catalogued, worded diagnostics."""
    for result in read_bytes(data, name, limits):
        for diagnostic in result.diagnostics:
            assert diagnostic.code in DIAGNOSTICS, diagnostic
            assert diagnostic.message, diagnostic


@dataclass(frozen=True)
class Case:
    name: str  # the file name readers are given (its suffix means nothing to them: content decides)
    strategy: Callable[[], st.SearchStrategy[bytes]]
    ci_examples: int  # how many CI runs (tests/test_reader_fuzz.py); bench/fuzz.py scales these up


CASES: tuple[Case, ...] = (
    Case("fuzz.txt", lambda: mutated(seed_text(), 12), 900),
    Case("fuzz-text.txt", lambda: st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")), 400),
    Case("fuzz.json", lambda: mutated(seed_file("json"), 8), 600),
    Case("fuzz-selfeval.txt", lambda: mutated(selfeval_file("text"), 10), 300),
    Case("fuzz-selfeval-layout.txt", lambda: mutated(selfeval_file("layout"), 10), 200),
    Case("fuzz-selfeval.json", lambda: mutated(selfeval_file("json"), 8), 200),
    Case("fuzz-typed.json", json_documents, 200),
    Case("fuzz.xlsx", lambda: mutated_part("xlsx"), 300),
    Case("fuzz-bytes.xlsx", lambda: mutated(seed_file("xlsx"), 3), 150),
    Case("fuzz.docx", lambda: mutated_part("docx"), 150),
    Case("fuzz-bytes.docx", lambda: mutated(seed_file("docx"), 3), 100),
    Case("fuzz.pdf", lambda: mutated(seed_file("pdf"), 4), 60),
)
