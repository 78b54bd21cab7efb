"""Administration through the services the web uses, on SQLite and PostgreSQL: who may, what fits, what is audited.

Accounts, roles, tokens and the password change (throttled like a login); the organisation import from
the words budget systems export (单位编码, 单位名称, 主管部门), from .xlsx and GB18030 CSV, all rows or none.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.io.inputs.organizations import write_template
from jixiao.services import accounts, admin
from jixiao.services.accounts import (
    AccountError,
    TooManyAttempts,
    WrongPassword,
    actor_for_session,
    actor_for_token,
    change_own_password,
    login,
)
from jixiao.services.organizations import import_organization_bytes
from jixiao.services.permissions import Actor
from jixiao.storage.models import AuditEntry, Organization, User

ORGS = "单位编码,单位名称,主管部门\n500115,长寿区财政局,\n145,政务服务管理办公室,500115\n145001,政务办（本级）,145\n"
PASSWORD = "管理员的密码-2022"
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)  # still argon2, a fraction of the work


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_HASHER", CHEAP)


@pytest.fixture
def boss(sessions: sessionmaker[Session]) -> Actor:
    """An administrator, added as the CLI would, over a small tree imported with a budget system's column names."""
    from jixiao.services.accounts import add_user

    assert import_organization_bytes(sessions, ORGS.encode("utf-8"), "orgs.csv").diagnostics == []
    user_id = add_user(sessions, "boss", PASSWORD, Role.ADMIN)
    return Actor(user_id, Role.ADMIN)


def _kinds(sessions: sessionmaker[Session]) -> dict[str, tuple[str, str | None]]:
    with sessions() as session:
        codes = dict(session.execute(select(Organization.id, Organization.code)).all())
        return {o.code: (o.kind, codes.get(o.parent_id) if o.parent_id else None)
                for o in session.scalars(select(Organization))}


def test_the_tree_is_read_from_a_budget_systems_columns_and_from_the_template(sessions: sessionmaker[Session],
                                                                             boss: Actor) -> None:
    assert _kinds(sessions) == {"500115": ("finance", None), "145": ("department", "500115"),
                                "145001": ("unit", "145")}
    with sessions() as session:
        tree = admin.organization_tree(session, boss)
    assert [(n.code, n.depth) for n in tree] == [("500115", 0), ("145", 1), ("145001", 2)]
    out = io.BytesIO()  # the downloadable template imports as it is (its examples are this tree)
    write_template(out)
    again = admin.import_organizations(sessions, boss, out.getvalue(), "组织机构导入模板.xlsx")
    assert (again.created, again.updated, again.diagnostics) == (0, 3, [])
    refused = admin.import_organizations(sessions, boss, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧.xls")
    assert "旧版 Excel" in refused.diagnostics[0].message
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "organizations.import")
                                .order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.user_id == boss.user_id


def test_a_bad_file_names_row_and_column_as_the_file_does_and_changes_nothing(sessions: sessionmaker[Session],
                                                                              boss: Actor) -> None:
    bad = ("单位编码,单位名称,单位类型,上级编码\n146,另一部门,主管部门,500115\n146001,,预算单位,146\n"
           "146002,单位二,学校,146\n146,重复的部门,主管部门,500115\n147,甲,主管部门,148\n148,乙,主管部门,147\n"
           "149001,丙,预算单位,149\n")
    result = admin.import_organizations(sessions, boss, bad.encode("gb18030"), "组织.csv")  # Excel's GBK CSV
    found = [(d.line, d.column, d.message) for d in result.diagnostics]
    assert [(line, column) for line, column, _ in found] == [
        (3, "单位名称"), (4, "单位类型"), (5, "单位编码"), (6, "上级编码"), (7, "上级编码"), (8, "上级编码")]
    assert "与第2行重复" in found[2][2] and "循环" in found[3][2] and "既不在文件中也不在系统中" in found[5][2]
    assert "146" not in _kinds(sessions)  # the good row 2 was not written either


