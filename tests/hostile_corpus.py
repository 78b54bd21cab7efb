"""A corpus of hostile and broken files, generated (not committed) so that every trick is readable code.

Each entry is a small file that tries to make a reader build something huge, run for long, read outside
the file or crash: sheet ranges spelled every way XML allows, a shared string repeated in many cells, a
compressed PDF content stream, a PDF of 200,000 drawn lines, a Word cell spanning 150 million columns,
the classic zip bomb, billion laughs, XXE, encrypted and truncated files, and 自评表 web pages whose merged
cells (colspan, rowspan) would make a grid of tens of millions of cells. ``tests/test_hostile_files.py``
reads each through every reader; ``python -m tests.hostile_corpus DIR`` writes them out for a look or for
a probe of a running server.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
       b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
       b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         b'<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
              b'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
              b' Target="sharedStrings.xml"/></Relationships>')
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)) + b"]>")
_XXE = b'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def workbook(sheet_data: bytes, strings: bytes = b"", sheet_open: bytes = b"", prolog: bytes = b"") -> bytes:
    """A minimal workbook: one sheet named "s" whose <sheetData> holds ``sheet_data``."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + (sheet_open or b'<worksheet xmlns="' + _MAIN + b'">')
             + b"<sheetData>" + sheet_data + b"</sheetData></worksheet>")
    shared = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _MAIN + b'">' + strings + b"</sst>"
    return zipped({"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "xl/workbook.xml": _BOOK,
                   "xl/_rels/workbook.xml.rels": _BOOK_RELS, "xl/worksheets/sheet1.xml": sheet,
                   "xl/sharedStrings.xml": shared})


def _far(attribute: bytes) -> bytes:
    label = "单位信息".encode()
    return b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + label + b'</t></is></c></row><row r="99999">' + attribute \
        + b"</row>"


def xlsx_single_quotes() -> bytes:
    return workbook(_far(b"<c r='CV99999'><v>1</v></c>"))


def xlsx_spaces_around_equals() -> bytes:
    return workbook(_far(b'<c r = "CV99999"><v>1</v></c>'))


def xlsx_namespace_prefix() -> bytes:
    data = (b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
            b'<x:row r="99999"><x:c r="CV99999"><x:v>1</x:v></x:c></x:row>')
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="' + _MAIN + b'"><x:sheetData>' + data
             + b"</x:sheetData></x:worksheet>")
    return zipped({"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "xl/workbook.xml": _BOOK,
                   "xl/_rels/workbook.xml.rels": _BOOK_RELS, "xl/worksheets/sheet1.xml": sheet})


def xlsx_cells_without_r() -> bytes:
    """A row far down with 100 cells that carry no reference: they take the next columns."""
    return workbook(b'<row r="1"><c><v>1</v></c></row><row r="99999">' + b"<c><v>1</v></c>" * 100 + b"</row>")


def xlsx_rows_without_r() -> bytes:
    """Rows without ``r`` follow each other; 1,000 of them under a cell at column XFD."""
    return workbook(b'<row><c r="XFD1"><v>1</v></c></row>' + b"<row><c><v>1</v></c></row>" * 1000)


def xlsx_shared_string_repeated() -> bytes:
    """One 1 MB shared string (random, so it does not compress) filling 1,000 cells."""
    rng = random.Random(12)
    text = rng.randbytes(500_000).hex().encode()
    cells = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, 1001))
    return workbook(cells, b"<si><t>" + text + b"</t></si>")


def xlsx_billion_laughs() -> bytes:
    return workbook(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=_LAUGHS)


