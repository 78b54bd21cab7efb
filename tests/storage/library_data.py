"""Hand-made approved tables for the indicator library's tests: known names, targets and answers."""

from __future__ import annotations

from decimal import Decimal

from msgspec.structs import replace
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import CodedName, ProjectCode, ProjectRef, Value
from jixiao.io.json_format import table_to_dict
from jixiao.storage.models import Project, SelfEvaluation, TableVersion
from tests.rule_cases import clean_table

# (code, year, satisfaction spelling, its target) — nine projects, three spellings of one indicator
SATISFACTION = [
    ("50011522T000000200001", 2024, "群众满意度", "90"),
    ("50011522T000000200002", 2024, "服务对象满意度", "92"),
    ("50011522T000000200003", 2024, "满意率", "95"),
    ("50011522T000000200004", 2025, "群众满意度", "95"),
    ("50011522T000000200005", 2025, "服务对象满意度", "96"),
    ("50011522T000000200006", 2025, "受益群众满意度", "98"),
    ("50011522T000000200007", 2025, "群众满意度", "98"),
    ("50011522T000000200008", 2025, "满意率", "100"),
    ("50011522T000000200009", 2025, "群众满意度", "85"),
]
# what those targets are: 85 90 92 95 95 96 98 98 100 → q1 92, median 95, q3 98
EXPECTED = (Decimal(92), Decimal(95), Decimal(98))


def add_approved(sessions: sessionmaker[Session], rows: list[tuple[str, int, str, str]] = SATISFACTION,
                 met: dict[str, bool] | None = None) -> None:
    """Projects with an approved version (published_version set) whose row 3 is the given satisfaction."""
    with sessions.begin() as session:
        for code, year, name, target in rows:
            table = clean_table()
            items = list(table.indicators)
            items[3] = replace(items[3], name=name, target=Value.of(target), current_target=Value.of(target))
            table = replace(table, project=ProjectRef(ProjectCode(code), f"项目{code[-4:]}", None),
                            function=CodedName("2080101", "社会保障"), indicators=tuple(items))
            project = Project(code=code, name=f"项目{code[-4:]}", fiscal_year=year, state="approved",
                              published_version=1)
            session.add(project)
            session.flush()
            version = TableVersion(project_id=project.id, number=1, content=table_to_dict(table, with_source=False),
                                   content_hash=code)
            session.add(version)
            session.flush()
            if met is not None and code in met:
                lost = "0.00" if met[code] else "2.00"
                session.add(SelfEvaluation(version_id=version.id, reported={}, total=Decimal(90), grade="优",
                                           profile="chongqing",
                                           result={"indicators": [{"index": 3, "lost": lost}]}))


def session_scope(sessions: sessionmaker[Session]) -> Session:
    return sessions()
