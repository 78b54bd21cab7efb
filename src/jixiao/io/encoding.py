"""Open published text whatever its encoding: UTF-8 (with or without BOM), UTF-16, GB18030.

Government sites still publish GBK/GB18030 text. We sniff the first block of bytes
and stream the rest, so a large file is never held in memory. Undecodable bytes
become U+FFFD and the reader reports the line, so nothing is lost in silence.
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO

SNIFF_BYTES = 64 * 1024


def detect_encoding(head: bytes) -> str:
    """Pick an encoding from the first bytes of a file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(head, final=False)  # a cut multi-byte char at the end is fine
    bad = text.count("\ufffd")
    if bad == 0:
        return "utf-8"
    # GBK text read as UTF-8 fails on nearly every Chinese character; UTF-8 with a few
    # damaged bytes decodes almost everywhere. Keep UTF-8 (and report the damaged lines)
    # when the damage is rare among the non-ASCII characters.
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return "utf-8" if bad * 10 < non_ascii else "gb18030"


def open_text(stream: BinaryIO) -> tuple[io.TextIOWrapper, str]:
    """Wrap a binary stream as text with universal newlines; return it and its encoding."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    encoding = detect_encoding(head)
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline=None)
    return text, encoding
