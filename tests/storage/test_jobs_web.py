"""Jobs through the API (202 and a job to poll, the one error envelope) and the 我的任务 page (rows, cancel,
download), on both databases."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jixiao.services.accounts import issue_token
from jixiao.services.permissions import Actor
from jixiao.web.app import create_app
from tests.storage.jobs_support import context_for, distinct_files, wait, worker


def _client(engine: Engine, tmp_path: Path) -> tuple[TestClient, object]:
    context = context_for(engine, tmp_path)
    return TestClient(create_app(context), raise_server_exceptions=False), context


def test_api_submits_polls_downloads_and_keeps_jobs_private(engine: Engine, tmp_path: Path,
                                                             actors: dict[str, Actor]) -> None:
    client, context = _client(engine, tmp_path)
    unit = {"Authorization": "Bearer " + issue_token(context.sessions, "unit", "t")}  # type: ignore[attr-defined]
    other = {"Authorization": "Bearer " + issue_token(context.sessions, "other_unit", "t")}  # type: ignore[attr-defined]
    files = [{"file_name": name, "content_base64": base64.b64encode(data).decode()}
             for name, data in distinct_files(2, first=990_000)]
    # a unit may import only its own unit's tables: these are 145001's, so the job refuses neither
    answer = client.post("/api/v1/jobs/imports", json={"files": files}, headers=unit)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert answer.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["state"], job["state_label"], job["total"], job["finished"]) == ("queued", "排队中", 2, False)
    with worker(context):  # type: ignore[arg-type]
        wait(context, actors["unit"], job["id"])  # type: ignore[arg-type]
    polled = client.get(f"/api/v1/jobs/{job['id']}", headers=unit).json()
    assert (polled["state"], polled["done"], polled["percent"], polled["finished"]) == ("done", 2, 100, True)
    assert polled["created_at"].endswith("+08:00")
    result = client.get(f"/api/v1/jobs/{job['id']}/result", headers=unit).json()
    assert result["file_name"].endswith(".csv") and result["media_type"].startswith("text/csv")
    assert base64.b64decode(result["content_base64"]).decode("utf-8-sig").count("已导入") == 2
    for path in (f"/api/v1/jobs/{job['id']}", f"/api/v1/jobs/{job['id']}/result"):
        refused = client.get(path, headers=other)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "job_not_found"
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=other).json()["error"]["code"] == "job_not_found"
    finished = client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=unit)
    assert (finished.status_code, finished.json()["error"]["code"]) == (409, "job_finished")
    assert client.get("/api/v1/jobs", headers=other).json() == {"total": 0, "jobs": []}
    assert client.get("/api/v1/jobs", headers=unit).json()["total"] == 1
    assert 'jixiao_jobs{state="done"} 1.0' in client.get("/metrics").text
    assert client.get("/readyz").json()["queue"] == "ok"
    public = client.post("/api/v1/jobs/imports", json={"files": files})
    assert public.status_code == 403 and public.json()["error"]["message"] == "导入需要登录"
    empty = client.post("/api/v1/jobs/imports", json={"files": []}, headers=unit)
    assert empty.status_code == 422 and "error" in empty.json()


def _sign_in(client: TestClient, sessions: object, username: str) -> str:
    from jixiao.services.accounts import reset_password

    reset_password(sessions, username, "job-page-password-1")  # type: ignore[arg-type]
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post("/login", data={"username": username, "password": "job-page-password-1",
                                         "csrf_token": token.group(1)}, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.text
    home = client.get("/jobs")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    return csrf.group(1) if csrf else ""


def test_the_import_page_sends_many_files_to_a_job_and_my_jobs_shows_it(engine: Engine, tmp_path: Path,
                                                                        actors: dict[str, Actor]) -> None:
    client, context = _client(engine, tmp_path)
    sessions = context.sessions  # type: ignore[attr-defined]
    _sign_in(client, sessions, "unit")
    page = client.get("/import")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    uploads = [("files", (name, data, "application/json")) for name, data in distinct_files(6, first=995_000)]
    sent = client.post("/import", data={"csrf_token": csrf}, files=uploads, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/jobs"
    listing = client.get("/jobs")
    assert "我的任务" in listing.text and "已提交后台任务" in listing.text
    assert "排队中" in listing.text and 'hx-trigger="every 2s"' in listing.text  # polls while unfinished
    job_id = int(re.search(r'id="job-(\d+)"', listing.text).group(1))  # type: ignore[union-attr]
    with worker(context):  # type: ignore[arg-type]
        wait(context, actors["unit"], job_id)  # type: ignore[arg-type]
    rows = client.get("/jobs/rows")
    assert "已完成" in rows.text and "6/6 个文件" in rows.text and "hx-trigger" not in rows.text
    download = client.get(f"/jobs/{job_id}/result")
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    assert download.content.decode("utf-8-sig").count("已导入") == 6
    # someone else: not found, through the error page
    other = TestClient(create_app(context), raise_server_exceptions=False)  # type: ignore[arg-type]
    _sign_in(other, sessions, "other_unit")
    assert other.get(f"/jobs/{job_id}/result").status_code == 404
    assert "还没有任务" in other.get("/jobs").text


def test_cancel_from_the_page(engine: Engine, tmp_path: Path, actors: dict[str, Actor]) -> None:
    from jixiao.services import jobs_submit

    client, context = _client(engine, tmp_path)
    csrf = _sign_in(client, context.sessions, "unit")  # type: ignore[attr-defined]
    queued = jobs_submit.submit_import(context, actors["unit"], distinct_files(1, first=998_000))  # type: ignore[arg-type]
    refused = client.post(f"/jobs/{queued.id}/cancel", data={"csrf_token": "wrong"}, follow_redirects=False)
    assert refused.status_code == 303
    assert "取消" in client.get("/jobs").text and "排队中" in client.get("/jobs/rows").text
    done = client.post(f"/jobs/{queued.id}/cancel", data={"csrf_token": csrf}, follow_redirects=True)
    assert "已取消" in done.text and "cancel-job" not in done.text


def test_export_from_the_page(engine: Engine, tmp_path: Path, actors: dict[str, Actor]) -> None:
    client, context = _client(engine, tmp_path)
    csrf = _sign_in(client, context.sessions, "department")  # type: ignore[attr-defined]
    assert 'id="export-form"' in client.get("/jobs").text
    wrong = client.post("/jobs/exports", data={"csrf_token": csrf, "format": "xlsx", "year": "二〇二二"})
    assert wrong.status_code == 422 and "年度“二〇二二”无效" in wrong.text
    none = client.post("/jobs/exports", data={"csrf_token": csrf, "format": "xlsx", "year": "1999"})
    assert none.status_code == 422 and "没有可导出的项目" in none.text
    sent = client.post("/jobs/exports", data={"csrf_token": csrf, "format": "docx", "year": "2022"},
                       follow_redirects=True)
    assert "已提交后台任务" in sent.text and "导出绩效目标表（docx）：2022 年度" in sent.text
    assert "0/9 个项目" in sent.text
