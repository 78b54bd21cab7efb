"""The registered reader of self-evaluation tables published as an HTML page: its name and sniff.

It knows jixiao's own 自评表 page (``jixiao score -f html``) by its markup (``<meta name="generator"
content="jixiao">`` and the form's title), and any page that names a 自评表. What it reads and how is in
:mod:`jixiao.io.readers.selfeval_html_grid`, imported by ``read``, so that sniffing costs nothing at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from jixiao.io.limits import DEFAULT, Limits
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.vocabulary import BUILTIN, Vocabulary

GENERATOR = re.compile(r"<meta\s+name=[\"']generator[\"']\s+content=[\"']jixiao[\"']", re.IGNORECASE)


class SelfEvalHtmlReader:
    name = "selfeval-html"
    title = "自评表网页（HTML，jixiao 自评表等）"
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()

    def __init__(self, vocabulary: Vocabulary = BUILTIN, limits: Limits = DEFAULT) -> None:
        self.vocabulary = vocabulary
        self.limits = limits

    def with_vocabulary(self, vocabulary: Vocabulary) -> SelfEvalHtmlReader:
        return self if vocabulary is self.vocabulary else SelfEvalHtmlReader(vocabulary, self.limits)

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None:
            return 0.0
        start = head.lstrip("\ufeff \t\r\n")[:200].lower()
        if not (start.startswith("<!doctype html") or start.startswith("<html")):
            return 0.0
        if GENERATOR.search(head) and "自评表" in head:
            return 0.95
        return 0.6 if "自评表" in head else 0.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        from jixiao.io.readers.selfeval_html_grid import read_html

        return read_html(lines, source, self.limits, self.vocabulary)
