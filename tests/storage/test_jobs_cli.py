"""``jixiao import --background`` (and ``--wait``): the import sent as a job through the service the web and
``jixiao jobs`` use, run by a real worker (huey's consumer in threads), on both databases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from jixiao.cli.main import build_app
from jixiao.domain.workflow import Role
from jixiao.services.permissions import Actor
from jixiao.storage.models import Job, Project
from tests.storage.jobs_support import context_for, distinct_files, urls_for, wait, worker

ADMIN = Actor(None, Role.ADMIN)


def _folder(tmp: Path, count: int, first: int) -> Path:
    folder = tmp / f"files-{first}"
    folder.mkdir()
    for name, data in distinct_files(count, first=first):
        (folder / name).write_bytes(data)
    return folder


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(build_app(), list(args))
    return done.exit_code, done.output


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database, queue = urls_for(engine, tmp_path)
    monkeypatch.setenv("JIXIAO_DATABASE_URL", database)
    monkeypatch.setenv("JIXIAO_JOBS_URL", queue)


def _projects(engine: Engine, prefix: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Project)
                                     .where(Project.code.like(f"{prefix}%"))) or 0)


def test_background_submits_a_job_and_returns_at_once(engine: Engine, tmp_path: Path, cli_env: None) -> None:
    folder = _folder(tmp_path, 3, first=960_000)
    code, shown = _run("import", "--background", str(folder))
    assert code == 0, shown
    found = re.search(r"已提交任务 (\d+)：导入：", shown)
    assert found is not None, shown
    job_id = int(found.group(1))
    assert f"jixiao jobs show {job_id}" in shown and f"jixiao jobs follow {job_id}" in shown
    context = context_for(engine, tmp_path)
    with context.sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and (job.kind, job.state, job.total) == ("import", "queued", 3)
    assert _projects(engine, "50011522T00000096") == 0  # nothing imported by the command itself
    with worker(context):
        seen = wait(context, ADMIN, job_id)
    assert (seen.state, seen.done, seen.errors) == ("done", 3, 0)
    assert _projects(engine, "50011522T00000096") == 3
    code, shown = _run("jobs", "show", str(job_id))
    assert code == 0 and f"任务 {job_id}（导入文件）：已完成，3/3 个文件，0 个出错" in shown, shown


def test_background_wait_follows_the_job_to_its_end(engine: Engine, tmp_path: Path, cli_env: None,
                                                    actors: dict[str, Actor]) -> None:
    folder = _folder(tmp_path, 2, first=961_000)
    (folder / "坏文件.txt").write_bytes(b"\xff\xfe junk")
    context = context_for(engine, tmp_path)
    with worker(context):
        code, shown = _run("import", "--background", "--wait", "--user", "unit", str(folder))
    assert code == 1, shown  # one file refused: the same exit as a plain import
    found = re.search(r"任务 (\d+)（导入文件）：已完成，3/3 个文件，1 个出错", shown)
    assert found is not None, shown
    assert "坏文件.txt：" in shown
    with context.sessions() as session:
        job = session.get(Job, int(found.group(1)))
        assert job is not None and job.user_id == actors["unit"].user_id  # the job is the named user's
    assert _projects(engine, "50011522T00000096") == 2
    good = _folder(tmp_path, 1, first=962_000)
    with worker(context):
        code, shown = _run("import", "--background", "--wait", str(good))
    assert code == 0 and "已完成，1/1 个文件，0 个出错" in shown, shown


def test_background_options_are_checked(engine: Engine, tmp_path: Path, cli_env: None) -> None:
    folder = _folder(tmp_path, 1, first=963_000)
    code, shown = _run("import", "--wait", str(folder))
    assert code == 2 and "只能与 --background 一起使用" in shown
    code, shown = _run("import", "--background", "--profile", "national", str(folder))
    assert code == 2 and "--profile 不能与 --background 一起使用" in shown
    code, shown = _run("import", "--background", str(tmp_path / "没有这个文件夹"))
    assert code == 2 and "没有文件或文件夹" in shown
    code, shown = _run("import", "--background", "--user", "nobody", str(folder))
    assert code == 2 and "没有启用的用户“nobody”" in shown
    with context_for(engine, tmp_path).sessions() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0  # no job for a refused command
