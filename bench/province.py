"""The ``province`` stage of ``make bench``: a province's database on PostgreSQL, two web processes under Locust
while a large import runs beside them.

    .venv/bin/python -m bench.province                                  # 100,000 then 200,000 projects
    .venv/bin/python -m bench.province --projects 20000 --compare 10000 --users 50 --seconds 30 --files 500
    .venv/bin/python -m bench.run --stages province --province-args "--projects 20000 --users 50"

For each size (``--compare`` first, then ``--projects``; the second grows the same database): generated
target tables (``bench.generate``, about 5.5 indicators each: 200,000 projects hold about 1,100,000
indicators) are bulk-loaded (``services/bulk.BulkLoader``: COPY; the rows are prepared by a pool of processes,
each drawing its own seeded chunk), then ``jixiao serve --workers 2`` serves them on 127.0.0.1 and Locust's
``Officer`` (``bench/locustfile.py``: list with filters, detail, findings; 0.5–2 s think time) runs ``--users``
users while ``--files`` new files are imported in the background. Printed: list and detail p95, errors, the
import's throughput (files/s, indicator rows/s) and the peak memory (RSS) of every process. Only 127.0.0.1 is
ever contacted; the PostgreSQL schema is the run's own and is dropped after.

The import runs through :func:`start_background_import`: a ``jixiao worker`` process (the job queue in the same
PostgreSQL schema) and ``jixiao import --background --wait DIR``, which submits the files as one import job and
follows it to its end (one transaction per file, in the worker).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, func, select

from bench import store
from bench.generate import iter_tables
from jixiao.services.bulk import BulkLoader, analyze, version_row
from jixiao.storage.db import make_engine
from jixiao.storage.migrate import upgrade
from jixiao.storage.models import Project, TableVersion

P95_GOAL_MS = 200.0
FLAT_RATIO = 1.5  # p95 at the larger size within 1.5x of the smaller one
CHUNK = 1_000  # tables one pool task draws (seeded by its index: the same tables in every run)
LOAD_SEED = 2026_0000
IMPORT_SEED = 2027_0000
PORT = 8771
MB = 2**20


@dataclass
class ImportHandle:
    """A background import: the command that submitted and follows the job, the worker running it, when it started,
    and what it was given (files, indicator rows)."""

    process: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    started: float
    files: int
    rows: int
    log: Path
    finished: float | None = None

    @property
    def pid(self) -> int:
        return self.worker.pid

    def wait(self, timeout: float | None = None) -> int:
        """The command's exit (0 done, 1 some file refused or the job failed), then the worker is stopped."""
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            self.finished = self.finished or time.perf_counter()
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        return code

    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started


def start_background_import(files_dir: Path, db_url: str) -> ImportHandle:
    """Start importing every file of ``files_dir`` into ``db_url`` as a job; returns at once.

    A ``jixiao worker`` process runs the job (the queue is huey's tables in the same database);
    ``jixiao import --background --wait`` submits it and follows it until it ends.
    """
    files = sorted(files_dir.glob("*.txt"))
    rows = int((files_dir / "rows").read_text()) if (files_dir / "rows").exists() else 0
    log = files_dir.parent / f"{files_dir.name}.log"
    env = {**os.environ, "JIXIAO_DATABASE_URL": db_url, "JIXIAO_LOG_LEVEL": "WARNING"}
    with log.open("wb") as sink:
        worker = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=sink)
        process = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "import", "--background", "--wait",
                                    str(files_dir)], env=env, stdout=subprocess.DEVNULL, stderr=sink)
    return ImportHandle(process, worker, time.perf_counter(), len(files), rows, log)