def xlsx_xxe() -> bytes:
    return workbook(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', prolog=_XXE)


def repeated_deflate(block: bytes, count: int) -> bytes:
    """A raw deflate stream of ``block`` repeated ``count`` times, made in milliseconds: after a full flush a
    deflate block refers to nothing before it, so the compressed block itself can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    once = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return once * count + b"\x03\x00"  # an empty final block ends the stream


def zlib_repeated(block: bytes, count: int) -> bytes:
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + repeated_deflate(block, count) + checksum.to_bytes(4, "big")


def zip_bomb() -> bytes:
    """The classic: 1 GB of zeros in one member, about 1 MB compressed (the zip written by hand)."""
    block, count, name = b"\0" * (1 << 20), 1024, b"xl/worksheets/sheet1.xml"
    raw = repeated_deflate(block, count)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    size = len(block) * count
    fields = (20, 0, 8, 0, 0, crc, len(raw), size, len(name))
    local = b"PK\x03\x04" + b"".join(v.to_bytes(n, "little") for v, n in zip(fields, (2, 2, 2, 2, 2, 4, 4, 4, 2),
                                                                            strict=True)) + b"\0\0" + name
    central = (b"PK\x01\x02\x14\x00" + b"".join(v.to_bytes(n, "little") for v, n in zip(
        fields, (2, 2, 2, 2, 2, 4, 4, 4, 2), strict=True)) + b"\0" * 12 + b"\0\0\0\0" + name)
    book = zipped({"xl/workbook.xml": _BOOK})  # a workbook member first, so that the xlsx reader claims the file
    directory_at = book.index(b"PK\x01\x02")
    book_local, book_central = book[:directory_at], book[directory_at:book.index(b"PK\x05\x06")]
    shift = len(book_local)
    central = central[:42] + shift.to_bytes(4, "little") + central[46:]
    body = book_local + local + raw
    directory = book_central + central
    end = b"PK\x05\x06" + b"\0" * 4 + (2).to_bytes(2, "little") * 2 + len(directory).to_bytes(4, "little") + \
        len(body).to_bytes(4, "little") + b"\0\0"
    return body + directory + end


def zip_lying_directory() -> bytes:
    """A sheet whose zip headers claim 100 bytes while its data inflates to 100 MB (ratio checks see 100)."""
    data = bytearray(zipped({"[Content_Types].xml": _CT, "xl/workbook.xml": _BOOK,
                             "xl/worksheets/sheet1.xml": b" " * (100 * 1024 * 1024)}))
    name = b"xl/worksheets/sheet1.xml"
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(header)
        while data[at + (30 if header == b"PK\x03\x04" else 46):][: len(name)] != name:
            at = data.index(header, at + 4)
        data[at + offset:at + offset + 4] = (100).to_bytes(4, "little")
    return bytes(data)


_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            b'document.main+xml"/></Types>')
_DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def document(body: bytes, prolog: bytes = b"") -> bytes:
    xml = (b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b'<w:document xmlns:w="' + _W + b'"><w:body>' + body
           + b"</w:body></w:document>")
    return zipped({"[Content_Types].xml": _DOCX_CT, "_rels/.rels": _DOCX_RELS, "word/document.xml": xml})


def _cell(text: bytes, properties: bytes = b"") -> bytes:
    return b"<w:tc>" + (b"<w:tcPr>" + properties + b"</w:tcPr>" if properties else b"") + \
        b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p></w:tc>"


def docx_grid_span() -> bytes:
    """One cell spanning 150 million grid columns, in a few rows."""
    row = b"<w:tr>" + _cell("单位信息".encode(), b'<w:gridSpan w:val="150000000"/>') + b"</w:tr>"
    return document(b"<w:tbl>" + row * 3 + b"</w:tbl>")


def docx_vertical_merge() -> bytes:
    """A column merged down 3,000 rows: python-docx walks up the merge from every row (quadratic)."""
    first = b"<w:tr>" + _cell("单位信息".encode(), b'<w:vMerge w:val="restart"/>') + b"</w:tr>"
    rest = (b"<w:tr>" + _cell(b"", b"<w:vMerge/>") + b"</w:tr>") * 3000
    return document(b"<w:tbl>" + first + rest + b"</w:tbl>")


def docx_billion_laughs() -> bytes:
    return document(b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", _LAUGHS)


def docx_xxe() -> bytes:
    return document(b"<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", _XXE)


def pdf(content: bytes, compressed: bool = False, stream: bytes | None = None) -> bytes:
    """A one-page PDF whose page content is ``content`` (deflated when ``compressed``; or the deflated
    ``stream`` as given), with a valid xref."""
    if stream is None:
        stream = zlib.compress(content, 6) if compressed else content
    filters = b"/Filter/FlateDecode" if compressed or content == b"" else b""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>",
               b"<</Length %d%s>>stream\n" % (len(stream), filters) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_compressed_stream() -> bytes:
    """A content stream of 1 GB of path operators, deflated to about 1 MB."""
    return pdf(b"", stream=zlib_repeated(b"0 0 m " * (1 << 17), 1365))


def pdf_many_lines() -> bytes:
    """200,000 drawn lines on one page (deflated)."""
    ops = b"".join(b"%d %d m %d %d l S\n" % (i % 595, i * 7 % 842, i * 13 % 595, i * 31 % 842) for i in range(200_000))
    return pdf(ops, compressed=True)


def pdf_encrypted() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"3 0 obj<</Filter/Standard/V 1/R 2/O(" + b"x" * 32 + b")/U(" + b"y" * 32 + b")/P -4>>endobj\n"
            b"trailer<</Root 1 0 R/Encrypt 3 0 R/ID[<00112233445566778899aabbccddeeff>"
            b"<00112233445566778899aabbccddeeff>]>>\n%%EOF\n")


def ole_encrypted() -> bytes:
    """What Office writes for a password-protected .xlsx/.docx: an OLE compound file (EncryptedPackage)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\0\x03\0\xfe\xff" + b"\0" * 486 + \
        "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000


def _valid(kind: str) -> bytes:
    from jixiao.io.office.docx_writer import write_tables_docx
    from jixiao.io.office.xlsx_writer import write_tables_xlsx
    from jixiao.io.reading import read_bytes

    writer = {"xlsx": write_tables_xlsx, "docx": write_tables_docx}[kind]
    buffer = io.BytesIO()
    from importlib import resources

    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    writer([next(r.table for r in read_bytes(seed, "seed.txt") if r.table is not None)], buffer)
    return buffer.getvalue()


_HTML_HEAD = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="jixiao">'
              '<title>项目支出绩效自评表</title></head><body><main><article class="form-page">'
              '<h1 class="form-title">项目支出绩效自评表</h1><table class="form"><tbody>')
