"""Login throttling that holds under parallel requests and cannot be turned into a lockout.

**Choice: slow down, never lock.** Every login attempt must first *claim* a slot, in the database, on
each of its keys, before its password is even looked at:

* the user name and the client address together (5 attempts free, then a delay of 1 s, 2 s, 4 s …
  up to 15 minutes before the next one is checked);
* the client address alone (20 free: one address trying many user names is password spraying);
* the user name alone (10 free): guessing one account from many addresses is slowed for the account
  as a whole.

The last two are not claimed at an address where the user has signed in before (``known_addresses``):
there only the user's own count at that address applies.

A claim is one atomic ``UPDATE … SET attempts = attempts + 1 … WHERE next_at <= now RETURNING
attempts`` per key (after an ``INSERT … ON CONFLICT DO NOTHING`` makes sure the row exists), all keys in
one transaction, in a fixed order: on PostgreSQL the row lock makes parallel claims wait for each other
and re-read ``next_at``; on SQLite the transaction holds the one write lock. A refused claim rolls back
(a refusal is not counted, so hammering does not lengthen anyone's wait) and is answered at once, so
parallel requests get exactly the free attempts checked, never all of them.

Nothing locks an account: the counts only delay the attacker's own keys. A login from an address where
the user has signed in before is never held back by anyone else's failures (from other addresses, or
other user names at the same address), and a success starts the user-and-address count again. Counts
start over after the window (an hour). What remains possible: a new address of the real user is slowed
while the account is under a distributed attack (the user can still sign in from a known address, and an
administrator can reset the password), and an attacker at an address the user is known at gets that
address's own slow count for the user (5 free, then doubling delays).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jixiao.storage.models import KnownAddress, LoginThrottle, User


@dataclass(frozen=True, slots=True)
class Rule:
    """How one kind of key is slowed: ``free`` attempts per window, then a doubling delay up to ``cap``."""

    kind: str
    free: int
    window: timedelta = timedelta(hours=1)
    base_seconds: float = 1.0
    cap_seconds: float = 15 * 60.0

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th attempt of a window before the next is checked."""
        if attempts < self.free:
            return timedelta(0)
        return timedelta(seconds=min(self.cap_seconds, self.base_seconds * 2 ** min(attempts - self.free, 40)))


USER_ADDRESS = Rule("user_address", 5)
ADDRESS = Rule("address", 20)
USER = Rule("user", 10)
KNOWN_FOR = timedelta(days=90)  # an address stays known this long after the user's last login from it


@dataclass(frozen=True, slots=True)
class Key:
    rule: Rule
    value: str  # SHA-256 of the kind and its parts (user names and addresses are not stored in clear)


def _key(rule: Rule, *parts: str) -> Key:
    return Key(rule, hashlib.sha256("\x00".join((rule.kind, *parts)).encode("utf-8")).hexdigest())


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_known(session: Session, username: str, address: str, moment: datetime) -> bool:
    """Whether the user signed in successfully from ``address`` recently (read outside the claim)."""
    if not address:
        return False
    return session.scalar(select(KnownAddress.user_id).join(User, User.id == KnownAddress.user_id).where(
        User.username == username, KnownAddress.address == address,
        KnownAddress.last_at >= moment - KNOWN_FOR)) is not None


def keys_for(username: str, address: str, known: bool) -> list[Key]:
    """The keys an attempt claims: at an address the user is known at, only the user's own count there
    (nobody else's failures, at that address or elsewhere, hold the user back)."""
    keys = [_key(USER_ADDRESS, username, address)]
    if not known:
        keys += [_key(ADDRESS, address), _key(USER, username)]
    return sorted(keys, key=lambda k: k.value)  # one order for every transaction: no deadlock on PostgreSQL


def _ensure(session: Session, key: Key, moment: datetime) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(LoginThrottle).values(
        key=key.value, kind=key.rule.kind, attempts=0, window_start=moment, next_at=moment,
    ).on_conflict_do_nothing(index_elements=["key"]))


def claim(session: Session, keys: list[Key], moment: datetime) -> timedelta | None:
    """Count one attempt on every key; ``None`` when the attempt may be checked, else how long to wait.

    On a refusal the caller must roll the transaction back (nothing of the refused attempt is kept).
    """
    for key in keys:
        _ensure(session, key, moment)
        expired = LoginThrottle.window_start <= moment - key.rule.window
        attempts = session.execute(
            update(LoginThrottle).where(LoginThrottle.key == key.value, LoginThrottle.next_at <= moment)
            .values(attempts=case((expired, 1), else_=LoginThrottle.attempts + 1),
                    window_start=case((expired, moment), else_=LoginThrottle.window_start))
            .returning(LoginThrottle.attempts).execution_options(synchronize_session=False)).scalar_one_or_none()
        if attempts is None:
            waiting = session.scalar(select(LoginThrottle.next_at).where(LoginThrottle.key == key.value))
            return max(_aware(waiting) - moment, timedelta(seconds=1)) if waiting else timedelta(seconds=1)
        session.execute(update(LoginThrottle).where(LoginThrottle.key == key.value)
                        .values(next_at=moment + key.rule.delay(attempts))
                        .execution_options(synchronize_session=False))
    return None


def succeeded(session: Session, keys: list[Key], user_id: int, address: str, moment: datetime) -> None:
    """After a correct password: the user-and-address count starts again, the shared counts forget this
    attempt (it was not a failure), and the address becomes known for the user."""
    for key in keys:
        if key.rule is USER_ADDRESS:
            session.execute(delete(LoginThrottle).where(LoginThrottle.key == key.value))
        else:
            session.execute(update(LoginThrottle).where(LoginThrottle.key == key.value, LoginThrottle.attempts > 0)
                            .values(attempts=LoginThrottle.attempts - 1).execution_options(synchronize_session=False))
    # Rows whose window ended long ago and whose delay has passed count as fresh anyway: sweep them.
    stale = moment - 2 * max(rule.window for rule in (USER_ADDRESS, ADDRESS, USER))
    session.execute(delete(LoginThrottle).where(LoginThrottle.window_start < stale, LoginThrottle.next_at < moment))
    if address:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(KnownAddress).values(user_id=user_id, address=address[:64], last_at=moment)
                        .on_conflict_do_update(index_elements=["user_id", "address"], set_={"last_at": moment}))


def wait_text(wait: timedelta) -> str:
    """"12 秒" or "15 分钟", rounded up."""
    seconds = math.ceil(wait.total_seconds())
    return f"{seconds} 秒" if seconds < 120 else f"{math.ceil(seconds / 60)} 分钟"
