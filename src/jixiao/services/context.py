"""The composition root: what every request and command needs, built once per process.

``web/app.py`` and the CLI each build one :class:`AppContext`; nothing outside ``services`` and
``storage`` opens an engine. Migrating is a separate, explicit call (:func:`migrate`): ``jixiao serve``
migrates once before its workers start, and the workers only connect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeAlias

from sqlalchemy.orm import Session, sessionmaker

from jixiao.profiles import DEFAULT_PROFILE, RegionProfile
from jixiao.profiles import load as load_profile
from jixiao.services import (
    analytics_facts,
    history_flags,  # noqa: F401 (its listeners mark the stored cross-year flags stale)
)
from jixiao.services.job_queue import JobQueue, queue_url
from jixiao.services.settings import PROFILE_VARIABLE, Settings, job_policy
from jixiao.storage.db import URL_VARIABLE, database_url, make_engine, session_factory

Db: TypeAlias = Session  # what a read service takes: the web layer names it without importing SQLAlchemy
Sessions: TypeAlias = sessionmaker[Session]  # what a write service takes (it opens its own transaction)


__all__ = ["PROFILE_VARIABLE", "URL_VARIABLE", "AppContext", "Db", "Sessions", "database_url", "migrate"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AppContext:
    """Session factory, clock, the region's profile and the job queue."""

    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = utc_now
    default_profile: str = DEFAULT_PROFILE
    url: str | None = None  # what it was built from (``jixiao serve`` hands it to its workers)
    jobs: JobQueue | None = None  # the job queue (services/job_queue.py): enqueue here, run by ``jixiao worker``

    @classmethod
    def from_url(cls, url: str | None = None, profile: str | None = None, **engine_options: Any) -> AppContext:
        """The database at ``url`` (default: ``JIXIAO_DATABASE_URL`` or ./data/jixiao.sqlite3), not migrated, and
        the region's ``profile`` (default: ``JIXIAO_PROFILE`` or chongqing), loaded now so that a wrong name or
        file is said at once (:class:`~jixiao.rules.profile.ProfileError`, in Chinese); both through
        :class:`~jixiao.services.settings.Settings`."""
        settings = Settings.from_env()  # a value jixiao does not accept is a SettingError, in Chinese
        chosen = profile or settings.profile
        load_profile(chosen)
        resolved = url or settings.database_url or database_url()
        jobs = JobQueue.open(queue_url(resolved, settings.jobs_url), job_policy(settings))
        return cls(session_factory(make_engine(resolved, **engine_options)), default_profile=chosen, url=resolved,
                   jobs=jobs)

    @property
    def profile(self) -> RegionProfile:
        """The region's settings (rules, scoring, calendar): parsed once per process, then cached."""
        return load_profile(self.default_profile)

    def today(self) -> date:
        """Today's date in the region's time zone (deadlines are local dates), whatever zone the server runs in."""
        from zoneinfo import ZoneInfo

        return self.clock().astimezone(ZoneInfo(self.profile.timezone)).date()

    def close(self) -> None:
        """Release the engine's connections (commands and tests; a server keeps them)."""
        bind = self.sessions.kw.get("bind")
        if bind is not None:
            bind.dispose()
        if self.jobs is not None:
            self.jobs.close()


def migrate(context: AppContext) -> None:
    """Bring the database to the newest schema (idempotent), then fill the list columns and the analytics rows it
    left empty."""
    from jixiao.services.summaries import refresh
    from jixiao.storage.migrate import upgrade

    upgrade(context.sessions.kw["bind"])
    refresh(context.sessions)
    analytics_facts.refresh_missing(context.sessions)
