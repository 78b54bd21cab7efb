"""``jixiao user tokens|revoke|deactivate|activate|password`` and the password rule of ``user add``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli.main import build_app
from jixiao.domain.workflow import Role
from jixiao.services import accounts
from jixiao.services.context import AppContext, migrate


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    url = f"sqlite:///{tmp_path / 'jixiao.sqlite3'}"
    monkeypatch.setenv("JIXIAO_DATABASE_URL", url)
    context = AppContext.from_url(url)
    migrate(context)
    accounts.add_user(context.sessions, "wang", "一个足够长的密码-42", Role.FINANCE_REVIEWER)
    yield context
    context.close()


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    typed = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(build_app(), list(args))
    return done.exit_code, done.output


def test_tokens_are_listed_and_revoked_one_or_all(database: AppContext) -> None:
    first = accounts.issue_token(database.sessions, "wang", "报表脚本")
    second = accounts.issue_token(database.sessions, "wang", "数据同步")
    code, shown = _run("user", "tokens", "wang")
    assert code == 0 and "报表脚本" in shown and "数据同步" in shown and shown.count("有效") == 2
    number = accounts.list_tokens(database.sessions, "wang")[0].id
    code, shown = _run("user", "revoke", "wang", "--id", str(number))
    assert code == 0 and "已撤销用户 wang 的 1 个令牌" in shown
    assert accounts.actor_for_token(database.sessions, first) is None
    assert accounts.actor_for_token(database.sessions, second) is not None
    assert "已撤销" in _run("user", "tokens", "wang")[1]
    assert _run("user", "revoke", "wang")[0] == 0
    assert accounts.actor_for_token(database.sessions, second) is None
    code, shown = _run("user", "revoke", "nobody")
    assert code == 2 and "没有用户“nobody”" in shown
    code, shown = _run("user", "revoke", "wang", "--id", "9999")
    assert code == 2 and "没有编号为 9999 的令牌" in shown


def test_deactivate_and_activate(database: AppContext) -> None:
    token = accounts.issue_token(database.sessions, "wang", "脚本")
    code, shown = _run("user", "deactivate", "wang")
    assert code == 0 and "已停用用户 wang" in shown
    assert accounts.actor_for_token(database.sessions, token) is None
    assert accounts.login(database.sessions, "wang", "一个足够长的密码-42") is None
    assert "已是停用状态" in _run("user", "deactivate", "wang")[1]
    code, shown = _run("user", "activate", "wang")
    assert code == 0 and "已恢复用户 wang" in shown
    assert accounts.actor_for_token(database.sessions, token) is not None


def test_password_reset_follows_the_one_rule(database: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    refusals = {"wang": "不能与用户名相同", "1111111111111": "不能全是同一个字符", "短密码": "至少 10 个字符",
                "长" * 201: "不能超过 200 个字符"}
    for typed, message in refusals.items():
        _typed(monkeypatch, typed)
        code, shown = _run("user", "password", "wang")
        assert code == 2 and message in shown, shown
    _typed(monkeypatch, "新的密码-2026-12", "新的密码-2026-13")
    code, shown = _run("user", "password", "wang")
    assert code == 2 and "两次输入的密码不一致" in shown
    _typed(monkeypatch, "新的密码-2026-12", "新的密码-2026-12")
    code, shown = _run("user", "password", "wang")
    assert code == 0 and "已重设用户 wang 的密码" in shown
    assert accounts.check_password(database.sessions, "wang", "新的密码-2026-12") is not None


def test_user_add_refuses_a_password_login_could_not_take(database: AppContext,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _typed(monkeypatch, "x1" * 101)  # 202 characters: the login form and API take at most 200
    code, shown = _run("user", "add", "li", "--role", "unit_editor")
    assert code == 2 and "不能超过 200 个字符" in shown
    _typed(monkeypatch, "short-pw")
    assert "至少 10 个字符" in _run("user", "add", "li", "--role", "unit_editor")[1]


def test_user_add_refuses_a_bad_or_case_twin_username(database: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review defect 8, on the command line: the same rule as the web's."""
    _typed(monkeypatch, "a-good-password-1", "a-good-password-1")
    code, shown = _run("user", "add", "bad name!", "--role", "finance_reviewer")
    assert code == 2 and "用户名只能由英文字母、数字和 . _ - 组成" in shown
    code, shown = _run("user", "add", "Wang", "--role", "finance_reviewer")
    assert code == 2 and "已有用户“wang”，用户名不区分大小写" in shown
