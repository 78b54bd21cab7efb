"""Which reader reads a file: each registered reader sniffs the head of the file.

To support a new layout, write a module with a class following
:class:`jixiao.io.readers.base.Reader` and add an instance to ``READERS``.
"""

from __future__ import annotations

from jixiao.io.readers.base import Reader
from jixiao.io.readers.json_reader import JsonReader
from jixiao.io.readers.published_text import PublishedTextReader

READERS: list[Reader] = [JsonReader(), PublishedTextReader()]
DEFAULT_READER: Reader = READERS[-1]
MIN_CONFIDENCE = 0.25


def choose_reader(head: str) -> Reader:
    """The reader most confident about ``head``; the published-text reader as a fallback
    (it reports clearly when it finds no table)."""
    scored = [(reader.sniff(head), index, reader) for index, reader in enumerate(READERS)]
    score, _, reader = max(scored, key=lambda item: (item[0], -item[1]))
    return reader if score >= MIN_CONFIDENCE else DEFAULT_READER


def reader_by_name(name: str) -> Reader | None:
    return next((reader for reader in READERS if reader.name == name), None)
