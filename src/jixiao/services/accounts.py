"""Local accounts (argon2 hashes) and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import ROLE_LABELS, Role
from jixiao.services import throttle
from jixiao.services.errors import ServiceError, Throttled
from jixiao.services.fields import column_length, value_problem
from jixiao.services.permissions import Actor
from jixiao.storage.models import ApiToken, AuditEntry, LoginSession, Organization, User, now

_HASHER = PasswordHasher()


class AccountError(ServiceError, ValueError):
    """A refused account operation; the message is Chinese."""

    code = "account_error"
    status = 400
    summary = "账号操作被拒绝（如用户名已存在、密码过短、没有这个用户）"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


PASSWORD_MIN = 10
PASSWORD_MAX = 200  # what the login form and API accept: a longer password could never be typed in


def check_new_password(username: str, password: str) -> None:
    """The one password rule (new users, resets; the CLI and any page): raises :class:`AccountError`."""
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"密码不能超过 {PASSWORD_MAX} 个字符（登录时最多只能输入这么多）")
    if password.strip().casefold() == username.strip().casefold():
        raise AccountError("密码不能与用户名相同")
    if len(set(password)) == 1:
        raise AccountError("密码不能全是同一个字符")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"密码至少 {PASSWORD_MIN} 个字符")


# What a new username may be (the web form and ``jixiao user add`` alike): ASCII letters, digits and . _ -,
# 2–32 characters, starting and ending with a letter or digit: typed at a login prompt, safe in URLs, logs and
# file names. Unique regardless of case: ``zhangsan`` and ``ZhangSan`` would be one person to everyone reading.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}[A-Za-z0-9]")
USERNAME_RULE = "用户名只能由英文字母、数字和 . _ - 组成，长 2–32 个字符，且以字母或数字开头和结尾"


def check_new_username(session: Session, username: str) -> None:
    """The one username rule for new accounts (:data:`USERNAME`, unique ignoring case): :class:`AccountError`."""
    if USERNAME.fullmatch(username) is None:
        raise AccountError(f"{USERNAME_RULE}（“{username}”不符合）")
    taken = session.scalar(select(User.username).where(func.lower(User.username) == username.lower()).limit(1))
    if taken == username:
        raise AccountError(f"用户名“{username}”已存在")
    if taken is not None:
        raise AccountError(f"用户名“{username}”已存在（已有用户“{taken}”，用户名不区分大小写）")


def add_user(sessions: sessionmaker[Session], username: str, password: str | None, role: Role,
             organization_code: str | None = None, display_name: str | None = None, by: int | None = None) -> int:
    """A new account (``by``: the administrator who added it, for the audit log); its id."""
    if password is not None:
        check_new_password(username, password)
    for label, value, column in (("用户名", username, User.username),
                                 ("显示名称", display_name or "", User.display_name)):
        problem = value_problem(label, value, column_length(column))
        if problem is not None:  # (PostgreSQL would refuse it with a DataError: say it first, in Chinese)
            raise AccountError(problem)
    with sessions.begin() as session:
        check_new_username(session, username)
        organization = None
        if organization_code:
            organization = session.scalar(select(Organization).where(Organization.code == organization_code))
            if organization is None:
                raise AccountError(f"没有编码为“{organization_code}”的单位或部门")
        user = User(username=username, display_name=display_name or username, role=role.value,
                    password_hash=_HASHER.hash(password) if password else None,
                    organization_id=organization.id if organization else None)
        session.add(user)
        session.flush()
        session.add(AuditEntry(action="account.add", object_type="user", object_id=user.id, user_id=by,
                               after={"username": username, "role": role.value, "organization": organization_code}))
        return user.id


def actor_of(user: User) -> Actor:
    return Actor(user.id, Role(user.role), user.organization_id)


def check_password(sessions: sessionmaker[Session], username: str, password: str) -> Actor | None:
    """The actor for a correct username and password, else ``None`` (same answer either way)."""
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if user is None or user.password_hash is None:
            _HASHER.hash(password)  # same work as a real check: no timing hint that the user exists
            return None
        try:
            _HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return actor_of(user)


def issue_token(sessions: sessionmaker[Session], username: str, label: str, by: int | None = None) -> str:
    """A new API token for ``username``; shown once, stored only as a hash."""
    token = "jx_" + secrets.token_urlsafe(32)
    problem = value_problem("令牌说明", label, column_length(ApiToken.label))
    if problem is not None:
        raise AccountError(problem)
    with sessions.begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"没有用户“{username}”")
        issued = ApiToken(user_id=user.id, token_hash=_token_hash(token), label=label)
        session.add(issued)
        session.flush()
        session.add(AuditEntry(action="account.issue_token", object_type="user", object_id=user.id, user_id=by,
                               after={"token": issued.id, "label": label}))
    return token


def actor_for_token(sessions: sessionmaker[Session], token: str) -> Actor | None:
    with sessions() as session:
        user = session.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked.is_(False), User.active.is_(True)))
        return actor_of(user) if user is not None else None


SESSION_HOURS = 8  # a session ends after this long whatever happens …
IDLE_MINUTES = 30  # … and after this long without a request (the session timeout)
THROTTLE_FREE = throttle.USER_ADDRESS.free  # attempts per user and address checked before the delay starts
THROTTLE_ADDRESS_FREE = throttle.ADDRESS.free  # … per address, whatever the user name
THROTTLE_USER_FREE = throttle.USER.free  # … per user name, from addresses it never signed in from


class TooManyAttempts(AccountError, Throttled):
    """Too many login attempts recently for this user and address (or address, or user name)."""

    code = "too_many_attempts"
    status = 429
    summary = "登录尝试过于频繁，请稍后再试（只延缓，不锁定账号）"


def _claim(sessions: sessionmaker[Session], username: str, address: str | None, clock: Callable[[], datetime],
           refusal: str) -> tuple[datetime, str, list[throttle.Key]]:
    """Claim one password attempt for ``username`` from ``address`` (login and password change alike), or raise
    :class:`TooManyAttempts` (``refusal`` 请 … 后再试) before the password is looked at."""
    moment = clock().astimezone(UTC)
    place = (address or "")[:64]
    with sessions() as session:
        known = throttle.is_known(session, username, place, moment)
    keys = throttle.keys_for(username, place, known)
    with sessions.begin() as session:
        wait = throttle.claim(session, keys, moment)
        if wait is not None:  # leaving the block by raising rolls the claim back: a refusal is not counted
            raise TooManyAttempts(f"{refusal}，请 {throttle.wait_text(wait)}后再试",
                                  [{"retry_after": math.ceil(wait.total_seconds())}])
    return moment, place, keys


def login(sessions: sessionmaker[Session], username: str, password: str, address: str | None = None,
          clock: Callable[[], datetime] = now) -> tuple[str, Actor] | None:
    """A new session (cookie value, actor) for correct credentials, ``None`` otherwise.

    Throttled per user and client ``address`` (see :mod:`jixiao.services.throttle`: slowing down with a
    growing delay, never locking the account): an attempt that arrives too soon raises
    :class:`TooManyAttempts` before its password is checked, whatever the password.
    """
    moment, place, keys = _claim(sessions, username, address, clock, "登录尝试过于频繁")
    actor = check_password(sessions, username, password)
    if actor is None:
        return None
    assert actor.user_id is not None
    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        throttle.succeeded(session, keys, actor.user_id, place, moment)
        session.add(LoginSession(token_hash=_token_hash(token), user_id=actor.user_id,
                                 expires_at=now() + timedelta(minutes=IDLE_MINUTES)))
    return token, actor


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def session_user(session: Session, token: str) -> tuple[User, Organization | None] | None:
    """The user of login session ``token`` and their organisation, in one query, sliding the session's idle
    deadline forward (written at most once a minute); ``None`` when it is unknown or has expired."""
    found = session.execute(
        select(User, LoginSession, Organization).join(LoginSession, LoginSession.user_id == User.id)
        .outerjoin(Organization, Organization.id == User.organization_id)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.expires_at > now(),
               User.active.is_(True))).first()
    if found is None:
        return None
    user, login_session, organization = found
    created, expires = (_aware(login_session.created_at), _aware(login_session.expires_at))
    renewed = min(created + timedelta(hours=SESSION_HOURS), now() + timedelta(minutes=IDLE_MINUTES))
    if renewed - expires > timedelta(minutes=1):
        login_session.expires_at = renewed
        session.commit()
    return user, organization


def actor_for_session(sessions: sessionmaker[Session], token: str) -> Actor | None:
    """The session's user (see :func:`session_user`)."""
    with sessions() as session:
        found = session_user(session, token)
        return actor_of(found[0]) if found is not None else None


