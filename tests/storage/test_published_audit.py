"""The audit of a published self-evaluation is kept with its immutable version, on SQLite and PostgreSQL.

Imported → audited once and stored with the key it was computed under; the project page then reads it (no
audit per view); a key that is no longer current (the target table approved again, another profile, a new
release) audits again, and the same stale key is audited once per process, not once per view.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import jixiao.rules.selfeval_audit as selfeval_audit
from jixiao.services import published_selfeval
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.profiles import load
from jixiao.services.published_selfeval import audit_findings, audit_key, project_self_evaluations, stored_table
from jixiao.storage.models import Project, PublishedSelfEvaluation
from tests.selfeval_docs import as_bytes, document, filled, with_scores

COPY = "50011522T000000157087"  # 免费复印


def _row(session: Session) -> tuple[PublishedSelfEvaluation, Project]:
    project = session.scalar(select(Project).where(Project.code == COPY))
    assert project is not None
    stored = session.scalar(select(PublishedSelfEvaluation).where(PublishedSelfEvaluation.project_id == project.id))
    assert stored is not None
    return stored, project


@pytest.fixture
def audits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every audit of a self-evaluation run from here on (the table's project name)."""
    ran: list[str] = []
    real = selfeval_audit.audit_self_evaluation

    def counted(table: Any, *args: Any, **kwargs: Any) -> Any:
        ran.append(table.project_name)
        return real(table, *args, **kwargs)

    monkeypatch.setattr(selfeval_audit, "audit_self_evaluation", counted)
    published_selfeval._recent.clear()
    return ran


def test_the_audit_is_stored_at_import_and_a_view_reads_it(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor], audits: list[str]) -> None:
    flawed = with_scores(COPY, {0: "0"})  # a score the audit questions: findings to keep
    assert import_bytes(sessions, as_bytes(flawed), "自评.json").new_self_evaluations == 1
    assert audits == ["免费复印"]  # audited once, at import
    profile = load()
    with sessions() as session:
        stored, project = _row(session)
        assert stored.audit is not None and stored.audit["key"] == audit_key(project, session, profile)
        fresh = audit_findings(stored_table(stored), None, profile)
        assert fresh and stored.audit["findings"] == fresh
    audits.clear()
    for _view in range(3):
        with sessions() as session:
            shown = project_self_evaluations(session, actors["finance"], COPY)
        assert shown["findings"] == fresh and shown["by_row"]
    assert audits == []  # the page views read the kept findings


def test_a_stale_key_audits_again_once_and_the_findings_are_current(sessions: sessionmaker[Session],
                                                                    actors: dict[str, Actor],
                                                                    audits: list[str]) -> None:
    assert import_bytes(sessions, as_bytes(document(filled(COPY))), "自评.json").new_self_evaluations == 1
    with sessions.begin() as session:
        stored, _project = _row(session)
        assert stored.audit is not None
        stored.audit = {"key": "computed under other rules", "findings": [{"code": "stale"}]}
        expected = audit_findings(stored_table(stored), None, load())
    audits.clear()
    published_selfeval._recent.clear()  # another process: nothing in memory
    for _view in range(3):
        with sessions() as session:
            assert project_self_evaluations(session, actors["finance"], COPY)["findings"] == expected
    assert audits == ["免费复印"]  # audited again under the current key, once, then read from memory
    with sessions() as session:  # a view does not write: the row still holds what it held
        stored, _project = _row(session)
        assert stored.audit is not None and stored.audit["findings"] == [{"code": "stale"}]


def test_the_key_follows_the_approved_target_table_and_the_profile(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    with sessions() as session:
        project = session.scalar(select(Project).where(Project.code == COPY))
        assert project is not None
        before = audit_key(project, session, load())
        project.published_version = 1  # the target table approved: "changed after approval" can now be found
        approved = audit_key(project, session, load())
        assert len({before, approved}) == 2 and audit_key(project, session, load()) == approved
        session.rollback()
