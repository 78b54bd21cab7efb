"""Write the encoding variants of ``encoding_base.txt`` (run once; the outputs are committed).

    .venv/bin/python tests/data/robustness/make_files.py

``encoding_base.txt`` holds two tables of the 重庆 seed (免费复印, 窗口作风建设) in UTF-8 with
LF line endings. From it this script writes the same text with CRLF line endings, with a UTF-8
BOM, in GBK and in GB18030 (with two names only GB18030 can encode), and a UTF-8 file with
invalid bytes on two lines. ``tests/test_reader_robustness.py`` reads the committed files and
checks that they still match :func:`build`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE / "encoding_base.txt"

# Names outside GBK: 䶮 (U+4DAE, CJK Ext. A, two bytes in GB18030) and 𠮷 (U+20BB7, four bytes).
GB18030_PEOPLE = ("王䶮", "𠮷野")
# Where decode_error.txt gets its bad bytes: a stray 0xFF, and a UTF-8 sequence cut short.
BAD_AFTER = "每月用纸量约6万张"
CUT_WORD = ("培训", "人", "次")


def gb18030_text(base: str) -> str:
    """The base text with the two 项目经办人 lines filled with names GBK cannot encode."""
    head, first, second = base.split("项目经办人：\n", 2)
    return f"{head}项目经办人：{GB18030_PEOPLE[0]}\n{first}项目经办人：{GB18030_PEOPLE[1]}\n{second}"


def build() -> dict[str, bytes]:
    base = BASE.read_text("utf-8")
    assert "\r" not in base and not base.startswith("\ufeff")
    raw = base.encode("utf-8")
    whole = "".join(CUT_WORD).encode("utf-8")
    cut = CUT_WORD[0].encode("utf-8") + CUT_WORD[1].encode("utf-8")[:2] + CUT_WORD[2].encode("utf-8")
    bad = raw.replace(BAD_AFTER.encode("utf-8"), BAD_AFTER.encode("utf-8") + b"\xff", 1)
    bad = bad.replace(whole, cut, 1)
    assert bad.count(b"\xff") == 1 and len(bad) == len(raw)  # one byte added, one cut off
    return {
        "crlf.txt": base.replace("\n", "\r\n").encode("utf-8"),
        "bom.txt": codecs.BOM_UTF8 + raw,
        "gbk.txt": base.encode("gbk"),
        "gb18030.txt": gb18030_text(base).encode("gb18030"),
        "decode_error.txt": bad,
    }


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
