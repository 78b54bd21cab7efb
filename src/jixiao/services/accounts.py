"""Local accounts (argon2 hashes) and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.permissions import Actor
from jixiao.storage.models import ApiToken, Organization, User

_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A refused account operation; the message is Chinese."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(sessions: sessionmaker[Session], username: str, password: str | None, role: Role,
             organization_code: str | None = None, display_name: str | None = None) -> int:
    if password is not None and len(password) < 10:
        raise AccountError("密码至少 10 个字符")
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