def write_import_files(folder: Path, count: int, seed: int) -> Path:
    """``count`` new files of one table each (exported text, as units send them) and their indicator count."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    for index, (table, text) in enumerate(iter_tables(count, seed)):
        (folder / f"{index:05d}.txt").write_text(text, encoding="utf-8")
        rows += len(table.indicators)
    (folder / "rows").write_text(str(rows))
    return folder


def _chunk_rows(index: int) -> list[dict[str, Any]]:
    return [version_row(table) for table, _text in iter_tables(CHUNK, LOAD_SEED + index)]


@dataclass
class Loader:
    """Grows one database chunk by chunk; every project code at most once (a repeat is skipped)."""

    engine: Engine
    bulk: BulkLoader
    next_chunk: int = 0
    indicators: int = 0
    seconds: float = 0.0
    codes: set[str] = field(default_factory=set)

    def projects(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Project)) or 0)

    def grow_to(self, wanted: int, pool: Any) -> int:
        """Load new projects until the database holds ``wanted``; returns how many were loaded."""
        with self.engine.connect() as connection:  # what the imports added meanwhile is taken too
            self.codes.update(connection.scalars(select(Project.code)))
        missing = wanted - len(self.codes)
        loaded = 0
        started = time.perf_counter()
        while loaded < missing:  # a bounded round of chunks at a time (a few repeats are skipped)
            wanted_chunks = -(-(missing - loaded) * 102 // (100 * CHUNK))
            first, self.next_chunk = self.next_chunk, self.next_chunk + wanted_chunks
            for rows in pool.imap(_chunk_rows, range(first, self.next_chunk)):
                fresh: list[dict[str, Any]] = []
                for row in rows:
                    if row["code"] not in self.codes and len(fresh) < missing - loaded:
                        self.codes.add(row["code"])
                        self.indicators += len(row["content"].get("indicators") or ())
                        fresh.append(row)
                if fresh:
                    self.bulk.load(fresh)
                loaded += len(fresh)
        self.bulk.finish()
        analyze(self.engine)
        self.seconds += time.perf_counter() - started
        return loaded


class Memory:
    """Peak RSS of the server's processes and the import, sampled every half second in a thread."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self.peaks: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for label, pid in self.roots.items():
            try:
                root = psutil.Process(pid)
                found = [(label, root), *((f"{label} child", child) for child in root.children(recursive=True))]
            except psutil.Error:
                continue
            for name, process in found:
                try:
                    rss = process.memory_info().rss
                    command = " ".join(process.cmdline()[1:4])[:60]
                except psutil.Error:
                    continue
                self.names.setdefault(process.pid, f"{name} {process.pid} ({command})")
                self.peaks[process.pid] = max(self.peaks.get(process.pid, 0), rss)

    def _run(self) -> None:
        while not self.stop.is_set():
            self._sample()
            self.stop.wait(0.5)

    def __enter__(self) -> Memory:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def rows(self) -> Iterator[tuple[str, int]]:
        for pid, peak in self.peaks.items():
            yield self.names[pid], peak


def _serve(url: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "2"], env={**env, "JIXIAO_DATABASE_URL": url,
                                                                           "JIXIAO_LOG_LEVEL": "WARNING"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"jixiao serve exited {server.returncode}") from None
            time.sleep(0.2)
    raise RuntimeError("jixiao serve did not become ready")


def _warm(port: int, token: str) -> None:
    """A few requests of each kind first, so both workers have loaded the profile and filled their pools."""
    import json

    def get(path: str) -> bytes:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            body: bytes = answer.read()
            return body

    codes = [item["code"] for item in json.loads(get("/api/v1/projects?per_page=20"))["items"]]
    for code in codes * 2:
        get("/api/v1/projects?state=draft&year=2022&per_page=50&page=3&sort=-code")
        get(f"/api/v1/projects/{code}")
        get(f"/api/v1/projects/{code}/findings")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def measure(ctx: Any, label: str, url: str, options: argparse.Namespace, files_dir: Path) -> dict[str, float]:
    """One Locust run of the officers while the import of ``files_dir`` runs; records and returns p95s."""
    token, _user = store._admin_token(url)
    env = {**os.environ, "JIXIAO_BENCH_TOKEN": token}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = _serve(url, env, options.port)
    _warm(options.port, token)
    versions_before = _count(url, TableVersion)
    try:
        handle = start_background_import(files_dir, url)
        with Memory({"web": server.pid, "worker": handle.pid, "import": handle.process.pid}) as memory:
            stats = store._locust(options.port, f"province-{label}", "Officer", options.seconds, options.users, env)
            overlapped = handle.process.poll() is None
            code = handle.wait()
    finally:
        _stop(server)
    ctx.note("province", f"{label}: load average of the machine {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
                         f"(1/5/15 min, {os.cpu_count()} CPUs; other work on the machine slows every figure)")
    figures: dict[str, float] = {}
    for name in ("list (filters)", "detail", "findings"):
        figure = stats.get(name)
        if figure is None:  # (findings are a seventh of the requests: a very short run may have none)
            ctx.check(name == "findings", f"province {label}: no Locust figures for {name}")
            continue
        figures[name] = figure["p95"]
        ctx.record("province", f"{label} {name}", figure["p95"],
                   f"{figure['rps']:.0f} req/s, p50 {figure['p50']:.0f} ms, p95 {figure['p95']:.0f} ms, "
                   f"p99 {figure['p99']:.0f} ms, {figure['failures']:.0f} errors")
        if name != "findings":
            ctx.goal(f"province {label}: {name} p95 below {P95_GOAL_MS:g} ms ({options.users} officers, import "
                     "running)", figure["p95"] < P95_GOAL_MS, f"{figure['p95']:.0f} ms")
    total = stats.get("Aggregated", {})
    errors = total.get("failures", 0.0)
    ctx.record("province", f"{label} errors", errors, f"{errors:.0f} of {total.get('requests', 0):.0f} requests")
    ctx.check(errors == 0, f"province {label}: {errors:.0f} requests failed")
    seconds = handle.seconds()
    added = _count(url, TableVersion) - versions_before  # (what was stored: also right for an import cut short)
    done = handle.files if code in (0, 1) else added  # all read (1: some refused), or stopped: what it stored
    rows = handle.rows * done / max(handle.files, 1)
    ctx.record("province", f"{label} import", done / seconds,
               f"{done:,} of {handle.files:,} files in {seconds:.1f} s: {done / seconds:.1f} files/s, "
               f"{rows / seconds:,.0f} indicator rows/s ({added:,} new versions, exit {code}"
               f"{'' if overlapped else '; it ended before the load did'})")
    ctx.check(code == 0 and added == handle.files, f"province {label}: import exit {code}, {added:,} of "
                                                   f"{handle.files:,} files stored (log {handle.log})")
    for name, peak in sorted(memory.rows()):
        ctx.record("province", f"{label} rss {name.split(' (')[0]}", peak, f"{peak / MB:.0f} MB  {name}")
    return figures


