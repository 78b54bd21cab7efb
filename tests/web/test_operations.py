"""What an operator watches: /healthz, /readyz, /metrics, request ids and the structured log lines."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from jixiao.services.context import AppContext, migrate
from jixiao.services.imports import import_files
from jixiao.services.logs import configure
from jixiao.services.settings import Settings
from jixiao.web.app import create_app
from tests.test_cli import SEED

CODE = "50011522T000000157087"  # a project of the seed


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = tmp_path_factory.mktemp("ops") / "jixiao.sqlite3"
    context = AppContext.from_url(f"sqlite:///{path}")
    migrate(context)
    import_files(context.sessions, [SEED])
    return TestClient(create_app(context), raise_server_exceptions=False)


def broken(url: str) -> TestClient:
    return TestClient(create_app(AppContext.from_url(url)), raise_server_exceptions=False)


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = configure(Settings(log_format="json", log_level="INFO"), stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_healthz_needs_no_database() -> None:
    answer = broken("sqlite:////nonexistent/folder/jixiao.sqlite3").get("/healthz")
    assert answer.status_code == 200 and answer.json()["status"] == "ok" and answer.json()["version"]


def test_readyz_queries_the_database(client: TestClient) -> None:
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "queue": "ok"}
    for url in ("sqlite:////nonexistent/folder/jixiao.sqlite3", "postgresql://postgres@127.0.0.1:1/none"):
        answer = broken(url).get("/readyz")
        assert answer.status_code == 503, url
        assert answer.json() == {"error": {"code": "not_ready", "message": "服务暂不可用：无法连接数据库，请稍后重试",
                                           "details": []}}
        assert "nonexistent" not in answer.text and "127.0.0.1" not in answer.text  # the reason is in the log only


def test_readyz_says_when_the_job_queue_is_unreachable(client: TestClient, tmp_path: Path) -> None:
    from dataclasses import replace

    from jixiao.services.job_queue import JobQueue

    context = AppContext.from_url(f"sqlite:///{tmp_path / 'jixiao.sqlite3'}")
    for queue in ("postgresql://postgres@127.0.0.1:1/none", "sqlite:////etc/hostname/jobs.sqlite3"):
        app = create_app(replace(context, jobs=JobQueue.open(queue)))
        answer = TestClient(app, raise_server_exceptions=False).get("/readyz")
        assert answer.status_code == 503, queue
        assert answer.json()["error"] == {"code": "queue_not_ready", "details": [],
                                          "message": "服务暂不可用：无法连接后台任务队列，请稍后重试"}


def test_metrics_count_jobs_by_state(client: TestClient) -> None:
    body = client.get("/metrics").text
    for state in ("queued", "running", "done", "failed", "cancelled"):
        assert f'jixiao_jobs{{state="{state}"}} 0.0' in body


def test_health_routes_are_described_and_metrics_are_not(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ready = paths["/readyz"]["get"]["responses"]
    assert "200" in ready and "503" in ready and "/healthz" in paths
    assert "/metrics" not in paths


def test_request_ids_are_taken_or_made_and_returned(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "proxy-42.a:b"}).headers["x-request-id"] == "proxy-42.a:b"
    made = {client.get("/healthz", headers=headers).headers["x-request-id"]
            for headers in ({}, {}, {"X-Request-ID": "has space"}, {"X-Request-ID": "x" * 200})}
    assert len(made) == 4 and all(len(rid) == 32 and int(rid, 16) >= 0 for rid in made)
    assert client.get("/api/v1/nowhere").headers["x-request-id"]  # errors carry it too


def test_every_log_line_of_a_request_has_its_id(log_lines: io.StringIO) -> None:
    answer = broken("sqlite:////nonexistent/folder/jixiao.sqlite3").get("/readyz", headers={"X-Request-ID": "r-1"})
    assert answer.headers["x-request-id"] == "r-1"
    ours = [r for r in _records(log_lines) if r["logger"].startswith("jixiao")]
    assert [r["logger"] for r in ours] == ["jixiao.services.health", "jixiao.web.request"]
    assert {r["request_id"] for r in ours} == {"r-1"}
    warning, access = ours
    assert warning["level"] == "WARNING" and "unable to open database file" in warning["reason"]
    assert (access["method"], access["route"], access["status"]) == ("GET", "/readyz", 503)
    assert access["duration_ms"] >= 0 and access["time"].endswith("+00:00")
    logging.getLogger("jixiao.test").info("outside a request")
    assert _records(log_lines)[-1]["request_id"] == "-"


def test_text_logs_carry_the_id_too() -> None:
    stream = io.StringIO()
    handler = configure(Settings(log_format="text"), stream)
    try:
        TestClient(create_app(AppContext.from_url("sqlite:///:memory:"))).get("/healthz",
                                                                             headers={"X-Request-ID": "t-7"})
    finally:
        logging.getLogger().removeHandler(handler)
    line = next(line for line in stream.getvalue().splitlines() if "jixiao.web.request" in line)
    assert "INFO jixiao.web.request [t-7] GET /healthz 200" in line


def test_requests_are_counted_by_route_template(client: TestClient) -> None:
    # the public sees approved tables only: the seed's drafts are 404s, of the route's template all the same
    labels = {"method": "GET", "route": "/api/v1/projects/{code}", "status": "404"}
    before = _value("jixiao_http_requests_total", **labels)
    timed = _value("jixiao_http_request_duration_seconds_count", method="GET", route="/api/v1/projects/{code}")
    for _ in range(3):
        assert client.get(f"/api/v1/projects/{CODE}").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/static/app.css").status_code == 200
    scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    assert _value("jixiao_http_requests_total", **labels) == before + 3
    assert _value("jixiao_http_request_duration_seconds_count", method="GET",
                  route="/api/v1/projects/{code}") == timed + 3
    text = scraped.text
    assert 'route="/api/v1/projects/{code}"' in text and CODE not in text  # templates, never paths
    assert 'route="(unmatched)",status="404"' in text and 'route="/static/{path}"' in text
    assert "jixiao_http_request_duration_seconds_bucket" in text


def test_imports_count_files_and_rows(tmp_path: Path) -> None:
    context = AppContext.from_url(f"sqlite:///{tmp_path / 'rows.sqlite3'}")
    migrate(context)
    rows = _value("jixiao_import_rows_total", kind="target")
    imported, unchanged = _value("jixiao_import_files_total", status="imported"), \
        _value("jixiao_import_files_total", status="unchanged")
    import_files(context.sessions, [SEED, SEED])
    assert _value("jixiao_import_rows_total", kind="target") == rows + 36  # 9 tables, 36 indicators, once
    assert _value("jixiao_import_files_total", status="imported") == imported + 1
    assert _value("jixiao_import_files_total", status="unchanged") == unchanged + 1


def test_metrics_add_up_the_workers_of_a_multiprocess_server(tmp_path: Path) -> None:
    """``jixiao serve --workers N`` sets PROMETHEUS_MULTIPROC_DIR: two processes' counts are scraped as one."""
    program = ("from jixiao.services import metrics; metrics.observe_request('GET', '/healthz', 200, 0.01); "
               "import sys; sys.stdout.write(metrics.exposition()[0].decode())")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    outputs = [subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True,
                              check=True).stdout for _ in range(2)]
    assert 'jixiao_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in outputs[0]
    assert 'jixiao_http_requests_total{method="GET",route="/healthz",status="200"} 2.0' in outputs[1]
