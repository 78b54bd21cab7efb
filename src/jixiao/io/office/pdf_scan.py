"""Measure a PDF's compressed streams before pdfminer decompresses them whole.

pdfminer inflates each stream with one ``zlib.decompress`` call: a 1 MB stream of repeated path
operators becomes gigabytes. Here every ``stream`` keyword of the raw file is tried with a
decompressor that stops at the budget, following a chain of deflate layers (``/Filter
[/FlateDecode /FlateDecode]``), so that a file whose streams would inflate beyond ``max_decoded`` is
refused having decompressed at most that much. Streams that are not deflate data (images, plain
content) cost one failed attempt. Drawn objects are counted per page by the reader, from the
content it is about to lay out (:func:`drawn_operators`).
"""

from __future__ import annotations

import re
import zlib

from jixiao.io.limits import Deadline, Limits, TooBig

_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_LAYERS = 4
_STEP = 1 << 16
# path construction operators (m l c v y re h) as whole tokens; each drawn segment or rectangle has one
_DRAWN = re.compile(rb"(?<![^\s\]\[)>}])(?:re|l|c|v|y)(?=[\s\[\]<(/%]|$)")


def _is_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0


class _Inflation:
    """Deflate layers fed from the raw stream, counting what the innermost one gives, up to a budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.layers = [zlib.decompressobj()]
        self.seen = [False]
        self.total = 0

    def feed(self, level: int, chunk: bytes) -> bool:
        """Feed ``chunk`` to layer ``level``; False when done (the end, bad data or the budget reached)."""
        decompressor = self.layers[level]
        while True:
            try:
                out = decompressor.decompress(chunk, _STEP)
            except zlib.error:
                return False  # not (or no longer) deflate data: what came out so far counts
            if not self.seen[level] and out:
                self.seen[level] = True
                if level + 1 < _LAYERS and _is_zlib(out[:2]):
                    self.layers.append(zlib.decompressobj())
                    self.seen.append(False)
            if level + 1 < len(self.layers):
                if out and not self.feed(level + 1, out):
                    return False
            else:
                self.total += len(out)
                if self.total > self.budget:
                    return False
            chunk = decompressor.unconsumed_tail
            if decompressor.eof:
                return False
            if not chunk and len(out) < _STEP:
                return True


def _inflated_size(data: bytes, start: int, budget: int, deadline: Deadline) -> int:
    """Bytes the deflate layers starting at ``data[start:]`` inflate to, stopping once over ``budget``."""
    inflation = _Inflation(budget)
    for position in range(start, len(data), _STEP):
        deadline.check()
        if not inflation.feed(0, data[position:position + _STEP]):
            break
    return inflation.total


def check_streams(data: bytes, limits: Limits, deadline: Deadline) -> None:
    """Refuse a PDF whose compressed streams would inflate beyond ``max_decoded`` in all."""
    total = 0
    for found in _STREAM.finditer(data):
        deadline.check()
        if not _is_zlib(data[found.end():found.end() + 2]):
            continue  # no zlib header: not deflate (pdfminer would fail on it too, without inflating)
        total += _inflated_size(data, found.end(), limits.max_decoded - total, deadline)
        if total > limits.max_decoded:
            raise TooBig(f"PDF 中的压缩数据解压后超过 {limits.max_decoded // 1024 // 1024} MB 的上限"
                         "（疑似压缩炸弹），已跳过")


def drawn_operators(content: bytes) -> int:
    """How many lines, curves and rectangles a page content stream draws (an upper bound)."""
    return len(_DRAWN.findall(content))