def logout(sessions: sessionmaker[Session], token: str) -> None:
    with sessions.begin() as session:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    label: str
    created_at: datetime
    revoked: bool


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"没有用户“{username}”")
    return user


def list_tokens(sessions: sessionmaker[Session], username: str) -> list[TokenInfo]:
    """The user's API tokens (never the tokens themselves: only their hashes are stored)."""
    with sessions() as session:
        user = _user(session, username)
        return [TokenInfo(t.id, t.label, t.created_at, t.revoked) for t in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))]


def revoke_tokens(sessions: sessionmaker[Session], username: str, token_id: int | None = None,
                  by: int | None = None) -> int:
    """Revoke one token of the user (``token_id``) or all of them; how many were still valid.

    Every request checks tokens in the database, so a revoked token is refused at once in every process.
    """
    with sessions.begin() as session:
        user = _user(session, username)
        query = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        if token_id is not None:
            if session.scalar(select(ApiToken.id).where(ApiToken.id == token_id, ApiToken.user_id == user.id)) is None:
                raise AccountError(f"用户“{username}”没有编号为 {token_id} 的令牌")
            query = query.where(ApiToken.id == token_id)
        revoked = len(session.execute(query.values(revoked=True).returning(ApiToken.id)
                                      .execution_options(synchronize_session=False)).all())
        session.add(AuditEntry(action="account.revoke_tokens", object_type="user", object_id=user.id, user_id=by,
                               after={"token": token_id, "revoked": revoked}))
        return revoked


