"""The reader plug-in contract, one for every input: text layouts and binary file formats alike.

A reader says how sure it is that a file is its format (``sniff``) and turns the file into tables
(target or self-evaluation) plus diagnostics (``read``). A text reader is given the decoded head and
then numbered lines; a binary reader (a spreadsheet, a Word document, a PDF) is given its magic bytes
to be considered at all, then the whole file within :class:`~jixiao.io.limits.Limits`. A new layout or format is a
new module and one ``register`` line in :mod:`jixiao.io.registry`, not a change to others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal, Protocol, Self

import msgspec

from jixiao.domain import AnyTable, Diagnostic

if TYPE_CHECKING:
    from jixiao.io.limits import Limits
    from jixiao.io.readers.vocabulary import Vocabulary

Line = tuple[int, str]  # (1-based line number, text; may end with its "\n")
Kind = Literal["text", "binary"]


class ReadResult(msgspec.Struct, frozen=True, gc=False):
    """One table read from a file (or ``None`` for file-level news) and what was said about it.

    The table is of either kind (:data:`jixiao.domain.AnyTable`): a target table or a self-evaluation table.

    A frozen Struct rather than a frozen dataclass: one is made per table read (100,000s per file),
    and a dataclass's ``__init__`` costs ten times as much. It holds no cycles, so the collector skips it.
    """

    table: AnyTable | None
    diagnostics: tuple[Diagnostic, ...] = ()


class Reader(Protocol):
    """What the registry knows of every reader."""

    @property
    def name(self) -> str:
        """The name ``jixiao parse --reader`` takes (ASCII, unique)."""
        ...

    @property
    def title(self) -> str:
        """Chinese, shown to users."""
        ...

    @property
    def kind(self) -> Kind:
        """``text``: read as decoded lines; ``binary``: read as bytes."""
        ...

    @property
    def magic(self) -> tuple[bytes, ...]:
        """Binary readers: the first bytes of their files (``b"PK\\x03\\x04"``); text readers: ``()``."""
        ...

    def with_vocabulary(self, vocabulary: Vocabulary) -> Self:
        """This reader with a region's words (labels, column headings, titles) added to the built-in ones.

        A region profile's ``[vocabulary]`` reaches every layout and format this way; readers that read
        no words (JSON, refusals) return themselves.
        """
        ...

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        """Confidence in [0, 1] that the file is this reader's.

        Text readers get the decoded head (the first lines) and judge it by vocabulary; binary readers
        get ``head=None`` and the file's bytes (whole, once its magic matched) and look at magic bytes
        or zip members. Sniffing is cheap: it never imports a heavy library.
        """
        ...


class TextReader(Reader, Protocol):
    @property
    def kind(self) -> Literal["text"]: ...

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        """Yield tables as they complete, so memory stays flat in the number of tables."""
        ...


class BlockTextReader(TextReader, Protocol):
    """A text reader that may also be handed the decoded text in large blocks (cut anywhere, lines from 1).

    :func:`jixiao.io.reading.read_stream` uses ``read_text_blocks`` when a reader has it, so no Python
    code runs per line between decoding and the reader; ``read`` stays for callers with numbered lines.
    """

    def read_text_blocks(self, blocks: Iterable[str], source: str) -> Iterator[ReadResult]:
        """What :meth:`read` yields for the lines of ``"".join(blocks)``."""
        ...


class BinaryReader(Reader, Protocol):
    @property
    def kind(self) -> Literal["binary"]: ...

    def read(self, data: bytes, source: str, limits: Limits) -> Iterator[ReadResult]:
        """Read the whole file within ``limits``; a broken or hostile file is a diagnostic, never a raise."""
        ...


AnyReader = TextReader | BinaryReader
