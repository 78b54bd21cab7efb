"""Whichever reader takes a file, reading it never ends in silence (:func:`jixiao.io.reading._never_silent`).

Seen failing before: two real self-evaluations (tests/data/real/collected/155, 157) read as a table without a
single indicator row and no error, or as nothing at all with warnings only."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.selfeval_table import EvaluatedIndicator, SelfEvaluationTable
from jixiao.io.readers.base import Line, ReadResult
from jixiao.io.reading import read_stream


class _Quiet:
    """A text reader that yields what it is given, whatever the text (as a lenient layout reader might)."""

    name, title, kind = "quiet", "安静的读取器", "text"

    def __init__(self, results: list[ReadResult]) -> None:
        self.results = results

    def with_vocabulary(self, vocabulary: object) -> _Quiet:
        return self

    def sniff(self, first_bytes: bytes, head: str | None) -> float:
        return 1.0

    def read(self, lines: Iterable[Line], source: str) -> Iterator[ReadResult]:
        for _ in lines:
            pass
        yield from self.results


def _read(results: list[ReadResult]) -> list[ReadResult]:
    return list(read_stream(io.BytesIO("项目支出绩效自评表\n".encode()), "x.txt", _Quiet(results)))  # type: ignore[arg-type]


def test_a_file_with_no_table_and_no_error_says_so_once() -> None:
    warning = Diagnostic("stray-line", Severity.WARNING, "无法识别的行，未读入：“x”", "x.txt", 2)
    read = _read([ReadResult(None, (warning,))])
    errors = [d for r in read for d in r.diagnostics if d.severity is Severity.ERROR]
    assert [(d.code, d.file) for d in errors] == [("no-table", "x.txt")]
    assert "没有从文件中读出任何绩效目标表或绩效自评表" in errors[0].message


def test_a_self_evaluation_without_any_indicator_row_is_an_error() -> None:
    (result,) = _read([ReadResult(SelfEvaluationTable(), ())])
    assert [d.code for d in result.diagnostics] == ["selfeval-no-indicators"]
    assert result.diagnostics[0].severity is Severity.ERROR and result.table == SelfEvaluationTable()


def test_what_a_reader_already_said_is_not_said_again() -> None:
    refused = Diagnostic("no-table", Severity.ERROR, "没有找到绩效自评表", "x.txt")
    assert [d.code for r in _read([ReadResult(None, (refused,))]) for d in r.diagnostics] == ["no-table"]
    row = EvaluatedIndicator("满意度指标", "服务对象满意度指标", "群众满意度")
    (result,) = _read([ReadResult(SelfEvaluationTable(indicators=(row,)), ())])
    assert result.diagnostics == ()
