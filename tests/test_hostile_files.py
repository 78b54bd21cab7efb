"""Every file of the hostile corpus (tests/hostile_corpus.py), through every reader: refused with a
diagnostic, quickly, in a child whose peak memory stays small; and the bounded child itself holds when
a reader does run away (memory, time, a crash)."""

from __future__ import annotations

import io
import time

import pytest

from jixiao.domain import Severity
from jixiao.io import registry
from jixiao.io.limits import Limits
from jixiao.io.reading import read_bytes, read_stream
from tests.hostile_corpus import CORPUS

SECONDS = 15.0  # each file, whole read (the slowest here takes about 1 s on a quiet machine)
PEAK_RSS = 400 * 1024 * 1024  # the child's peak resident memory (it starts at about 100 MB with the libraries)
REFUSALS = {"file-refused", "read-aborted"}  # refused as hostile or broken, not merely "no table found"


@pytest.fixture(scope="module")
def corpus() -> dict[str, bytes]:
    return {name: make() for name, make in CORPUS.items()}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_hostile_file_is_refused_quickly(corpus: dict[str, bytes], name: str) -> None:
    """Seen failing before the fix: sheet-single-quotes and sheet-spaces-around-equals read as a table from a
    10-million-cell grid (5.9 s, 415 MB); the other sheet-* files and shared-string-repeated built their grids
    (409 MB to 1.9 GB) and said only "no table"; grid-span.docx took 109 s; vertical-merge.docx,
    compressed-stream.pdf and many-lines.pdf ran past 40 s (killed) under a 4 GB address-space cap."""
    started = time.monotonic()
    results = list(read_bytes(corpus[name], name))
    elapsed = time.monotonic() - started
    errors = [d for r in results for d in r.diagnostics if d.severity is Severity.ERROR]
    assert all(r.table is None for r in results), name
    assert errors and errors[0].code in REFUSALS, [d.render() for d in errors]
    assert all(d.file == name and d.message for d in errors)
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_reader_refuses_every_hostile_file(corpus: dict[str, bytes], name: str) -> None:
    """Forced onto each reader (``--reader``), a hostile file is a diagnostic from each, never a raise."""
    for reader in registry.all_readers():
        started = time.monotonic()
        results = list(read_stream(io.BytesIO(corpus[name]), name, reader))
        assert all(r.table is None for r in results), (name, reader.name)
        assert any(d.severity is Severity.ERROR for r in results for d in r.diagnostics), (name, reader.name)
        assert time.monotonic() - started < SECONDS, (name, reader.name)


@pytest.mark.parametrize("name", sorted(n for n in CORPUS if n.endswith((".xlsx", ".docx", ".pdf"))))
def test_the_bounded_child_stays_small_on_every_hostile_file(corpus: dict[str, bytes], name: str) -> None:
    from jixiao.io.reading import bounded_read

    data = corpus[name]
    reader = registry.choose(data, None)
    assert reader is not None
    if not getattr(reader, "isolated", False):  # old-office, zip: refused from the magic bytes, in this process
        assert reader.name in ("old-office", "zip")
        assert any(d.code == "file-refused" for r in reader.read(data, name, Limits()) for d in r.diagnostics)
        return
    run = bounded_read(reader, data, name, Limits())
    results = list(run)
    assert run.outcome == "done", (run.outcome, run.detail)
    assert run.peak_rss is not None and run.peak_rss < PEAK_RSS, f"{name}: {run.peak_rss}"
    assert run.seconds < SECONDS
    assert any(d.code == "file-refused" for r in results for d in r.diagnostics)


def test_a_runaway_library_is_stopped_by_the_memory_limit(corpus: dict[str, bytes]) -> None:
    """With the measuring checks lifted, calamine builds the 10-million-cell grid: the child's memory
    limit stops it and the parent reports it (before the fix such a file made `jixiao parse` abort, 134)."""
    loose = Limits(max_cells=10**9, max_rows=10**7, max_memory=150 * 1024 * 1024)
    results = list(read_bytes(corpus["sheet-single-quotes.xlsx"], "q.xlsx", loose))
    codes = [d.code for r in results for d in r.diagnostics]
    assert codes[-1] == "read-aborted" and "内存超过上限（150 MB）" in results[-1].diagnostics[0].message