def _count(url: str, model: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def run(ctx: Any, options: argparse.Namespace) -> None:
    sizes = sorted({size for size in (options.compare, options.projects) if size > 0})
    schema, url = (options.schema, f"{store.PG_URL}?options=-csearch_path%3D{options.schema}") if options.schema \
        else store.pg_schema_url()
    engine = make_engine(url)
    ctx.note("province", f"PostgreSQL schema {schema}; sizes {', '.join(f'{s:,}' for s in sizes)}; "
                         f"{options.users} users for {options.seconds} s; {options.files:,} files imported per size")
    try:
        upgrade(engine)
        loader = Loader(engine, BulkLoader(engine, defer_indexes=True))
        loader.next_chunk = loader.projects() // CHUNK + 1  # a kept schema: past the chunks it was loaded from
        results: dict[int, dict[str, float]] = {}
        with tempfile.TemporaryDirectory(prefix="jixiao-province-") as folder, \
                multiprocessing.get_context("fork").Pool(max(1, os.cpu_count() or 1)) as pool:
            for round_index, size in enumerate(sizes):
                loaded = loader.grow_to(size, pool)
                label = f"@{size:,}"
                ctx.record("province", f"{label} load", loader.seconds,
                           f"{loaded:,} projects loaded (now {loader.projects():,}, {loader.indicators:,} indicators "
                           f"loaded in all), {loader.seconds:.1f} s of loading so far")
                files = write_import_files(Path(folder) / f"import-{size}", options.files,  # new in a kept schema too
                                           IMPORT_SEED + round_index * 1000 + loader.projects())
                results[size] = measure(ctx, label, url, options, files)
        if len(sizes) == 2:
            small, large = (results[s] for s in sizes)
            for name in ("list (filters)", "detail"):
                if name in small and name in large and small[name] > 0:
                    ratio = large[name] / small[name]
                    ctx.record("province", f"{name} p95 ratio", ratio,
                               f"{ratio:.2f}x from {sizes[0]:,} to {sizes[1]:,} projects")
                    ctx.goal(f"province {name} p95 flat ({sizes[0]:,} → {sizes[1]:,} projects, within "
                             f"{FLAT_RATIO:g}x)", ratio <= FLAT_RATIO, f"{ratio:.2f}x")
    finally:
        engine.dispose()
        if options.keep_schema or options.schema:
            ctx.note("province", f"schema {schema} kept (--schema {schema} grows it in a later run)")
        else:
            store.drop_pg_schema(schema)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description="The province stage.")
    parser.add_argument("--projects", type=int, default=200_000, help="projects at the full size")
    parser.add_argument("--compare", type=int, default=100_000, help="the smaller size measured first (0: none)")
    parser.add_argument("--users", type=int, default=200, help="Locust officers (think time 0.5–2 s)")
    parser.add_argument("--seconds", type=int, default=60, help="Locust run per size, after all users started")
    parser.add_argument("--files", type=int, default=5_000, help="files imported in the background per size")
    parser.add_argument("--port", type=int, default=PORT, help="loopback port of the web processes")
    parser.add_argument("--keep-schema", action="store_true", help="keep the PostgreSQL schema after the run")
    parser.add_argument("--schema", default=None,
                        help="use (and keep) this existing schema of a kept run: its projects count toward the sizes")
    options = parser.parse_args(argv)
    if options.projects < 1 or options.users < 1 or options.seconds < 1 or options.files < 1:
        parser.error("--projects, --users, --seconds and --files must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    from bench.run import Context, Corpus, summary

    options = parse_args(argv)
    ctx = Context(Corpus(Path(os.devnull), 0, None), options)
    run(ctx, options)
    return summary(ctx)


if __name__ == "__main__":
    sys.exit(main())
