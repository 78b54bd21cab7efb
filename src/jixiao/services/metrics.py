"""Prometheus metrics (prometheus-client): requests, their latency, imported files and rows.

The web's middleware counts requests by route template (``/api/v1/projects/{code}``, never the path itself,
so the number of series stays bounded); the import service counts files by outcome and the indicator rows of
the tables it stored. Under ``jixiao serve --workers N`` each worker writes its numbers to
``PROMETHEUS_MULTIPROC_DIR`` and :func:`exposition` adds them up, so any worker answers for all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from jixiao.domain import AnyTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

REQUESTS = Counter("jixiao_http_requests", "HTTP 请求数：按方法、路由模板和状态码", ["method", "route", "status"])
LATENCY = Histogram("jixiao_http_request_duration_seconds", "HTTP 请求耗时（秒）：按方法和路由模板",
                    ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0))
IMPORT_FILES = Counter("jixiao_import_files", "导入的文件数：按结果（imported、unchanged、refused）", ["status"])
IMPORT_ROWS = Counter("jixiao_import_rows", "导入的指标行数：按表的种类（target、self_evaluation）", ["kind"])
# A gauge of the jobs table as it stands (not per process): in multi-process mode the most recent value wins.
JOBS = Gauge("jixiao_jobs", "后台任务数：按状态（queued、running、done、failed、cancelled）", ["state"],
             multiprocess_mode="mostrecent")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "OTHER"
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def count_import(status: str) -> None:
    IMPORT_FILES.labels(status).inc()


def count_rows(tables: Iterable[AnyTable]) -> None:
    """The indicator rows of the tables a file stored (one file's import, after its transaction)."""
    for table in tables:
        IMPORT_ROWS.labels(table.kind).inc(len(table.indicators))


def observe_jobs(sessions: sessionmaker[Session]) -> None:
    """Set the jobs-by-state gauge from the database (a scrape of any process sees every worker's jobs)."""
    from jixiao.services.jobs import counts_by_state

    try:
        with sessions() as session:
            counts = counts_by_state(session)
    except Exception:  # the database away: /metrics still answers with what it had (/readyz says why)
        return
    for state, count in counts.items():
        JOBS.labels(state).set(count)


def exposition() -> tuple[bytes, str]:
    """The text format Prometheus scrapes, and its content type (all workers' numbers in multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
