"""Run work that a hostile file could make huge in a child process with a memory and a wall-time limit.

The readers bound what they build (cells, characters, spans, drawn objects), but their libraries
(calamine, python-docx, pdfminer) can still be driven into allocating gigabytes or looping: a reader
aborting on a failed allocation would take the whole server worker with it. :func:`run_bounded` runs
``fn(*args)`` in a child whose address space is capped (``RLIMIT_AS``) and which the parent kills at
the deadline; the items ``fn`` yields stream back over a pipe (they must pickle), so the parent keeps
serving while the child reads. The outcome (done, memory, time, crash) and the child's peak RSS are
on the returned :class:`BoundedRun`: the caller turns a failure into its own diagnostic.

Children start from a fork server (``forkserver``), started once per process with the office
libraries already imported: a child costs a fork of that small, single-threaded process (a few ms),
not a fresh interpreter (``spawn``: ~0.5 s here) and not a fork of the multi-threaded server
(``fork``: unsafe with threads holding locks). A job queue can call :func:`run_bounded` the same way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
Outcome = Literal["running", "done", "memory", "time", "crash", "busy"]
PRELOAD = ["jixiao.io.reading", "python_calamine", "xlsxwriter.utility", "docx", "docx.table", "docx.text.paragraph",
           "pdfplumber", "pdfminer.pdftypes"]  # imported once, in the fork server: children start with them
_GRACE = 2.0  # seconds the child has beyond the limit to report its own, more precise, refusal
_context: Any = None
_STARTING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Bounds:
    memory: int  # bytes the child may allocate beyond what it holds when it starts (address space)
    seconds: float  # wall-clock time, counted from the start of the child


def _mp() -> Any:
    global _context
    if _context is None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        _context = multiprocessing.get_context(method)
        if method == "forkserver":
            _context.set_forkserver_preload(PRELOAD)
    return _context


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Start children without the parent's ``__main__``: multiprocessing would re-run a script given by path
    in every child (and import pytest or uvicorn there); the child needs only the function, found by name."""
    with _STARTING:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak RSS is the nearest measure
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def _child(connection: Connection, fn: Callable[..., Iterable[Any]], args: tuple[Any, ...], memory: int) -> None:
    """Runs in the child: cap the address space, then stream ``fn``'s items and a last word."""
    try:
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        for item in fn(*args):
            connection.send(("item", item))
        connection.send(("done", _peak_rss()))
    except MemoryError:
        with contextlib.suppress(MemoryError):  # nothing left even to say so: the parent sees the pipe close
            connection.send(("memory", _peak_rss()))
    except BaseException as error:  # a reader must never raise; if one does, the parent reports it
        connection.send(("crash", f"{type(error).__name__}: {str(error)[:200]}"))
    finally:
        connection.close()


MAX_CHILDREN = max(2, os.cpu_count() or 1)  # bounded children running at once in one process
_SLOTS = threading.BoundedSemaphore(MAX_CHILDREN)


@dataclass(eq=False)
class BoundedRun(Generic[T]):
    """One bounded child: iterate it for ``fn``'s items; afterwards ``outcome`` says how it ended."""

    fn: Callable[..., Iterable[T]]
    args: tuple[Any, ...]
    bounds: Bounds
    outcome: Outcome = "running"
    peak_rss: int | None = None  # bytes, as the child measured it (None when it was killed)
    seconds: float = 0.0
    detail: str = ""
    exitcode: int | None = None
    _started: float = field(default=0.0, repr=False)

    def __iter__(self) -> Iterator[T]:
        # At most MAX_CHILDREN at once in this process: each may take its memory limit, so parallel hostile
        # uploads cannot add up to more than the machine has. A read waits its time limit for a slot.
        if not _SLOTS.acquire(timeout=self.bounds.seconds):
            self.outcome, self.detail = "busy", f"{MAX_CHILDREN} reads already running"
            return
        try:
            yield from self._run()
        finally:
            _SLOTS.release()

    def _run(self) -> Iterator[T]:
        context = _mp()
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(send, self.fn, self.args, self.bounds.memory), daemon=True)
        try:
            with _main_hidden():
                process.start()  # the first start also starts the fork server: not counted against the file
        except Exception as error:  # no process to be had (limits, a daemonic parent) or arguments that do not pickle
            self.outcome, self.detail = "crash", f"{type(error).__name__}: {error}"
            send.close()
            receive.close()
            return
        self._started = time.monotonic()
        send.close()
        until = self._started + self.bounds.seconds + _GRACE
        try:
            while True:
                if not receive.poll(max(0.0, until - time.monotonic())):
                    self.outcome = "time"
                    return
                try:
                    kind, value = receive.recv()
                except (EOFError, OSError):  # the child died without a word: killed by the kernel, or aborted
                    process.join(1.0)
                    self.exitcode = process.exitcode
                    self.outcome = "memory" if process.exitcode in (-6, -9) else "crash"
                    self.detail = f"exit {process.exitcode}"
                    return
                if kind == "item":
                    yield value
                    continue
                if kind == "crash":
                    self.outcome, self.detail = "crash", str(value)
                else:
                    self.outcome, self.peak_rss = kind, int(value)
                return
        finally:
            self.seconds = time.monotonic() - self._started
            if process.is_alive():
                process.kill()
            process.join()
            if self.exitcode is None:
                self.exitcode = process.exitcode
            receive.close()

    @property
    def failed(self) -> bool:
        return self.outcome in ("memory", "time", "crash", "busy")


def run_bounded(fn: Callable[..., Iterable[T]], args: tuple[Any, ...], bounds: Bounds) -> BoundedRun[T]:
    """``fn(*args)`` in a child with ``bounds``; iterate the result to run it. ``fn`` must be importable by
    name (a module-level function) and its arguments and items must pickle."""
    return BoundedRun(fn, args, bounds)
