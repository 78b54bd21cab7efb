"""Background jobs on both backends (SqliteHuey beside SQLite, PostgresHuey in PostgreSQL): progress, retry
with backoff on a transient error, no retry on bad input, the time limit, cancellation, tenancy."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from jixiao.domain.workflow import Role
from jixiao.services import jobs, jobs_import, jobs_submit
from jixiao.services.errors import InvalidInput
from jixiao.services.job_queue import Policy
from jixiao.services.jobs import JobFinished, JobNotFound, NoResult
from jixiao.services.permissions import Actor
from jixiao.storage.models import ImportBatch, Job, Project
from tests.storage.jobs_support import context_for, distinct_files, wait, worker
from tests.test_cli import SEED

ADMIN = Actor(None, Role.ADMIN)


def test_an_import_job_reports_progress_and_keeps_its_result(engine: Engine, tmp_path: Path,
                                                             actors: dict[str, Actor]) -> None:
    context = context_for(engine, tmp_path)
    unit = actors["unit"]
    files = [*distinct_files(3), ("坏文件.txt", b"\xff\xfe junk")]
    submitted = jobs_submit.submit_import(context, unit, files)
    assert (submitted.state_label, submitted.total, submitted.done) == ("排队中", 4, 0)
    with worker(context):
        seen = wait(context, unit, submitted.id)
    assert (seen.state, seen.state_label, seen.done, seen.total, seen.errors) == ("done", "已完成", 4, 4, 1)
    assert seen.messages and seen.messages[0].startswith("坏文件.txt：")
    assert seen.created_at is not None and seen.created_at.endswith("+08:00")  # the region's zone
    with context.sessions() as session:
        name, media, data = jobs.result_file(session, unit, submitted.id)
        assert session.scalar(select(func.count()).select_from(Project)
                              .where(Project.code.like("50011522T0000009%"))) == 3
    text = data.decode("utf-8-sig")
    assert name.endswith(".csv") and media.startswith("text/csv")
    assert text.count("已导入") == 3 and "坏文件.txt,被拒绝" in text


def test_a_zip_is_opened_within_the_limits(engine: Engine, tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in distinct_files(2, first=910_000):
            archive.writestr(f"目录/{name}", data)
        archive.writestr("说明.doc", b"not importable")
        archive.writestr("bomb.txt", b"0" * (8 * 1024 * 1024))  # inflates > 200× its compressed size
    context = context_for(engine, tmp_path)
    submitted = jobs_submit.submit_import(context, ADMIN, [("上报.zip", buffer.getvalue())])
    with worker(context):
        seen = wait(context, ADMIN, submitted.id)
    assert seen.state == "done"
    assert seen.errors == 1 and seen.total == 0  # the bomb refuses the whole zip from its directory alone
    assert "压缩炸弹" in seen.messages[0]
    clean = io.BytesIO()
    with zipfile.ZipFile(clean, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in distinct_files(2, first=910_000):
            archive.writestr(f"目录/{name}", data)
        archive.writestr("说明.doc", b"not importable")
    again = jobs_submit.submit_import(context, ADMIN, [("上报2.zip", clean.getvalue())])
    with worker(context):
        seen = wait(context, ADMIN, again.id)
    assert (seen.state, seen.total, seen.done, seen.errors) == ("done", 2, 2, 0)
    assert any("说明.doc" in m and "不是可导入的文件类型" in m for m in seen.messages)


def test_a_transient_error_is_retried_with_growing_delays(engine: Engine, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    context = context_for(engine, tmp_path, Policy(retries=3, retry_delay=0.1, retry_backoff=2.0))
    real = jobs_import.import_as
    calls: list[str] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        if len(calls) <= 2:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs_import, "import_as", flaky)
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(2, first=920_000))
    with worker(context):
        seen = wait(context, ADMIN, submitted.id)
    assert (seen.state, seen.done, seen.errors) == ("done", 2, 0)
    retries = [m for m in seen.messages if m.startswith("暂时性错误")]
    assert retries == ["暂时性错误（OperationalError），0.1 秒后重试（还可重试 3 次）",
                       "暂时性错误（OperationalError），0.2 秒后重试（还可重试 2 次）"]
    with context.sessions() as session:
        assert session.get(Job, submitted.id).attempt == 3  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 2  # each file once


def test_retries_run_out_and_the_job_fails(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = context_for(engine, tmp_path, Policy(retries=1, retry_delay=0.1))

    def down(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(jobs_import, "import_as", down)
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(1, first=925_000))
    with worker(context):
        seen = wait(context, ADMIN, submitted.id)
    assert (seen.state_label, seen.messages[-1]) == ("失败", "多次重试后仍失败（OperationalError）")


def test_bad_input_is_not_retried(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = context_for(engine, tmp_path, Policy(retries=3, retry_delay=0.1))

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise InvalidInput("文件“项目0000.json”第 3 行「项目名称」不能为空")

    monkeypatch.setattr(jobs_import, "import_as", refuse)
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(1, first=930_000))
    with worker(context):
        seen = wait(context, ADMIN, submitted.id)
        time.sleep(0.3)  # longer than a retry would wait: none comes
    assert (seen.state, seen.messages) == ("failed", ["文件“项目0000.json”第 3 行「项目名称」不能为空"])
    with context.sessions() as session:
        assert session.get(Job, submitted.id).attempt == 1  # type: ignore[union-attr]


def test_the_time_limit_stops_a_job_between_files(engine: Engine, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    context = context_for(engine, tmp_path, Policy(retries=3, time_limit=0.5))
    real = jobs_import.import_as

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs_import, "import_as", slow)
    submitted = jobs_submit.submit_import(context, ADMIN, distinct_files(6, first=940_000))
    with worker(context):
        seen = wait(context, ADMIN, submitted.id)
    assert seen.state == "failed" and 1 <= seen.done < 6
    assert seen.messages[-1] == "任务超过时限（0.5 秒）而停止；已完成的文件保留"
    with context.sessions() as session:
        assert session.get(Job, submitted.id).attempt == 1  # type: ignore[union-attr]  # not retried
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == seen.done


def test_cancel_a_queued_job_and_a_running_one(engine: Engine, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    context = context_for(engine, tmp_path)
    queued = jobs_submit.submit_import(context, ADMIN, distinct_files(2, first=950_000))
    cancelled = jobs_submit.cancel(context, ADMIN, queued.id)
    assert cancelled.state_label == "已取消"
    with pytest.raises(JobFinished):
        jobs_submit.cancel(context, ADMIN, queued.id)
    real = jobs_import.import_as

    def cancel_after_first(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        jobs_submit.cancel(context, ADMIN, running.id)
        return result

    monkeypatch.setattr(jobs_import, "import_as", cancel_after_first)
    running = jobs_submit.submit_import(context, ADMIN, distinct_files(4, first=960_000))
    with worker(context):
        seen = wait(context, ADMIN, running.id)
        first = wait(context, ADMIN, queued.id)
    assert (seen.state, seen.done) == ("cancelled", 1)
    assert (first.state, first.done) == ("cancelled", 0)  # revoked: never run
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_a_user_sees_only_their_jobs_and_finance_their_region(engine: Engine, tmp_path: Path,
                                                              actors: dict[str, Actor]) -> None:
    context = context_for(engine, tmp_path)
    mine = jobs_submit.submit_import(context, actors["unit"], [("seed.txt", SEED.read_bytes())])
    with worker(context):
        wait(context, actors["unit"], mine.id)
    with context.sessions() as session:
        for stranger in ("other_unit", "other_department", "department"):
            with pytest.raises(JobNotFound):
                jobs.get(session, actors[stranger], mine.id, "Asia/Shanghai")
            with pytest.raises(JobNotFound):
                jobs.result_file(session, actors[stranger], mine.id)
            assert jobs.list_jobs(session, actors[stranger], "Asia/Shanghai")[0] == 0
        assert jobs.get(session, actors["finance"], mine.id, "Asia/Shanghai").done == 1  # the whole region
        assert jobs.list_jobs(session, actors["unit"], "Asia/Shanghai")[0] == 1
    with pytest.raises(JobNotFound):
        jobs_submit.cancel(context, actors["other_unit"], mine.id)


def test_no_result_before_the_end(engine: Engine, tmp_path: Path) -> None:
    context = context_for(engine, tmp_path)
    queued = jobs_submit.submit_import(context, ADMIN, distinct_files(1, first=970_000))
    with context.sessions() as session, pytest.raises(NoResult):
        jobs.result_file(session, ADMIN, queued.id)
    assert context.jobs is not None and context.jobs.ping() == 1


def test_an_export_job_zips_the_tables_the_submitter_sees(engine: Engine, tmp_path: Path,
                                                          actors: dict[str, Actor]) -> None:
    import io
    import zipfile

    from jixiao.services.jobs_submit import submit_export

    context = context_for(engine, tmp_path)
    department = actors["department"]
    submitted = submit_export(context, department, "xlsx", year=2022)
    assert submitted.total == 9 and submitted.kind_label == "导出"
    with worker(context):
        seen = wait(context, department, submitted.id)
    assert (seen.state, seen.done, seen.errors) == ("done", 9, 0)
    with context.sessions() as session:
        name, media, data = jobs.result_file(session, department, submitted.id)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert media == "application/zip" and name == "绩效目标表-2022-xlsx.zip"
    assert "项目清单.xlsx" in names and len([n for n in names if n.endswith("-绩效目标表.xlsx")]) == 9
    with pytest.raises(InvalidInput, match="没有可导出的项目"):
        submit_export(context, actors["other_department"], "xlsx")
    with pytest.raises(InvalidInput, match="导出格式"):
        submit_export(context, department, "csv")


def test_a_rereview_job_reviews_a_year_again_and_lists_what_changed(engine: Engine, tmp_path: Path,
                                                                     actors: dict[str, Actor]) -> None:
    from sqlalchemy import update

    from jixiao.services.jobs_submit import submit_rereview
    from jixiao.services.permissions import PermissionDenied

    context = context_for(engine, tmp_path)
    with context.sessions.begin() as session:  # as if reviewed under another profile before
        session.execute(update(Project).where(Project.code == "50011522T000000157087")
                        .values(worst_severity="none", review_grade="优"))
    with context.sessions() as session:
        before = {p.code: (p.worst_severity, p.review_grade) for p in session.scalars(select(Project))}
    with pytest.raises(PermissionDenied):
        submit_rereview(context, actors["department"], 2022)
    finance = actors["finance"]
    submitted = submit_rereview(context, finance, 2022)
    assert submitted.total == 9 and submitted.kind_label == "重新审核"
    with worker(context):
        seen = wait(context, finance, submitted.id)
    assert (seen.state, seen.done, seen.unit) == ("done", 9, "个项目")
    with context.sessions() as session:
        after = {p.code: (p.worst_severity, p.review_grade) for p in session.scalars(select(Project))}
        _, _, data = jobs.result_file(session, finance, submitted.id)
    changed = [code for code in after if after[code] != before[code]]
    assert changed == ["50011522T000000157087"]
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "项目编码,原问题级别,原审核等级,现问题级别,现审核等级"
    assert len(lines) == 2 and lines[1].startswith("50011522T000000157087,无问题,优,")


def test_a_report_job_renders_the_review_of_a_year_to_pdf(engine: Engine, tmp_path: Path,
                                                          actors: dict[str, Actor]) -> None:
    from jixiao.services.jobs_submit import submit_render

    context = context_for(engine, tmp_path)
    unit = actors["unit"]
    submitted = submit_render(context, unit, "pdf", year=2022)
    with worker(context):
        seen = wait(context, unit, submitted.id, seconds=120)
    assert (seen.state, seen.done, seen.total, seen.kind_label) == ("done", 9, 9, "审核报告")
    with context.sessions() as session:
        name, media, data = jobs.result_file(session, unit, submitted.id)
    assert (name, media) == ("审核报告-2022.pdf", "application/pdf") and data.startswith(b"%PDF")
    with pytest.raises(InvalidInput, match="没有可审核的项目"):
        submit_render(context, actors["other_unit"], "pdf")


def test_a_queue_that_is_away_refuses_the_job_at_once(engine: Engine, tmp_path: Path) -> None:
    from dataclasses import replace

    from jixiao.services.job_queue import JobQueue
    from jixiao.services.jobs_submit import JobsUnavailable

    context = context_for(engine, tmp_path)
    away = replace(context, jobs=JobQueue.open("postgresql://postgres@127.0.0.1:1/none"))
    with pytest.raises(JobsUnavailable):
        jobs_submit.submit_import(away, ADMIN, distinct_files(1, first=975_000))
    with context.sessions() as session:
        total, views = jobs.list_jobs(session, ADMIN, "Asia/Shanghai")
    assert total == 1
    assert (views[0].state_label, views[0].messages) == ("失败", ["任务队列暂不可用，任务未能提交；请稍后重新提交"])
