"""Who is signed in: the actor of a login session with the names a page header shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.accounts import actor_of, session_user
from jixiao.services.dashboard import work_count
from jixiao.services.permissions import Actor


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    username: str | None
    display_name: str | None
    organization: str | None
    work: int | None = None  # how many tables wait on this user ("我的工作 (3)" in the menu)


def signed_in(sessions: sessionmaker[Session], secret: str, with_work: bool = True) -> SignedIn | None:
    """The user of the login session ``secret``, or ``None`` when it is unknown or has expired; ``with_work``: count
    the tables waiting on them (the menu's number: a part of a page swapped in by htmx has no menu). One session
    and one query for the user, their login session and organisation: a page asks this on every request."""
    with sessions() as session:
        found = session_user(session, secret)
        if found is None:
            return None
        user, organization = found
        actor = actor_of(user)
        if actor.user_id is None:
            return None
        return SignedIn(actor, user.username, user.display_name, organization.name if organization else None,
                        work_count(session, actor) if with_work else None)
