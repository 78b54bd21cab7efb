"""Administration use cases for the web (users, roles, tokens, the organisation tree, the audit trail).

Each one checks first that the caller is an administrator (:class:`AdminOnly`, 403 with the reason) and
then calls the same account and organisation services the CLI uses, passing the administrator's id so
that the audit log says who did it. The role-and-organisation rule (:func:`accounts.check_role_fits`)
holds for accounts made here; the CLI stays the tool for unusual set-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import ROLE_LABELS, Role
from jixiao.services import accounts
from jixiao.services.accounts import AccountError
from jixiao.services.organizations import OrgImport, import_organization_bytes
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.storage.models import AuditEntry, Organization, Project, User


class AdminOnly(PermissionDenied):
    """Administration is for administrators only (users, organisations, tokens, the audit trail)."""

    code = "admin_only"
    summary = "只有系统管理员可以进行账号、组织和令牌管理"


def require_admin(actor: Actor) -> int | None:
    """The administrator's user id, or :class:`AdminOnly`."""
    if actor.role is not Role.ADMIN:
        raise AdminOnly("只有系统管理员可以进行账号、组织和令牌管理（当前角色："
                        f"{ROLE_LABELS[actor.role] if actor.role else '未登录'}）")
    return actor.user_id


def users(sessions: sessionmaker[Session], actor: Actor) -> list[accounts.UserInfo]:
    require_admin(actor)
    return accounts.list_users(sessions)


def add_user(sessions: sessionmaker[Session], actor: Actor, username: str, display_name: str, role: Role,
             organization_code: str | None, password: str) -> int:
    """A new account whose organisation fits its role (see :func:`accounts.check_role_fits`)."""
    by = require_admin(actor)
    username = username.strip()
    if not username:
        raise AccountError("请填写用户名")
    with sessions() as session:
        accounts.check_role_fits(session, role, organization_code or None)
    return accounts.add_user(sessions, username, password, role, organization_code or None,
                             display_name.strip() or None, by=by)


def _not_self(actor: Actor, user_id: int, refusal: str) -> None:
    if actor.user_id == user_id:
        raise AccountError(f"{refusal}（请由另一位管理员操作），以免无人能再管理系统")


def set_active(sessions: sessionmaker[Session], actor: Actor, user_id: int, active: bool) -> tuple[str, bool]:
    """Disable (every session ends at once) or enable a user; (username, whether it changed)."""
    by = require_admin(actor)
    if not active:
        _not_self(actor, user_id, "不能停用自己的账号")
    username = accounts.username_of(sessions, user_id)
    return username, accounts.set_active(sessions, username, active, by=by)


def reset_password(sessions: sessionmaker[Session], actor: Actor, user_id: int, password: str) -> str:
    """Set a new password for a user (their sessions end); the username."""
    by = require_admin(actor)
    username = accounts.username_of(sessions, user_id)
    accounts.reset_password(sessions, username, password, by=by)
    return username


def set_role(sessions: sessionmaker[Session], actor: Actor, user_id: int, role: Role,
             organization_code: str | None) -> tuple[str, bool]:
    by = require_admin(actor)
    if role is not Role.ADMIN:
        _not_self(actor, user_id, "不能取消自己的管理员角色")
    username = accounts.username_of(sessions, user_id)
    return username, accounts.set_role(sessions, username, role, organization_code or None, by=by)


def tokens(sessions: sessionmaker[Session], actor: Actor) -> list[accounts.IssuedToken]:
    require_admin(actor)
    return accounts.all_tokens(sessions)


def issue_token(sessions: sessionmaker[Session], actor: Actor, user_id: int, label: str) -> tuple[str, str]:
    """A new token for the user: (username, the token, to be shown once)."""
    by = require_admin(actor)
    label = label.strip()
    if not label:
        raise AccountError("请填写令牌用途（如“预算系统对接”）")
    username = accounts.username_of(sessions, user_id)
    return username, accounts.issue_token(sessions, username, label, by=by)


def revoke_token(sessions: sessionmaker[Session], actor: Actor, token_id: int) -> bool:
    by = require_admin(actor)
    return accounts.revoke_token(sessions, token_id, by=by)


def import_organizations(sessions: sessionmaker[Session], actor: Actor, data: bytes, name: str) -> OrgImport:
    by = require_admin(actor)
    return import_organization_bytes(sessions, data, name, by=by)


def organization_choices(session: Session, actor: Actor) -> list[tuple[str, str, str]]:
    """(code, name, kind) of every organisation, by code: what a user may be filed under."""
    require_admin(actor)
    return [(c, n, k) for c, n, k in session.execute(
        select(Organization.code, Organization.name, Organization.kind).order_by(Organization.code))]


@dataclass(frozen=True, slots=True)
class OrgNode:
    code: str
    name: str
    kind: str
    depth: int
    users: int
    projects: int