def _allocate(megabytes: int) -> list[bytes]:
    return [b"x" * (megabytes * 1024 * 1024)]


def _spin(seconds: float) -> list[int]:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        pass
    return [1]


def _abort() -> list[int]:
    import os

    os.abort()


def test_run_bounded_reports_memory_time_and_crash() -> None:
    from jixiao.io.bounded import Bounds, run_bounded

    fine = run_bounded(_allocate, (10,), Bounds(memory=200 * 1024 * 1024, seconds=10))
    assert [len(x) for x in fine] == [10 * 1024 * 1024] and fine.outcome == "done"
    assert fine.peak_rss is not None and fine.peak_rss > 10 * 1024 * 1024
    memory = run_bounded(_allocate, (2000,), Bounds(memory=200 * 1024 * 1024, seconds=10))
    assert list(memory) == [] and memory.outcome == "memory"
    started = time.monotonic()
    slow = run_bounded(_spin, (60.0,), Bounds(memory=200 * 1024 * 1024, seconds=0.5))
    assert list(slow) == [] and slow.outcome == "time"
    assert time.monotonic() - started < 10 and slow.exitcode is not None  # killed and reaped, not left running
    crash = run_bounded(_abort, (), Bounds(memory=200 * 1024 * 1024, seconds=10))
    assert list(crash) == [] and crash.failed and crash.exitcode == -6


def test_a_small_office_read_in_the_child_costs_little(corpus: dict[str, bytes]) -> None:
    """The fork server makes a bounded read cost milliseconds more than an in-process one."""
    from tests.hostile_corpus import _valid

    data = _valid("xlsx")
    list(read_bytes(data, "warm.xlsx"))  # starts the fork server once

    def best(limits: Limits) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            assert any(r.table for r in read_bytes(data, "seed.xlsx", limits))
            times.append(time.perf_counter() - started)
        return min(times)

    overhead = best(Limits()) - best(Limits(isolate=False))
    assert overhead < 0.5, f"{overhead * 1000:.0f} ms"


def test_a_pdf_whose_pages_fail_to_parse_is_refused_not_raised() -> None:
    """Found by bench/fuzz.py (13 of 2,098 PDF cases): pdfplumber's close() walks the pages again and raised
    the parse error out of the reader (in the child: a crash). Seen failing before the fix: PdfminerException
    "Invalid dictionary construct" raised from read_bytes."""
    from tests.fuzz_cases import seed_file

    data = seed_file("pdf").replace(b"/FlateDecode/Length", b"/FlateDecode</Length", 1).replace(b"stream", b"str-am", 1)
    for limits in (Limits(isolate=False), Limits()):
        results = list(read_bytes(data, "broken.pdf", limits))
        assert [d.code for r in results for d in r.diagnostics] == ["file-refused"]


def test_no_more_bounded_children_run_at_once_than_the_cap() -> None:
    """Found by review: parallel hostile uploads each got a child with its own memory limit, with no cap on how
    many ran together. Now at most MAX_CHILDREN run; one more waits for a slot, and past its time limit it is
    refused ("busy", read-aborted), never started."""
    import threading

    from jixiao.io import bounded
    from jixiao.io.bounded import Bounds, run_bounded

    cap = bounded.MAX_CHILDREN
    runs = [run_bounded(_spin, (3.0,), Bounds(memory=200 * 1024 * 1024, seconds=20)) for _ in range(cap)]
    threads = [threading.Thread(target=lambda run=run: list(run)) for run in runs]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while any(run.outcome == "running" and run._started == 0.0 for run in runs) and time.monotonic() < deadline:
        time.sleep(0.05)  # (waiting for the children to start, not for a result)
    extra = run_bounded(_spin, (0.1,), Bounds(memory=200 * 1024 * 1024, seconds=0.5))
    assert list(extra) == [] and extra.outcome == "busy" and extra.failed
    for thread in threads:
        thread.join()
    assert [run.outcome for run in runs] == ["done"] * cap
    after = run_bounded(_spin, (0.1,), Bounds(memory=200 * 1024 * 1024, seconds=5))
    assert list(after) == [1] and after.outcome == "done"  # the slots are given back