def test_only_administrators_administer_accounts_fit_roles_and_changes_are_audited(sessions: sessionmaker[Session],
                                                                      boss: Actor) -> None:
    clerk = Actor(boss.user_id, Role.FINANCE_REVIEWER)
    for call in (lambda: admin.users(sessions, clerk), lambda: admin.tokens(sessions, clerk),
                 lambda: admin.add_user(sessions, clerk, "x", "", Role.ADMIN, None, "a-good-password"),
                 lambda: admin.set_active(sessions, clerk, 1, False),
                 lambda: admin.reset_password(sessions, clerk, 1, "a-good-password"),
                 lambda: admin.import_organizations(sessions, clerk, ORGS.encode(), "o.csv")):
        with pytest.raises(admin.AdminOnly, match="只有系统管理员"):
            call()
    with pytest.raises(AccountError, match="单位填报人的所属单位应为预算单位，“政务服务管理办公室”是主管部门"):
        admin.add_user(sessions, boss, "zhang", "张三", Role.UNIT_EDITOR, "145", "张三的密码-12345")
    with pytest.raises(AccountError, match="主管部门审核人必须填写所属单位"):
        admin.add_user(sessions, boss, "li", "李四", Role.DEPARTMENT_REVIEWER, None, "李四的密码-12345")
    zhang = admin.add_user(sessions, boss, " zhang ", "张三", Role.UNIT_EDITOR, "145001", "张三的密码-12345")
    assert admin.set_role(sessions, boss, zhang, Role.DEPARTMENT_REVIEWER, "145") == ("zhang", True)
    assert admin.set_role(sessions, boss, zhang, Role.DEPARTMENT_REVIEWER, "145") == ("zhang", False)
    signed = login(sessions, "zhang", "张三的密码-12345")
    assert signed is not None and signed[1].role is Role.DEPARTMENT_REVIEWER
    assert admin.set_active(sessions, boss, zhang, False) == ("zhang", True)
    assert actor_for_session(sessions, signed[0]) is None  # the session ended at once
    with pytest.raises(AccountError, match="不能停用自己的账号"):
        admin.set_active(sessions, boss, boss.user_id or 0, False)
    with pytest.raises(AccountError, match="不能取消自己的管理员角色"):
        admin.set_role(sessions, boss, boss.user_id or 0, Role.FINANCE_REVIEWER, None)
    admin.set_active(sessions, boss, zhang, True)
    holder, token = admin.issue_token(sessions, boss, zhang, "预算系统对接")
    assert holder == "zhang" and token.startswith("jx_")
    assert actor_for_token(sessions, token) is not None
    [listed] = admin.tokens(sessions, boss)
    assert (listed.username, listed.label, listed.revoked) == ("zhang", "预算系统对接", False)
    assert admin.revoke_token(sessions, boss, listed.id) is True
    assert admin.revoke_token(sessions, boss, listed.id) is False
    assert actor_for_token(sessions, token) is None
    admin.reset_password(sessions, boss, zhang, "新的密码-456789")
    with sessions() as session:
        trail = admin.audit_trail(session, boss)
    rows = [(e["who"], e["what"], e["target"]) for e in trail["entries"]]
    assert rows[:8] == [("boss", "重设密码", "用户 zhang"), ("boss", "撤销令牌", "用户 zhang"),
                        ("boss", "撤销令牌", "用户 zhang"), ("boss", "签发令牌", "用户 zhang"),
                        ("boss", "启用账号", "用户 zhang"), ("boss", "停用账号", "用户 zhang"),
                        ("boss", "变更角色", "用户 zhang"), ("boss", "新建账号", "用户 zhang")]
    assert trail["entries"][6]["detail"] == \
        "角色 单位填报人 → 主管部门审核人；所属单位 政务办（本级）（145001） → 政务服务管理办公室（145）"
    assert rows[-1] == ("系统（命令行）", "导入组织机构", "")  # the fixture's import, without a signed-in user


def test_changing_ones_own_password_needs_the_old_one_and_is_throttled(sessions: sessionmaker[Session],
                                                                       boss: Actor) -> None:
    moment = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        return moment[0]

    here = login(sessions, "boss", PASSWORD, "10.0.0.1", clock)
    elsewhere = login(sessions, "boss", PASSWORD, "10.0.0.2", clock)
    assert here is not None and elsewhere is not None
    with pytest.raises(AccountError, match="新密码不能与原密码相同"):
        change_own_password(sessions, boss, PASSWORD, PASSWORD, "10.0.0.1", here[0], clock)
    for _ in range(5):  # five wrong guesses are free, as at the login form …
        with pytest.raises(WrongPassword, match="原密码不正确"):
            change_own_password(sessions, boss, "猜一个密码-000", "新的密码-456789", "10.0.0.1", here[0], clock)
    with pytest.raises(TooManyAttempts, match="原密码尝试过于频繁"):  # … then even the right one waits
        change_own_password(sessions, boss, PASSWORD, "新的密码-456789", "10.0.0.1", here[0], clock)
    moment[0] += timedelta(seconds=2)
    change_own_password(sessions, boss, PASSWORD, "新的密码-456789", "10.0.0.1", here[0], clock)
    assert actor_for_session(sessions, here[0]) is not None  # the session that changed it stays …
    assert actor_for_session(sessions, elsewhere[0]) is None  # … every other one ends
    assert login(sessions, "boss", PASSWORD, "10.0.0.1", clock) is None
    assert login(sessions, "boss", "新的密码-456789", "10.0.0.1", clock) is not None
    with sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "account.change_password"))
        user = session.scalar(select(User).where(User.username == "boss"))
        assert entry is not None and user is not None and entry.user_id == entry.object_id == user.id