def organization_tree(session: Session, actor: Actor) -> list[OrgNode]:
    """Every organisation in tree order (finance bureau, its departments, their units), with how many users
    and projects each has; organisations whose parent is missing come last, as roots."""
    require_admin(actor)
    orgs = list(session.scalars(select(Organization).order_by(Organization.code)))
    people = dict(session.execute(select(User.organization_id, func.count()).group_by(User.organization_id)).all())
    owned = dict(session.execute(select(Project.unit_id, func.count()).group_by(Project.unit_id)).all())
    children: dict[int | None, list[Organization]] = {}
    ids = {o.id for o in orgs}
    for org in orgs:
        children.setdefault(org.parent_id if org.parent_id in ids else None, []).append(org)
    found: list[OrgNode] = []
    seen: set[int] = set()
    pending = [(org, 0) for org in reversed(children.get(None, []))]
    while pending:
        org, depth = pending.pop()
        if org.id in seen:
            continue
        seen.add(org.id)
        found.append(OrgNode(org.code, org.name, org.kind, depth, people.get(org.id, 0), owned.get(org.id, 0)))
        pending.extend((child, depth + 1) for child in reversed(children.get(org.id, [])))
    return found


ACCOUNT_ACTIONS = {
    "account.add": "新建账号", "account.activate": "启用账号", "account.deactivate": "停用账号",
    "account.reset_password": "重设密码", "account.change_password": "修改本人密码", "account.set_role": "变更角色",
    "account.issue_token": "签发令牌", "account.revoke_tokens": "撤销令牌", "organizations.import": "导入组织机构"}


def audit_trail(session: Session, actor: Actor, page: int = 1, per_page: int = 50,
                only_admin: bool = True) -> dict[str, Any]:
    """The audit log, newest first, as sentences: who, what, on whom (administration entries, or all)."""
    require_admin(actor)
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if only_admin:
        query = query.where(AuditEntry.action.in_(ACCOUNT_ACTIONS))
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    names = dict(session.execute(select(User.id, User.username)).all())
    moved = {value for e in rows if e.action == "account.set_role" for value in
             ((e.before or {}).get("organization"), (e.after or {}).get("organization")) if isinstance(value, int)}
    orgs = {id_: f"{name}（{code}）" for id_, name, code in session.execute(
        select(Organization.id, Organization.name, Organization.code).where(Organization.id.in_(moved)))}
    return {"entries": [_sentence(entry, names, orgs) for entry in rows], "total": total, "page": page,
            "pages": max(1, -(-total // per_page))}


def _sentence(entry: AuditEntry, names: dict[int, str], orgs: dict[int, str]) -> dict[str, Any]:
    from jixiao.services.audit_text import AUDIT_LABELS

    who = names.get(entry.user_id, "（已删除）") if entry.user_id is not None else "系统（命令行）"
    what = ACCOUNT_ACTIONS.get(entry.action) or AUDIT_LABELS.get(entry.action, entry.action)
    after = entry.after or {}
    target = ""
    if entry.object_type == "user" and entry.object_id is not None:
        target = f"用户 {names.get(entry.object_id, entry.object_id)}"
    elif entry.object_type in ("project", "table_version") and entry.object_id is not None:
        target = f"{'项目' if entry.object_type == 'project' else '版本'} #{entry.object_id}"
    detail = _detail(entry.action, entry.before or {}, after, orgs)
    return {"at": entry.at, "who": who, "what": what, "target": target, "detail": detail}


def _detail(action: str, before: dict[str, Any], after: dict[str, Any], orgs: dict[int, str]) -> str:
    def role(value: object) -> str:
        try:
            return ROLE_LABELS[Role(str(value))]
        except ValueError:
            return str(value)

    if action == "account.add":
        org = f"，所属 {after['organization']}" if after.get("organization") else ""
        return f"角色 {role(after.get('role'))}{org}"
    if action == "account.set_role":  # role and 所属单位 change together: say both (the entry holds organisation ids)
        def unit(value: object) -> str:
            return "无" if value is None else orgs.get(value, f"#{value}") if isinstance(value, int) else str(value)
        was, now = before.get("organization"), after.get("organization")
        parts = [f"角色 {role(before.get('role'))} → {role(after.get('role'))}"] \
            if before.get("role") != after.get("role") else []
        return "；".join(parts + ([f"所属单位 {unit(was)} → {unit(now)}"] if was != now else [])) \
            or f"角色 {role(after.get('role'))}"
    if action == "account.issue_token":
        return f"令牌 #{after.get('token')}（{after.get('label')}）"
    if action == "account.revoke_tokens":
        which = f"令牌 #{after['token']}" if after.get("token") is not None else "全部令牌"
        return f"{which}，撤销 {after.get('revoked', 0)} 个"
    if action == "organizations.import":
        return f"文件 {after.get('file')}：新增 {after.get('created', 0)} 个，更新 {after.get('updated', 0)} 个"
    return ""

