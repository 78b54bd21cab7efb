"""The administration pages (管理) and the own-password page: each action, each refusal, for the roles that meet them.

One SQLite database and one application for the module; an administrator, a unit editor and a department
reviewer over a small tree. Every page passes the checks of every other page (language, CSP, nothing
external, every control labelled); what a user typed comes back escaped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import openpyxl
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import accounts
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.organizations import import_organization_bytes
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from tests.web.test_pages import _unlabeled

PASSWORD = "admin-pages-password-1"
ORGS = "单位编码,单位名称,上级编码\n500115,长寿区财政局,\n145,政务服务管理办公室,500115\n145001,政务办（本级）,145\n"
PAGES = ("/admin/users", "/admin/organizations", "/admin/tokens", "/admin/audit", "/account/password")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    saved = accounts._HASHER
    accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)  # still argon2, less work
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('admin') / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    assert import_organization_bytes(made, ORGS.encode(), "orgs.csv").diagnostics == []
    for username, role, org in (("boss", Role.ADMIN, None), ("unit", Role.UNIT_EDITOR, "145001"),
                                ("dept", Role.DEPARTMENT_REVIEWER, "145")):
        add_user(made, username, PASSWORD, role, org)
    yield made
    engine.dispose()
    accounts._HASHER = saved


@pytest.fixture(scope="module")
def app(sessions: sessionmaker[Session]) -> FastAPI:
    return create_app(AppContext(sessions))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _client(app: FastAPI, username: str | None = None, password: str = PASSWORD) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    if username is not None:
        done = client.post("/login", data={"username": username, "password": password, "next": "/",
                                           "csrf_token": _csrf(client.get("/login").text)})
        assert done.status_code == 303, done.text
    return client


def _user_id(client: TestClient, username: str) -> int:
    found = re.search(rf'<tr id="user-(\d+)"[^>]*>\s*<td class="code">{re.escape(username)}</td>',
                      client.get("/admin/users").text)
    assert found is not None, username
    return int(found.group(1))


def _flash(client: TestClient, answer: object) -> str:
    location = answer.headers["location"]  # type: ignore[attr-defined]
    found = re.search(r'id="flash">([^<]+)', client.get(location).text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_passes_the_page_checks(app: FastAPI, path: str) -> None:
    response = _client(app, "boss").get(path)
    assert response.status_code == 200, response.text[:300]
    html = response.text
    assert '<html lang="zh-CN">' in html and "Traceback" not in html and 'id="nav-admin"' in html
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert _unlabeled(html) == []


def test_only_administrators_see_the_menu_and_reach_the_pages(app: FastAPI, sessions: sessionmaker[Session]) -> None:
    unit = _client(app, "unit")
    home = unit.get("/").text
    assert 'id="nav-admin"' not in home and 'href="/account/password"' in home
    for path in (*PAGES[:-1], "/admin/organizations/template.xlsx", "/admin"):
        refused = unit.get(path)
        assert refused.status_code == 403, path
        assert "只有系统管理员可以进行账号、组织和令牌管理（当前角色：单位填报人）" in refused.text
    csrf = _csrf(home)
    for path, data in (("/admin/users", {"username": "sneaky", "role": "admin", "password": "sneaky-password-1"}),
                       ("/admin/tokens", {"user": "1", "label": "偷偷的令牌"})):
        assert unit.post(path, data=data | {"csrf_token": csrf}).status_code == 403
    assert "sneaky" not in _client(app, "boss").get("/admin/users").text
    assert _client(app).get("/admin/users").headers["location"].startswith("/login")


def test_adding_a_user_keeps_what_was_typed_when_refused(app: FastAPI) -> None:
    boss = _client(app, "boss")
    csrf = _csrf(boss.get("/admin/users").text)
    form = {"username": "zhang", "display_name": "<b>张三</b>", "role": "unit_editor", "organization": "145",
            "password": "zhang-password-1", "csrf_token": csrf}
    refused = boss.post("/admin/users", data=form)
    assert refused.status_code == 400
    assert "未新建账号：单位填报人的所属单位应为预算单位，“政务服务管理办公室”是主管部门" in refused.text
    assert 'value="zhang"' in refused.text and "&lt;b&gt;张三&lt;/b&gt;" in refused.text
    assert "zhang-password-1" not in refused.text  # a password is never sent back
    forged = boss.post("/admin/users", data=form | {"organization": "145001", "csrf_token": "forged"})
    assert forged.status_code == 403 and "页面已过期" in forged.text
    done = boss.post("/admin/users", data=form | {"organization": "145001"})
    assert done.status_code == 303
    assert _flash(boss, done) == "已新建账号 zhang（单位填报人）"
    listing = boss.get("/admin/users").text
    assert "&lt;b&gt;张三&lt;/b&gt;" in listing and "<b>张三</b>" not in listing
    assert boss.post("/admin/users", data=form | {"organization": "145001"}).status_code == 400  # exists
    twin = boss.post("/admin/users", data=form | {"organization": "145001", "username": "Zhang"})
    assert twin.status_code == 400 and "已有用户“zhang”，用户名不区分大小写" in twin.text  # review defect 8
    odd = boss.post("/admin/users", data=form | {"organization": "145001", "username": "bad name!<>"})
    assert odd.status_code == 400 and "用户名只能由英文字母、数字和 . _ - 组成" in odd.text
    assert 'value="bad name!&lt;&gt;"' in odd.text
    _client(app, "zhang", "zhang-password-1")  # the new user signs in


def test_disable_enable_reset_and_role(app: FastAPI) -> None:
    boss = _client(app, "boss")
    csrf = _csrf(boss.get("/admin/users").text)
    dept_id = _user_id(boss, "dept")
    dept = _client(app, "dept")
    assert dept.get("/").status_code == 200
    off = boss.post(f"/admin/users/{dept_id}/active", data={"active": "0", "csrf_token": csrf})
    assert _flash(boss, off) == "已停用账号 dept，其登录已全部结束"
    assert dept.get("/").status_code == 303  # signed out at once
    assert 'class="inactive"' in boss.get("/admin/users").text
    on = boss.post(f"/admin/users/{dept_id}/active", data={"active": "1", "csrf_token": csrf})
    assert _flash(boss, on) == "已启用账号 dept"
    own = boss.post(f"/admin/users/{_user_id(boss, 'boss')}/active", data={"active": "0", "csrf_token": csrf})
    assert own.status_code == 400 and "不能停用自己的账号" in own.text
    short = boss.post(f"/admin/users/{dept_id}/password", data={"password": "short", "csrf_token": csrf})
    assert short.status_code == 400 and "密码未重设：密码至少 10 个字符" in short.text
    reset = boss.post(f"/admin/users/{dept_id}/password", data={"password": "dept-new-password-2", "csrf_token": csrf})
    assert _flash(boss, reset).startswith("已重设 dept 的密码")
    _client(app, "dept", "dept-new-password-2")
    wrong = boss.post(f"/admin/users/{dept_id}/role", data={"role": "unit_editor", "organization": "145",
                                                             "csrf_token": csrf})
    assert wrong.status_code == 400 and "角色未变更" in wrong.text
    moved = boss.post(f"/admin/users/{dept_id}/role", data={"role": "finance_reviewer", "organization": "",
                                                             "csrf_token": csrf})
    assert _flash(boss, moved) == "已把 dept 的角色改为财政部门审核人"
    assert "角色 主管部门审核人 → 财政部门审核人；所属单位 政务服务管理办公室（145） → 无" in \
        boss.get("/admin/audit").text  # the organisation moved with the role, and the trail says so
    assert boss.post("/admin/users/999999/active", data={"active": "1", "csrf_token": csrf}).status_code == 400


def test_a_token_is_shown_once_works_and_is_revoked(app: FastAPI) -> None:
    boss = _client(app, "boss")
    csrf = _csrf(boss.get("/admin/tokens").text)
    unit_id = _user_id(boss, "unit")
    assert "请填写令牌用途" in boss.post("/admin/tokens", data={"user": str(unit_id), "label": " ",
                                                                "csrf_token": csrf}).text
    issued = boss.post("/admin/tokens", data={"user": str(unit_id), "label": "预算系统<对接>", "csrf_token": csrf})
    assert issued.status_code == 200 and "令牌只显示这一次" in issued.text and "预算系统&lt;对接&gt;" in issued.text
    found = re.search(r'id="token-value" class="token" readonly value="(jx_[^"]+)"', issued.text)
    assert found is not None
    token = found.group(1)
    listing = boss.get("/admin/tokens").text
    assert token not in listing and "预算系统&lt;对接&gt;" in listing
    api = TestClient(app)
    assert api.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}).json()["error"]["code"] == \
        "forbidden"  # the unit's rights: it may not read the audit log …
    assert api.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 200  # … it reads
    token_id = re.findall(r'id="revoke-(\d+)"', listing)[0]
    revoked = boss.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert _flash(boss, revoked) == f"已撤销令牌 #{token_id}，立即失效"
    assert api.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    trail = boss.get("/admin/audit").text
    assert "签发令牌" in trail and "撤销令牌" in trail and f"令牌 #{token_id}" in trail


def test_the_organisation_import_page(app: FastAPI) -> None:
    boss = _client(app, "boss")
    page = boss.get("/admin/organizations").text
    assert "政务服务管理办公室" in page and 'href="/admin/organizations/template.xlsx"' in page
    template = boss.get("/admin/organizations/template.xlsx")
    assert template.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["单位编码", "单位名称", "单位类型", "上级编码"]
    csrf = _csrf(page)
    bad = "单位编码,单位名称,主管部门\n146,其他部门,500115\n146001,,146\n146002,单位,999\n".encode()
    refused = boss.post("/admin/organizations/import", data={"csrf_token": csrf},
                        files={"file": ("组织.csv", bad, "text/csv")})
    assert refused.status_code == 422 and "有 2 处错误，整个文件未导入" in refused.text
    assert "第3行“单位名称”列：单位名称不能为空" in refused.text
    assert "第4行“主管部门”列：主管部门“999”既不在文件中也不在系统中" in refused.text
    assert "其他部门" not in refused.text.split('id="org-tree"')[1]  # nothing of the file was written
    forged = boss.post("/admin/organizations/import", data={"csrf_token": "forged"},
                       files={"file": ("组织.csv", bad, "text/csv")})
    assert forged.status_code == 403
    good = "单位编码,单位名称,主管部门\n146,其他部门,500115\n146001,<i>其他单位</i>,146\n".encode()
    done = boss.post("/admin/organizations/import", data={"csrf_token": csrf},
                     files={"file": ("组织.csv", good, "text/csv")})
    assert _flash(boss, done) == "已导入“组织.csv”：新增 2 个，更新 0 个组织"
    tree = boss.get("/admin/organizations").text
    assert '<td class="depth-2">&lt;i&gt;其他单位&lt;/i&gt;</td>' in tree
    assert "导入组织机构" in boss.get("/admin/audit").text
    moved = "编码,名称,类型,上级编码\n145001,政务办本级改名,主管部门,500115\n".encode()  # review defect 1
    refused = boss.post("/admin/organizations/import", data={"csrf_token": csrf},
                        files={"file": ("组织.csv", moved, "text/csv")})
    assert refused.status_code == 422 and "整个文件未导入" in refused.text
    assert "第2行“类型”列：组织 145001 已有" in refused.text
    assert "个账号，不能由预算单位改为主管部门（单位填报人须属于预算单位），也不能把上级由 145 改为 500115" \
        in refused.text
    assert "政务办本级改名" not in refused.text.split('id="org-tree"')[1]


def test_users_change_their_own_password(app: FastAPI) -> None:
    unit = _client(app, "unit")
    other = _client(app, "unit")
    csrf = _csrf(unit.get("/account/password").text)
    form = {"old": PASSWORD, "new": "unit-new-password-9", "again": "unit-new-password-9", "csrf_token": csrf}
    mismatch = unit.post("/account/password", data=form | {"again": "something-else-1"})
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.text
    wrong = unit.post("/account/password", data=form | {"old": "not-my-password-1"})
    assert wrong.status_code == 400 and "原密码不正确" in wrong.text
    assert 'id="old-password" name="old" type="password" required maxlength="200" autocomplete="current-password"' \
           ' aria-invalid="true"' in wrong.text
    forged = unit.post("/account/password", data=form | {"csrf_token": "forged"})
    assert forged.status_code == 403
    done = unit.post("/account/password", data=form)
    assert _flash(unit, done) == "密码已修改；您在其他地方的登录已全部结束"
    assert other.get("/").status_code == 303  # the other session ended; this one stays
    assert unit.get("/").status_code == 200
    _client(app, "unit", "unit-new-password-9")
    trail = _client(app, "boss").get("/admin/audit").text
    assert "修改本人密码" in trail
