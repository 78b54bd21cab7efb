"""Three regions set up as their administrators would, for tenancy tests (audit log, role × route matrix).

Each region (500115, 500116, 500117) has a finance bureau, a department and a unit with one user
each, and five projects, one in every state, moved there through the real workflow (so the audit
log and review records are what production would hold); its approved project has a
self-evaluation and a monitoring report. One administrator sees everything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role, State
from jixiao.io.json_format import table_to_dict
from jixiao.io.reading import read_bytes
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor
from jixiao.services.submissions import submit_monitoring, submit_self_evaluation
from jixiao.services.workflow import transition
from jixiao.storage.models import Organization, User
from tests.test_cli import SEED

REGIONS = ("500115", "500116", "500117")
PASSWORD = "区域测试密码-2022"
# the steps that bring a fresh draft to each state (the draft one was returned once, with a comment)
PATHS: dict[State, tuple[tuple[Action, str], ...]] = {
    State.APPROVED: ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.FORWARD, "department"),
                     (Action.APPROVE, "finance")),
    State.FINANCE_REVIEW: ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"),
                           (Action.FORWARD, "department")),
    State.DEPARTMENT_REVIEW: ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department")),
    State.SUBMITTED: ((Action.SUBMIT, "unit"),),
    State.DRAFT: ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.RETURN, "department")),
}

# what the unit of 免费复印 (the seed table every project here is a copy of) reports
ACTUALS = [{"indicator": "纸张使用量", "actual": "650000"}, {"indicator": "墨粉消耗量", "actual": "192"},
           {"indicator": "减少办事成本", "actual": "380000"}, {"indicator": "群众满意度", "actual": "97"}]
BUDGET = {"initial": "15.00", "adjusted": "15.00", "executed": "14.25"}
PROGRESS = [{"indicator": "纸张使用量", "to_date": "420000", "forecast": "720000"},
            {"indicator": "墨粉消耗量", "to_date": "20", "forecast": "150"},
            {"indicator": "减少办事成本", "to_date": "210000", "forecast": "360000"},
            {"indicator": "群众满意度", "to_date": "96", "forecast": "96"}]


@dataclass
class Region:
    code: str
    department: str
    unit: str
    users: dict[str, str] = field(default_factory=dict)  # role key (unit, department, finance) → username
    projects: dict[State, str] = field(default_factory=dict)  # state → project code
    selfeval: int | None = None  # id of the approved project's self-evaluation

    def return_comment(self) -> str:
        return f"退回意见：{self.code} 的年度目标与总额不符"


@dataclass
class World:
    regions: dict[str, Region]
    actors: dict[str, Actor]  # username → actor
    tokens: dict[str, str]  # username → API token
    admin: str = "admin"


def _table_file(region: Region, number: int, state: State) -> bytes:
    table = next(r.table for r in read_bytes(SEED.read_bytes(), "seed.txt") if r.table is not None)
    content = table_to_dict(table, with_source=False) | {
        "project_code": f"{region.code}22T{number:012d}", "project_name": f"{region.code}的{state.value}项目",
        "unit": {"code": region.unit, "name": f"{region.code}单位"},
        "department": {"code": region.department, "name": f"{region.code}主管部门"}}
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def build(sessions: sessionmaker[Session], passwords: bool = True) -> World:
    """The three regions; ``passwords=False`` skips the (slow, argon2) passwords when only tokens are used."""
    regions = {code: Region(code, f"{n}45", f"{n}45001") for n, code in enumerate(REGIONS, start=1)}
    with sessions.begin() as session:
        for region in regions.values():
            finance = Organization(code=region.code, name=f"{region.code}财政局", kind="finance")
            session.add(finance)
            session.flush()
            department = Organization(code=region.department, name=f"{region.code}主管部门", kind="department",
                                       parent_id=finance.id)
            session.add(department)
            session.flush()
            session.add(Organization(code=region.unit, name=f"{region.code}单位", kind="unit",
                                     parent_id=department.id))
    add_user(sessions, "admin", PASSWORD if passwords else None, Role.ADMIN, None, "系统管理员")
    for region in regions.values():
        for key, role, org in (("unit", Role.UNIT_EDITOR, region.unit),
                               ("department", Role.DEPARTMENT_REVIEWER, region.department),
                               ("finance", Role.FINANCE_REVIEWER, region.code)):
            region.users[key] = f"{key}-{region.code}"
            add_user(sessions, region.users[key], None, role, org, f"{region.code}的{key}")
    with sessions.begin() as session:  # everyone has the same password: hashed once (argon2 is slow on purpose)
        session.execute(update(User).values(password_hash=select(User.password_hash).where(
            User.username == "admin").scalar_subquery()))
    with sessions() as session:
        actors = {u.username: Actor(u.id, Role(u.role), u.organization_id) for u in session.scalars(select(User))}
    tokens = {name: issue_token(sessions, name, "测试") for name in actors}
    for region in regions.values():
        for number, (state, steps) in enumerate(PATHS.items(), start=1):
            data = _table_file(region, number, state)
            result = import_bytes(sessions, data, f"{region.code}-{number}.json", actors["admin"].user_id)
            assert result.status == "imported", result
            code = f"{region.code}22T{number:012d}"
            region.projects[state] = code
            for action, who in steps:
                comment = region.return_comment() if action is Action.RETURN else None
                transition(sessions, actors[region.users[who]], code, action, comment)
        approved, unit = region.projects[State.APPROVED], actors[region.users["unit"]]
        region.selfeval = int(submit_self_evaluation(sessions, unit, approved, ACTUALS, BUDGET)["id"])
        submit_monitoring(sessions, unit, approved, 7, PROGRESS, {"adjusted": "15.00", "executed_to_date": "8.75"})
    return World(regions, actors, tokens)