def set_active(sessions: sessionmaker[Session], username: str, active: bool, by: int | None = None) -> bool:
    """Deactivate (every session ends; tokens are refused while inactive) or reactivate a user;
    ``False`` when it already was so."""
    with sessions.begin() as session:
        user = _user(session, username)
        if user.active == active:
            return False
        user.active = active
        if not active:
            session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        session.add(AuditEntry(action="account.activate" if active else "account.deactivate", object_type="user",
                               object_id=user.id, user_id=by, before={"active": not active}, after={"active": active}))
        return True


def reset_password(sessions: sessionmaker[Session], username: str, password: str, by: int | None = None) -> None:
    """Set a new password (the same rule as for new users); every session of the user ends."""
    check_new_password(username, password)
    hashed = _HASHER.hash(password)
    with sessions.begin() as session:
        user = _user(session, username)
        user.password_hash = hashed
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        session.add(AuditEntry(action="account.reset_password", object_type="user", object_id=user.id, user_id=by))


class WrongPassword(AccountError):
    """The old password given to change one's own password is missing or wrong (counted like a failed login)."""

    code = "wrong_password"
    summary = "原密码不正确，密码未修改"


def change_own_password(sessions: sessionmaker[Session], actor: Actor, old: str, new: str,
                        address: str | None = None, keep_session: str | None = None,
                        clock: Callable[[], datetime] = now) -> None:
    """A signed-in user sets a new password, the old one required: the attempt is throttled like a login (an
    open session must not become a way to guess the password), a wrong old password is refused and counted,
    and every other session of the user ends (``keep_session``: the one making the change stays)."""
    with sessions() as session:
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        if user is None or not user.active:
            raise AccountError("登录已过期，请重新登录")
        username = user.username
    if not old:
        raise WrongPassword("请填写原密码")
    check_new_password(username, new)
    if new == old:
        raise AccountError("新密码不能与原密码相同")
    moment, place, keys = _claim(sessions, username, address, clock, "原密码尝试过于频繁")
    if check_password(sessions, username, old) is None:
        raise WrongPassword("原密码不正确，密码未修改")
    hashed = _HASHER.hash(new)
    with sessions.begin() as session:
        throttle.succeeded(session, keys, actor.user_id or 0, place, moment)
        found = session.get(User, actor.user_id)
        assert found is not None
        found.password_hash = hashed
        others = delete(LoginSession).where(LoginSession.user_id == found.id)
        if keep_session is not None:
            others = others.where(LoginSession.token_hash != _token_hash(keep_session))
        session.execute(others)
        session.add(AuditEntry(action="account.change_password", object_type="user", object_id=found.id,
                               user_id=found.id))


