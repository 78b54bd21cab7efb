"""The list columns 问题级别 and 审核等级 of projects stored before they followed the current version.

Migration 0009 clears the old values (they were the last submission's); :func:`refresh` reviews the
current version of every project left without them, as a save or an import now does at once.
``migrate`` runs it after upgrading, so an existing database lists what its pages show.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.editing import summarise
from jixiao.storage.models import Project
from jixiao.storage.repository import latest_version

BATCH = 500


def refresh(sessions: sessionmaker[Session]) -> int:
    """Review the current version of each project without a summary; how many were refreshed."""
    done, last = 0, 0
    while True:
        with sessions.begin() as session:
            projects = list(session.scalars(select(Project).where(Project.worst_severity.is_(None), Project.id > last)
                                            .order_by(Project.id).limit(BATCH)))
            if not projects:
                return done
            for project in projects:
                last = project.id
                version = latest_version(session, project.id)
                if version is not None:
                    summarise(project, version.content)
                    done += 1
