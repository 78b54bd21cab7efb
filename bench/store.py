"""Storage and API stages of ``make bench``: bulk load into SQLite and PostgreSQL, then Locust.

Loading is compared with sqlite-utils inserting the same project and version rows into SQLite,
batch by batch in the same run (rows are prepared outside both timings; jixiao's deferred list
indexes are rebuilt inside its timing). The API is served by
uvicorn on loopback and driven by Locust (50 users); only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from jixiao.io.reading import read_path
from jixiao.services.bulk import BulkLoader, analyze, batches, version_row
from jixiao.storage.db import make_engine
from jixiao.storage.migrate import upgrade

LOAD_RATIO_GOAL = 1.0
P95_GOAL_MS = 100.0
PAGE_P95_GOAL_MS = 150.0  # the list page (with a filter) and the project page, on SQLite
PAGE_PASSWORD = "bench-pages-password"
WORKERS = 2  # one per core; Locust runs on the same two cores
PG_URL = os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent


def _sqlite_utils_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    # the same project columns jixiao writes: the list's search text and live review summary, the creation time
    created = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    projects = [{"code": r["code"], "name": r["name"], "name_key": r["name_key"],
                 "unit": r["unit"].code if r["unit"] else None, "fiscal_year": r["year"], "state": "draft",
                 "search_text": r["search_text"],
                 "worst_severity": r["summary"][0], "review_grade": r["summary"][1], "created_at": created}
                for r in rows]
    # the content goes in as a dict, as it does for jixiao: sqlite-utils serialises it to JSON itself
    versions = [{"project": r["code"], "number": 1, "content": r["content"],
                 "content_hash": r["content_hash"],
                 "total_wan": None if r["total_wan"] is None else format(r["total_wan"], "f")} for r in rows]
    return projects, versions


def pg_schema_url() -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return schema, f"{PG_URL}?options=-csearch_path%3D{schema}"


def drop_pg_schema(schema: str) -> None:
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def load_all(corpus: Path, folder: Path, pg_url: str | None) -> dict[str, Any]:
    import sqlite_utils

    ours_engine = make_engine(f"sqlite:///{folder / 'jixiao.sqlite3'}")
    upgrade(ours_engine)
    # Deferred list indexes (rebuilt by finish(), timed below): sqlite-utils's tables have none to keep up.
    ours = BulkLoader(ours_engine, defer_indexes=True)
    baseline = sqlite_utils.Database(folder / "sqlite_utils.sqlite3")
    pg = None
    if pg_url:
        pg_engine = make_engine(pg_url)
        upgrade(pg_engine)
        pg = BulkLoader(pg_engine, defer_indexes=True)
    times = {"jixiao_sqlite": 0.0, "sqlite_utils": 0.0, "jixiao_postgresql": 0.0}
    tables = (r.table for r in read_path(corpus) if r.table is not None)
    for batch in batches(tables, 1000):
        rows = [version_row(table) for table in batch]
        projects, versions = _sqlite_utils_rows(rows)
        started = time.perf_counter()
        ours.load([dict(row) for row in rows])
        times["jixiao_sqlite"] += time.perf_counter() - started
        started = time.perf_counter()
        baseline["projects"].insert_all(projects, batch_size=1000)
        baseline["versions"].insert_all(versions, batch_size=1000)
        times["sqlite_utils"] += time.perf_counter() - started
        if pg is not None:
            started = time.perf_counter()
            pg.load([dict(row) for row in rows])
            times["jixiao_postgresql"] += time.perf_counter() - started
    started = time.perf_counter()
    ours.finish()
    times["jixiao_sqlite"] += time.perf_counter() - started
    if pg is not None:
        started = time.perf_counter()
        pg.finish()
        times["jixiao_postgresql"] += time.perf_counter() - started
    analyze(ours_engine)
    if pg is not None:
        analyze(pg.engine)
    return {"times": times, "tables": ours.result.tables, "sqlite_url": f"sqlite:///{folder / 'jixiao.sqlite3'}"}


def _admin_token(url: str) -> tuple[str, str]:
    """An API token, and the name of the same administrator for the pages (password PAGE_PASSWORD)."""
    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import add_user, issue_token
    from jixiao.storage.db import session_factory

    sessions = session_factory(make_engine(url))
    add_user(sessions, f"bench-{uuid.uuid4().hex[:6]}", PAGE_PASSWORD, Role.ADMIN)
    with sessions() as session:
        from sqlalchemy import select

        from jixiao.storage.models import User

        name = session.scalars(select(User.username).order_by(User.id.desc())).first()
    assert name is not None
    return issue_token(sessions, name, "bench"), name


def _page_sessions(url: str, user: str, count: int) -> list[str]:
    """One login session per simulated browser user, made before the timed run."""
    from jixiao.services.accounts import login
    from jixiao.storage.db import session_factory

    sessions = session_factory(make_engine(url))
    made = [login(sessions, user, PAGE_PASSWORD) for _ in range(count)]
    return [found[0] for found in made if found is not None]


def _locust(port: int, label: str, user_class: str, seconds: int, users: int,
            env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Users start over 5 s (as a morning's logins would), and figures count from when all run."""
    with tempfile.TemporaryDirectory() as out:
        prefix = str(Path(out) / label)
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), user_class,
                        "--headless", "-u", str(users), "-r", str(max(1, users // 5)), "--reset-stats",
                        "-t", f"{seconds + 5}s",
                        "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary"],
                       env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # (Locust exits 1 when a request failed: the failures are in the figures, counted by the caller)
        stats: dict[str, dict[str, float]] = {}
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["Name"] in ("list (filters)", "detail", "findings", "list page (filters)", "project page",
                                   "Aggregated"):
                    stats[row["Name"]] = {"rps": float(row["Requests/s"]), "p50": float(row["50%"]),
                                          "p95": float(row["95%"]), "p99": float(row["99%"]),
                                          "failures": float(row["Failure Count"]),
                                          "requests": float(row["Request Count"])}
        return stats


def drive_api(url: str, label: str, seconds: int, users: int, port: int,
              user_classes: tuple[str, ...] = ("Officer", "Saturating", "PageReader"),
              ) -> dict[str, dict[str, dict[str, float]]]:
    """Serve ``url`` with uvicorn on 127.0.0.1:``port`` and run Locust headless, once per user class."""
    token, user = _admin_token(url)
    env = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_BENCH_TOKEN": token,
           "JIXIAO_BENCH_SESSIONS": ",".join(_page_sessions(url, user, users))}
    server = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(WORKERS)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/organizations", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return {name: _locust(port, f"{label}-{name}", name, seconds, users, env) for name in user_classes}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