# Which kind of organisation each role belongs to (None: none at all is allowed, e.g. a region-wide reviewer).
ROLE_ORGANIZATIONS: dict[Role, tuple[str | None, ...]] = {
    Role.UNIT_EDITOR: ("unit",), Role.DEPARTMENT_REVIEWER: ("department",),
    Role.FINANCE_REVIEWER: ("finance", None), Role.ADMIN: ("finance", None)}
KIND_LABELS = {"finance": "财政部门", "department": "主管部门", "unit": "预算单位"}


def check_role_fits(session: Session, role: Role, organization_code: str | None) -> Organization | None:
    """The organisation a user of ``role`` is filed under, or :class:`AccountError` saying what fits: a unit
    editor belongs to a 预算单位, a department reviewer to a 主管部门, a finance reviewer to a 财政部门 (or none:
    the whole system)."""
    allowed = ROLE_ORGANIZATIONS[role]
    wanted = "、".join(KIND_LABELS[k] for k in allowed if k) + ("（或不填）" if None in allowed else "")
    if not organization_code:
        if None in allowed:
            return None
        raise AccountError(f"{ROLE_LABELS[role]}必须填写所属单位或部门编码（应为{wanted}）")
    organization = session.scalar(select(Organization).where(Organization.code == organization_code))
    if organization is None:
        raise AccountError(f"没有编码为“{organization_code}”的单位或部门")
    if organization.kind not in allowed:
        raise AccountError(f"{ROLE_LABELS[role]}的所属单位应为{wanted}，“{organization.name}”是"
                           f"{KIND_LABELS.get(organization.kind, organization.kind)}")
    return organization


def set_role(sessions: sessionmaker[Session], username: str, role: Role, organization_code: str | None,
             by: int | None = None) -> bool:
    """Give a user another role and organisation (checked to fit); ``False`` when nothing changed. Sessions stay:
    every request reads the role from the database, so the change holds at once."""
    with sessions.begin() as session:
        user = _user(session, username)
        organization = check_role_fits(session, role, organization_code)
        before = {"role": user.role, "organization": user.organization_id}
        after = {"role": role.value, "organization": organization.id if organization else None}
        if before == after:
            return False
        user.role, user.organization_id = role.value, organization.id if organization else None
        session.add(AuditEntry(action="account.set_role", object_type="user", object_id=user.id, user_id=by,
                               before=before, after=after))
        return True


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    organization_code: str | None
    organization_name: str | None
    active: bool
    has_password: bool
    tokens: int  # valid ones
    created_at: datetime


def list_users(sessions: sessionmaker[Session]) -> list[UserInfo]:
    """Every account with its organisation and count of valid tokens, by username."""
    with sessions() as session:
        valid = dict(session.execute(select(ApiToken.user_id, func.count()).where(ApiToken.revoked.is_(False))
                                     .group_by(ApiToken.user_id)).all())
        rows = session.execute(select(User, Organization).order_by(User.username)
                               .outerjoin(Organization, Organization.id == User.organization_id)).all()
        return [UserInfo(u.id, u.username, u.display_name, Role(u.role), o.code if o else None,
                         o.name if o else None, u.active, u.password_hash is not None, valid.get(u.id, 0),
                         u.created_at) for u, o in rows]


def username_of(sessions: sessionmaker[Session], user_id: int) -> str:
    with sessions() as session:
        found = session.scalar(select(User.username).where(User.id == user_id))
    if found is None:
        raise AccountError(f"没有编号为 {user_id} 的用户")
    return found


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    username: str
    label: str
    created_at: datetime
    revoked: bool


def all_tokens(sessions: sessionmaker[Session]) -> list[IssuedToken]:
    """Every API token of every user, newest first (never the token: only its hash is stored)."""
    with sessions() as session:
        rows = session.execute(select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
                               .order_by(ApiToken.id.desc())).all()
        return [IssuedToken(t.id, name, t.label, t.created_at, t.revoked) for t, name in rows]


def revoke_token(sessions: sessionmaker[Session], token_id: int, by: int | None = None) -> bool:
    """Revoke one token by its number, whoever holds it; ``False`` when it already was revoked."""
    with sessions() as session:
        holder = session.scalar(select(User.username).join(ApiToken, ApiToken.user_id == User.id)
                                .where(ApiToken.id == token_id))
    if holder is None:
        raise AccountError(f"没有编号为 {token_id} 的令牌")
    return revoke_tokens(sessions, holder, token_id, by) > 0
