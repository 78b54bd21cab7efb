"""The reader plug-in contract.

A reader turns the lines of one file into target tables plus diagnostics. Readers are
recognised by their header vocabulary (``sniff``), so a new provincial layout is a new
module registered in :mod:`jixiao.io.readers.registry`, not a change to existing ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from jixiao.domain import Diagnostic, TargetTable

Line = tuple[int, str]  # (1-based line number, text; may end with its "\n")


@dataclass(frozen=True, slots=True)
class ReadResult:
    """One table read from a file (or ``None`` for file-level news) and what was said about it."""

    table: TargetTable | None
    diagnostics: tuple[Diagnostic, ...] = ()


class Reader(Protocol):
    name: str
    title: str  # Chinese, shown to users

    def sniff(self, head: str) -> float:
        """Confidence in [0, 1] that ``head`` (the first lines of a file) is this layout."""
        ...

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        """Yield tables as they complete, so memory stays flat in the number of tables."""
        ...
