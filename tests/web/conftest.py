"""A real server for the browser tests: ``jixiao serve`` on a free loopback port over a fresh SQLite file.

The region is set up as an administrator would (``org import`` of a CSV, ``user add``); no tables
are loaded: the journey imports them through the page like a unit would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.organizations import import_organizations
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
PASSWORD = "journey-password-1"
USERS = (("editor", Role.UNIT_EDITOR, "145001", "长寿区政务服务办填报人"),
         ("reviewer", Role.DEPARTMENT_REVIEWER, "145", "政务服务办审核人"),
         ("finance", Role.FINANCE_REVIEWER, "500115", "区财政局绩效科"))
ORGS = ("编码,名称,类型,上级编码\n500115,重庆市长寿区财政局,财政,\n"
        "145,重庆市长寿区政务服务管理办公室,主管部门,500115\n"
        "145001,重庆市长寿区政务服务管理办公室（本级）,单位,145\n")


def chromium_path() -> str:
    """Debian's chromium (installed by ``make test``); outside CI its absence skips with the reason."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "没有找到 chromium（make test 会用 apt 安装 Debian 的 chromium）"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    database: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web")
    database = f"sqlite:///{folder / 'jixiao.sqlite3'}"
    engine = make_engine(database)
    upgrade(engine)
    sessions = session_factory(engine)
    (folder / "orgs.csv").write_text(ORGS, encoding="utf-8")
    assert not import_organizations(sessions, folder / "orgs.csv").diagnostics
    for username, role, org, name in USERS:
        add_user(sessions, username, PASSWORD, role, org, name)
    engine.dispose()
    port = _free_port()
    # WARNING: the request log lines would fill the undrained stderr pipe and stall the server
    # the seed is of 2022 and the clock is later: the region keeps its deadlines as reminders (the window's own
    # tests are tests/storage/test_submission_window.py and tests/web/test_reopen_pages.py)
    shipped = resources.files("jixiao.rules.profiles").joinpath("chongqing.toml").read_text("utf-8")
    (folder / "region.toml").write_text(shipped + "\n[workflow]\nsubmission_window = false\n", encoding="utf-8")
    env = {**os.environ, "JIXIAO_DATABASE_URL": database, "JIXIAO_LOG_LEVEL": "WARNING",
           "JIXIAO_PROFILE": str(folder / "region.toml")}
    process = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/login", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode() if process.stderr else "server died") from None
                time.sleep(0.1)
        yield Server(url, database)
    finally:
        process.terminate()
        process.wait(timeout=10)
