"""Local accounts (argon2 hashes) and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
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


def add_user(sessions: sessionmaker[Session], username: str, password: str | None, role: Role,
             organization_code: str | None = None, display_name: str | None = None) -> int:
    if password is not None:
        check_new_password(username, password)
    for label, value, column in (("用户名", username, User.username),
                                 ("显示名称", display_name or "", User.display_name)):
        problem = value_problem(label, value, column_length(column))
        if problem is not None:  # (PostgreSQL would refuse it with a DataError: say it first, in Chinese)
            raise AccountError(problem)
    with sessions.begin() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError(f"用户名“{username}”已存在")
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


def issue_token(sessions: sessionmaker[Session], username: str, label: str) -> str:
    """A new API token for ``username``; shown once, stored only as a hash."""
    token = "jx_" + secrets.token_urlsafe(32)
    problem = value_problem("令牌说明", label, column_length(ApiToken.label))
    if problem is not None:
        raise AccountError(problem)
    with sessions.begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"没有用户“{username}”")
        session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), label=label))
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


def login(sessions: sessionmaker[Session], username: str, password: str, address: str | None = None,
          clock: Callable[[], datetime] = now) -> tuple[str, Actor] | None:
    """A new session (cookie value, actor) for correct credentials, ``None`` otherwise.

    Throttled per user and client ``address`` (see :mod:`jixiao.services.throttle`: slowing down with a
    growing delay, never locking the account): an attempt that arrives too soon raises
    :class:`TooManyAttempts` before its password is checked, whatever the password.
    """
    moment = clock().astimezone(UTC)
    place = (address or "")[:64]
    with sessions() as session:
        known = throttle.is_known(session, username, place, moment)
    keys = throttle.keys_for(username, place, known)
    with sessions.begin() as session:
        wait = throttle.claim(session, keys, moment)
        if wait is not None:  # leaving the block by raising rolls the claim back: a refusal is not counted
            raise TooManyAttempts(f"登录尝试过于频繁，请 {throttle.wait_text(wait)}后再试",
                                  [{"retry_after": math.ceil(wait.total_seconds())}])
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


def actor_for_session(sessions: sessionmaker[Session], token: str) -> Actor | None:
    """The session's user, sliding its idle deadline forward (written at most once a minute)."""
    with sessions() as session:
        found = session.execute(select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id).where(
            LoginSession.token_hash == _token_hash(token), LoginSession.expires_at > now(),
            User.active.is_(True))).first()
        if found is None:
            return None
        user, login_session = found
        created, expires = (_aware(login_session.created_at), _aware(login_session.expires_at))
        renewed = min(created + timedelta(hours=SESSION_HOURS), now() + timedelta(minutes=IDLE_MINUTES))
        if renewed - expires > timedelta(minutes=1):
            login_session.expires_at = renewed
            session.commit()
        return actor_of(user)


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


def revoke_tokens(sessions: sessionmaker[Session], username: str, token_id: int | None = None) -> int:
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
        session.add(AuditEntry(action="account.revoke_tokens", object_type="user", object_id=user.id,
                               after={"token": token_id, "revoked": revoked}))
        return revoked


def set_active(sessions: sessionmaker[Session], username: str, active: bool) -> bool:
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
                               object_id=user.id, before={"active": not active}, after={"active": active}))
        return True


def reset_password(sessions: sessionmaker[Session], username: str, password: str) -> None:
    """Set a new password (the same rule as for new users); every session of the user ends."""
    check_new_password(username, password)
    hashed = _HASHER.hash(password)
    with sessions.begin() as session:
        user = _user(session, username)
        user.password_hash = hashed
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        session.add(AuditEntry(action="account.reset_password", object_type="user", object_id=user.id))
