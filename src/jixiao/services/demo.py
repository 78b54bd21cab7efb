"""Demo data: the 重庆 seed loaded into the configured database, with accounts and realistic states."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain.workflow import Action, Role
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.workflow import transition
from jixiao.storage.models import Organization, ReviewRecord, User

SEED_NAME = "seed_changshou_2022.txt"
DEMO_USERS = (("admin", Role.ADMIN, None, "系统管理员"),
              ("unit145001", Role.UNIT_EDITOR, "145001", "政务服务管理办公室（本级）填报人"),
              ("dept145", Role.DEPARTMENT_REVIEWER, "145", "政务服务管理办公室审核人"),
              ("finance", Role.FINANCE_REVIEWER, None, "区财政局绩效科"))
RETURN_COMMENT = "年度目标所列费用合计152240元，与项目总额15.00万元不符，请核实"
# Project → steps, so the demo shows every state: approved, in finance review, returned, submitted, draft.
STORY: tuple[tuple[str, tuple[tuple[Action, str, str | None], ...]], ...] = (
    ("50011522T000000132369", ((Action.SUBMIT, "unit145001", None), (Action.START_REVIEW, "dept145", None),
                               (Action.FORWARD, "dept145", None), (Action.APPROVE, "finance", None))),
    ("50011522T000000133119", ((Action.SUBMIT, "unit145001", None), (Action.START_REVIEW, "dept145", None),
                               (Action.FORWARD, "dept145", None), (Action.APPROVE, "finance", None))),
    ("50011522T000000132158", ((Action.SUBMIT, "unit145001", None), (Action.START_REVIEW, "dept145", None),
                               (Action.FORWARD, "dept145", None))),
    ("50011522T000000157087", ((Action.SUBMIT, "unit145001", None), (Action.START_REVIEW, "dept145", None),
                               (Action.RETURN, "dept145", RETURN_COMMENT))),
    ("50011522T000000132350", ((Action.SUBMIT, "unit145001", None),)),
)


@dataclass(slots=True)
class DemoResult:
    imported: str
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # (user, role, password, token)
    story_told: bool = False


def load_demo(sessions: sessionmaker[Session]) -> DemoResult:
    """Idempotent: a second run imports nothing new, creates no accounts, replays no steps."""
    data = resources.files("jixiao.data").joinpath(SEED_NAME).read_bytes()
    result = DemoResult(import_bytes(sessions, data, SEED_NAME).status)
    with sessions.begin() as session:
        if session.scalar(select(Organization).where(Organization.code == "500115")) is None:
            finance = Organization(code="500115", name="重庆市长寿区财政局", kind="finance")
            session.add(finance)
            session.flush()
            department = session.scalar(select(Organization).where(Organization.code == "145"))
            if department is not None:
                department.parent_id = finance.id
    for username, role, organization, name in DEMO_USERS:
        with sessions() as session:
            exists = session.scalar(select(User.id).where(User.username == username)) is not None
        if exists:
            continue
        password = secrets.token_urlsafe(12)
        add_user(sessions, username, password, role, organization, name)
        result.accounts.append((username, role.value, password, issue_token(sessions, username, "演示")))
    with sessions() as session:
        told = (session.scalar(select(func.count()).select_from(ReviewRecord)) or 0) > 0
        actors = {u.username: Actor(u.id, Role(u.role), u.organization_id) for u in session.scalars(select(User))}
    if not told:  # the story is of 2022, told today: as it happened then, before its deadlines
        then = replace(profiles.load(), submission_window=False)
        for code, steps in STORY:
            for action, who, comment in steps:
                transition(sessions, actors[who], code, action, comment, region=then)
        result.story_told = True
    return result
