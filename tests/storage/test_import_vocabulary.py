"""Imports read with the words of the server's region profile (``[vocabulary]``): service, API and CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain.workflow import Role
from jixiao.rules.profile import ProfileError
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.context import PROFILE_VARIABLE, AppContext
from jixiao.services.imports import import_bytes
from jixiao.storage.models import TableVersion
from jixiao.web.app import create_app
from tests.test_profile_vocabulary import SHIPPED, WORDS, _regional_text


@pytest.fixture
def region_file(tmp_path: Path) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(SHIPPED.read_text("utf-8") + WORDS, "utf-8")
    return path


def test_an_import_reads_with_the_regions_words(sessions: sessionmaker[Session], region_file: Path) -> None:
    data = _regional_text().encode("utf-8")
    worded = import_bytes(sessions, data, "regional.txt", profile=profiles.load(str(region_file)))
    assert (worded.status, worded.new_versions, worded.diagnostics) == ("imported", 9, [])
    with sessions() as session:
        stored = [v.content for v in session.scalars(select(TableVersion))]
    assert {content["unit"]["code"] for content in stored} >= {"145001"} and all(
        all(item["target"] for item in content["indicators"]) for content in stored)  # 绩效指标值 read as 指标值
    plain = import_bytes(sessions, data.replace(b"50011", b"50012"), "regional-2.txt")  # the built-in words:
    assert {"missing-field", "unknown-column"} <= {d.code for d in plain.diagnostics}  # the unit and targets lost


def test_the_api_imports_with_the_servers_profile(sessions: sessionmaker[Session], region_file: Path) -> None:
    add_user(sessions, "admin", None, Role.ADMIN, None, "系统管理员")
    body = {"file_name": "regional.txt", "content": _regional_text()}
    headers = {"Authorization": f"Bearer {issue_token(sessions, 'admin', '测试')}"}
    regional = TestClient(create_app(AppContext(sessions, default_profile=str(region_file))),
                          raise_server_exceptions=False)
    answer = regional.post("/api/v1/imports", json=body, headers=headers).json()
    assert (answer["status"], answer.get("diagnostics", [])) == ("imported", []), answer
    default = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    other = body | {"content": body["content"].replace("50011", "50012")}
    codes = {d["code"] for d in default.post("/api/v1/imports", json=other, headers=headers).json()["diagnostics"]}
    assert {"missing-field", "unknown-column"} <= codes


def test_a_wrong_profile_is_said_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROFILE_VARIABLE, "no-such-region")
    with pytest.raises(ProfileError) as raised:
        AppContext.from_url("sqlite://")
    assert "找不到审核配置“no-such-region”" in str(raised.value)


def test_jixiao_import_takes_the_profile(tmp_path: Path, region_file: Path) -> None:
    source = tmp_path / "regional.txt"
    source.write_text(_regional_text(), "utf-8")
    env = os.environ | {"JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop(PROFILE_VARIABLE, None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jixiao.cli.main", "import", *args], capture_output=True,
                              text=True, encoding="utf-8", timeout=120, check=False, env=env)

    done = run(str(source), "--profile", str(region_file))
    assert done.returncode == 0 and "已导入" in done.stdout + done.stderr, done.stderr
    assert "unknown-column" not in done.stdout + done.stderr
    wrong = run(str(source), "--profile", str(tmp_path / "missing.toml"))
    assert wrong.returncode == 2 and "找不到审核配置" in wrong.stderr
