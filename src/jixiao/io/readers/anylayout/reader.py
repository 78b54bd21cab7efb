"""The layout-independent reader: the fallback for text no specific layout reads well (issue 15).

It reads from the vocabulary and the shape of values (:mod:`.cutting`, imported by ``read``, so that
registering it costs nothing at start-up). :func:`jixiao.io.reading.read_stream` runs it after the chosen
reader on small texts and keeps its reading when it recovers more indicator rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, Self

from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.vocabulary import Vocabulary


class AnyLayoutReader:
    """Tables in any text layout, read from the vocabulary and the shape of values."""

    name = "any-layout"
    title = "通用版式（按词汇与取值识别）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()

    def with_vocabulary(self, vocabulary: Vocabulary) -> Self:
        return self  # its words are in anylayout/words.py and the two kinds' vocabularies

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 0.0  # never chosen by its look: it is the fallback (io/reading.py), or asked for by name

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        from jixiao.io.readers.anylayout.cutting import read_any

        return read_any(lines, source)