_HTML_TAIL = "</tbody></table></article></main></body></html>"


def html_colspan_bomb() -> bytes:
    """A 自评表 page whose rows span 16,000 columns each: 2,000 small rows, 32 million grid cells."""
    row = "<tr>" + '<td colspan="1000">1</td>' * 16 + "</tr>"
    return (_HTML_HEAD + row * 2000 + _HTML_TAIL).encode("utf-8")


def html_rowspan_bomb() -> bytes:
    """Cells merged a thousand rows down and a thousand columns wide, row after row: every row carries them all."""
    row = '<tr><th rowspan="1000" colspan="1000">项目资金</th><td>年度资金总额</td></tr>'
    return (_HTML_HEAD + row * 3000 + _HTML_TAIL).encode("utf-8")


def truncated(kind: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = pdf(b"BT 72 712 Td (hello) Tj ET") if kind == "pdf" else _valid(kind)
        return data[: len(data) // 2]

    make.__name__ = f"{kind}_truncated"
    return make


CORPUS: dict[str, Callable[[], bytes]] = {
    "sheet-single-quotes.xlsx": xlsx_single_quotes,
    "sheet-spaces-around-equals.xlsx": xlsx_spaces_around_equals,
    "sheet-namespace-prefix.xlsx": xlsx_namespace_prefix,
    "sheet-cells-without-r.xlsx": xlsx_cells_without_r,
    "sheet-rows-without-r.xlsx": xlsx_rows_without_r,
    "shared-string-repeated.xlsx": xlsx_shared_string_repeated,
    "billion-laughs.xlsx": xlsx_billion_laughs,
    "xxe.xlsx": xlsx_xxe,
    "zip-bomb.xlsx": zip_bomb,
    "zip-lying-directory.xlsx": zip_lying_directory,
    "grid-span.docx": docx_grid_span,
    "vertical-merge.docx": docx_vertical_merge,
    "billion-laughs.docx": docx_billion_laughs,
    "xxe.docx": docx_xxe,
    "compressed-stream.pdf": pdf_compressed_stream,
    "many-lines.pdf": pdf_many_lines,
    "encrypted.pdf": pdf_encrypted,
    "encrypted-ooxml.xlsx": ole_encrypted,
    "truncated.xlsx": truncated("xlsx"),
    "truncated.docx": truncated("docx"),
    "truncated.pdf": truncated("pdf"),
    "colspan-bomb.html": html_colspan_bomb,
    "rowspan-bomb.html": html_rowspan_bomb,
}


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, make in CORPUS.items():
        data = make()
        (out / name).write_bytes(data)
        print(f"{name:36} {len(data):>10,} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/hostile")
