"""Who is signed in: the actor of a login session with the names a page header shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.accounts import actor_for_session
from jixiao.services.dashboard import work_count
from jixiao.services.permissions import Actor
from jixiao.storage.models import Organization, User


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    username: str | None
    display_name: str | None
    organization: str | None
    work: int | None = None  # how many tables wait on this user ("我的工作 (3)" in the menu)


def signed_in(sessions: sessionmaker[Session], secret: str, with_work: bool = True) -> SignedIn | None:
    """The user of the login session ``secret``, or ``None`` when it is unknown or has expired; ``with_work``: count
    the tables waiting on them (the menu's number: a part of a page swapped in by htmx has no menu)."""
    actor = actor_for_session(sessions, secret)
    if actor is None or actor.user_id is None:
        return None
    with sessions() as session:
        user = session.get(User, actor.user_id)
        organization = session.get(Organization, actor.organization_id) if actor.organization_id else None
        return SignedIn(actor, user.username if user else None, user.display_name if user else None,
                        organization.name if organization else None,
                        work_count(session, actor) if with_work else None)
