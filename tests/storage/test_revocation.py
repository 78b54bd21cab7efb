"""Revoking a token, deactivating a user and resetting a password take effect at once, in every process.

Two application instances on one database stand for two server processes: each has its own memory, so a
cache in one cannot know what the other (or the command line) changed.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import accounts
from jixiao.services.accounts import AccountError, add_user, issue_token
from jixiao.services.context import AppContext
from jixiao.storage.models import ApiToken, User
from jixiao.web.app import create_app

PASSWORD = "一个足够长的密码-42"


@pytest.fixture
def two_servers(sessions: sessionmaker[Session]) -> tuple[TestClient, TestClient]:
    add_user(sessions, "wang", PASSWORD, Role.FINANCE_REVIEWER)
    return tuple(TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)  # type: ignore[return-value]
                 for _ in range(2))


def _who(client: TestClient, token: str) -> int:
    return client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_revoked_token_stops_working_at_once_in_every_instance(sessions: sessionmaker[Session],
                                                                 two_servers: tuple[TestClient, TestClient]) -> None:
    first, second = two_servers
    token = issue_token(sessions, "wang", "脚本")
    assert _who(first, token) == 200 and _who(second, token) == 200
    with sessions.begin() as session:  # revoked elsewhere (the command line, another worker)
        session.execute(update(ApiToken).values(revoked=True))
    assert _who(first, token) == 403 and _who(second, token) == 403


def test_a_deactivated_user_is_refused_at_once(sessions: sessionmaker[Session],
                                               two_servers: tuple[TestClient, TestClient]) -> None:
    first, second = two_servers
    token = issue_token(sessions, "wang", "脚本")
    assert first.post("/api/v1/session", json={"username": "wang", "password": PASSWORD}).status_code == 200
    assert _who(first, token) == 200 and first.get("/api/v1/projects").status_code == 200
    with sessions.begin() as session:
        session.execute(update(User).values(active=False))
    assert _who(first, token) == 403 and _who(second, token) == 403
    assert first.get("/api/v1/projects").status_code == 403  # the cookie's session too


def test_account_services_revoke_deactivate_and_reset(sessions: sessionmaker[Session],
                                                      two_servers: tuple[TestClient, TestClient]) -> None:
    first, second = two_servers
    kept, dropped = issue_token(sessions, "wang", "保留"), issue_token(sessions, "wang", "撤销")
    assert _who(first, kept) == 200 and _who(first, dropped) == 200
    listed = accounts.list_tokens(sessions, "wang")
    assert [(t.label, t.revoked) for t in listed] == [("保留", False), ("撤销", False)]
    assert accounts.revoke_tokens(sessions, "wang", listed[1].id) == 1
    assert _who(first, dropped) == 403 and _who(second, kept) == 200
    assert accounts.set_active(sessions, "wang", False) is True
    assert _who(second, kept) == 403
    assert accounts.set_active(sessions, "wang", True) is True
    assert _who(second, kept) == 200  # reactivated: tokens not revoked work again
    assert accounts.revoke_tokens(sessions, "wang") == 1  # all that were still valid
    assert _who(first, kept) == 403
    signed_in = first.post("/api/v1/session", json={"username": "wang", "password": PASSWORD})
    assert signed_in.status_code == 200 and first.get("/api/v1/projects").status_code == 200
    accounts.reset_password(sessions, "wang", "全新的密码-2026-12")
    assert first.get("/api/v1/projects").status_code == 403  # every session ended with the old password
    assert accounts.check_password(sessions, "wang", PASSWORD) is None
    assert accounts.check_password(sessions, "wang", "全新的密码-2026-12") is not None
    with pytest.raises(AccountError, match="没有用户"):
        accounts.revoke_tokens(sessions, "nobody")


@pytest.mark.parametrize(("password", "message"), [
    ("short", "至少 10 个字符"),
    ("wangwangwang", None),
    ("aaaaaaaaaaaa", "不能全是同一个字符"),
    ("x" * (accounts.PASSWORD_MAX + 1), f"不能超过 {accounts.PASSWORD_MAX} 个字符"),
])
def test_password_policy(sessions: sessionmaker[Session], password: str, message: str | None) -> None:
    if message is None:
        add_user(sessions, "wangwangwang", "a-good-password", Role.UNIT_EDITOR)
        with pytest.raises(AccountError, match="不能与用户名相同"):
            accounts.reset_password(sessions, "wangwangwang", password)
        with pytest.raises(AccountError, match="不能与用户名相同"):
            add_user(sessions, "WangWangWang", "wangwangwang", Role.UNIT_EDITOR)
        return
    with pytest.raises(AccountError, match=message):
        add_user(sessions, "li", password, Role.UNIT_EDITOR)


@pytest.mark.parametrize(("username", "display_name", "message"), [
    ("u" * 65, None, "“用户名”长 65 个字符，超过上限 64 个字符"),
    ("long-name", "名" * 101, "“显示名称”长 101 个字符，超过上限 100 个字符"),
    ("nul\0name", None, "“用户名”含有空字符（NUL）"),
])
def test_a_name_the_database_cannot_store_is_refused_in_chinese(sessions: sessionmaker[Session], username: str,
                                                                display_name: str | None, message: str) -> None:
    """Before the fix PostgreSQL raised a DataError (a traceback from ``jixiao user add``); SQLite stored it."""
    with pytest.raises(AccountError) as refused:
        add_user(sessions, username, None, Role.UNIT_EDITOR, None, display_name)
    assert str(refused.value) == message


@pytest.mark.parametrize("username", ["bad name!<>", "张三", "x", "a" * 33, "tab\tname", "-dash", "dot."])
def test_a_username_outside_the_pattern_is_refused(sessions: sessionmaker[Session], username: str) -> None:
    """Review defect 8: an administrator could create ``bad name!<>``."""
    with pytest.raises(AccountError, match=re.escape(accounts.USERNAME_RULE)):
        add_user(sessions, username, None, Role.UNIT_EDITOR)


def test_usernames_differing_only_in_case_are_one(sessions: sessionmaker[Session]) -> None:
    """Review defect 8: both ``zhangsan`` and ``ZhangSan`` could be created."""
    add_user(sessions, "zhangsan", None, Role.UNIT_EDITOR)
    add_user(sessions, "li.si_2-b", None, Role.UNIT_EDITOR)  # every allowed character
    with pytest.raises(AccountError) as refused:
        add_user(sessions, "ZhangSan", None, Role.UNIT_EDITOR)
    assert str(refused.value) == "用户名“ZhangSan”已存在（已有用户“zhangsan”，用户名不区分大小写）"
    with pytest.raises(AccountError, match="用户名“zhangsan”已存在"):
        add_user(sessions, "zhangsan", None, Role.UNIT_EDITOR)


def test_a_token_label_the_database_cannot_store_is_refused_in_chinese(sessions: sessionmaker[Session]) -> None:
    add_user(sessions, "labelled", None, Role.UNIT_EDITOR)
    with pytest.raises(AccountError) as refused:
        issue_token(sessions, "labelled", "说" * 101)
    assert str(refused.value) == "“令牌说明”长 101 个字符，超过上限 100 个字符"
