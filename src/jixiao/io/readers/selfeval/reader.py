"""What every self-evaluation text reader shares: sniffing by vocabulary, reading through the grammar.

A layout module subclasses :class:`SelfEvaluationTextReader` with its name, its title, how sure it is
that a text has its layout (``layout_confidence``) and how it turns lines into cells (``cells``).
The vocabulary says whether a text is a self-evaluation at all, so a target table (no 执行数, no
完成值, no 得分) is never taken, whatever its layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, ClassVar, Literal, Self

from jixiao.domain import Diagnostic, Severity
from jixiao.io.readers import selfeval_vocabulary as words
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.readers.selfeval.pinyin import strip_pinyin
from jixiao.io.readers.vocabulary import Vocabulary

if TYPE_CHECKING:
    from jixiao.io.readers.selfeval.cells import Cell

MAX_LINES = 200_000  # a published self-evaluation is a page or two; past this the rest is refused
_SURE = 0.9


def signature_hits(head: str) -> int:
    """How many self-evaluation words the head holds (simplified or traditional, pinyin dropped)."""
    text = strip_pinyin(head).replace(" ", "").replace("\u3000", "")
    return sum(1 for group in words.SIGNATURE_FORMS if any(word in text for word in group))


class SelfEvaluationTextReader:
    """A text layout of the self-evaluation form; subclasses say which."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    kind: Literal["text"] = "text"
    magic: tuple[bytes, ...] = ()
    positional: ClassVar[bool] = False  # blank cells keep their place

    def with_vocabulary(self, vocabulary: Vocabulary) -> Self:
        return self  # the target-table words do not apply; self-evaluation words are in selfeval_vocabulary

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        if head is None or head.lstrip()[:1] in ("{", "["):
            return 0.0
        if signature_hits(head) < 3:
            return 0.0
        lines = [line.rstrip("\r\n") for line in head.splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith(("SOURCE:", "KIND:"))]
        return _SURE * self.layout_confidence(lines) if lines else 0.0

    def layout_confidence(self, lines: list[str]) -> float:
        raise NotImplementedError

    def cells(self, lines: list[Line]) -> list[Cell]:
        raise NotImplementedError

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        from jixiao.io.readers.selfeval.cells import capture_lines
        from jixiao.io.readers.selfeval.form import read_tables

        numbered = capture_lines(islice(lines, MAX_LINES + 1))
        notes: list[Diagnostic] = []
        if len(numbered) > MAX_LINES:
            numbered = numbered[:MAX_LINES]
            notes.append(Diagnostic("file-refused", Severity.ERROR,
                                    f"文件超过 {MAX_LINES} 行，之后的内容未读入", source, MAX_LINES))
        decode = [Diagnostic("decode-error", Severity.ERROR, "该行含有无法识别的字节（文件编码可能损坏或混用），"
                             "已用“\ufffd”代替", source, number) for number, text in numbered if "\ufffd" in text]
        results = read_tables(self.cells(numbered), source, self.positional)
        for index, (table, diagnostics) in enumerate(results):
            extra = (*decode, *notes) if index == 0 else ()
            yield ReadResult(table, (*extra, *diagnostics))
