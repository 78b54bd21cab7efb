"""Times are stored in UTC and shown in the region's time zone (issue 13 point 6), on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user, login
from jixiao.services.context import AppContext
from jixiao.services.permissions import Actor
from jixiao.services.profiles import ProfileError, load
from jixiao.storage.models import AuditEntry, Project, TableVersion
from jixiao.web.app import create_app
from jixiao.web.settings import SESSION_COOKIE
from tests.storage.test_workflow_service import MAIL

MOMENT = datetime(2026, 12, 1, 5, 46, tzinfo=UTC)  # 13:46 in Beijing


def test_a_moment_stored_in_utc_is_shown_in_beijing_time(sessions: sessionmaker[Session],
                                                         actors: dict[str, Actor]) -> None:
    with sessions.begin() as session:
        project_id = session.scalar(select(Project.id).where(Project.code == MAIL))
        session.execute(update(TableVersion).where(TableVersion.project_id == project_id).values(created_at=MOMENT))
        session.execute(update(AuditEntry).values(at=MOMENT))
        stored = session.scalar(select(TableVersion.created_at).where(TableVersion.project_id == project_id))
    assert stored is not None and stored.replace(tzinfo=stored.tzinfo or UTC) == MOMENT  # stored as UTC
    add_user(sessions, "clock", "clock-password-1", Role.FINANCE_REVIEWER, None, "财政")
    signed = login(sessions, "clock", "clock-password-1")
    assert signed is not None
    client = TestClient(create_app(AppContext(sessions)), cookies={SESSION_COOKIE: signed[0]})
    page = client.get(f"/projects/{MAIL}").text
    assert page.count("2026-12-01 13:46") >= 2 and "05:46" not in page  # versions and the audit trail


def test_today_is_the_regions_date_with_a_fixed_clock(sessions: sessionmaker[Session]) -> None:
    late = AppContext(sessions, clock=lambda: datetime(2026, 12, 1, 17, 30, tzinfo=UTC))
    assert late.today() == date(2026, 12, 2)  # half past one in the morning in Beijing
    assert AppContext(sessions, clock=lambda: MOMENT).today() == date(2026, 12, 1)


def test_a_misspelt_time_zone_is_refused_when_the_profile_loads(tmp_path: Path) -> None:
    assert load().timezone == "Asia/Shanghai"
    shipped = resources.files("jixiao.rules.profiles").joinpath("chongqing.toml").read_text("utf-8")
    path = tmp_path / "zone.toml"
    path.write_text(shipped, encoding="utf-8")
    assert load(str(path)).timezone == "Asia/Shanghai"
    path.write_text('timezone = "Asia/Urumqi"\n' + shipped, encoding="utf-8")
    assert load(str(path)).timezone == "Asia/Urumqi"
    path.write_text('timezone = "Asia/Shanghia"\n' + shipped, encoding="utf-8")
    with pytest.raises(ProfileError, match="timezone 应为时区名称"):
        load(str(path))
