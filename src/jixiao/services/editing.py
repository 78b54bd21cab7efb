"""The editor's use cases: check a table as it is being typed, and save it as a new draft version.

The editor sends the whole table as a JSON format v1 document. Checking never stores anything and
never raises on bad data: schema problems come back with their path (``indicators[2].weight``) so
the page can show them next to the field, and a valid table comes back with its review findings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jixiao import profiles
from jixiao.domain import TargetTable
from jixiao.domain.comparable import ComparableRange
from jixiao.domain.history import ProjectHistory
from jixiao.domain.labels import path_label
from jixiao.domain.workflow import Role, State, WorkflowError
from jixiao.io.json_format import table_from_dict
from jixiao.io.readers.json_reader import schema_problems
from jixiao.rules.engine import active_rules, review_table
from jixiao.rules.model import CATEGORY_LABELS
from jixiao.rules.profile import Profile
from jixiao.services.errors import InvalidInput
from jixiao.services.fields import content_problems, field_problems
from jixiao.services.permissions import Ability, Actor, require, require_visible
from jixiao.storage.models import AuditEntry, Organization, Project, TableVersion
from jixiao.storage.repository import latest_version, lock_project, table_hash
from jixiao.storage.search import search_text, worst_severity

MAX_INDICATORS = 500  # rows of one table (real ones have a hundred at most): more is refused, never dropped


def _too_many(content: dict[str, Any]) -> list[tuple[str, str]]:
    rows = content.get("indicators")
    count = len(rows) if isinstance(rows, list) else 0
    if count <= MAX_INDICATORS:
        return []
    return [("indicators", f"指标最多 {MAX_INDICATORS} 行，本表有 {count} 行；请删除多余的行后再保存")]


class InvalidTable(InvalidInput, WorkflowError):
    """A table that cannot be saved as typed; ``details`` name each field (path, Chinese label, message).
    Still a refused edit (a :class:`WorkflowError`) for callers that catch those; answered as 422."""

    code = "invalid_table"
    summary = "表格内容有误，未保存；details 列出每个字段的问题"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        shown = "；".join(message for _path, message in problems[:5])
        more = f"（另有 {len(problems) - 5} 处）" if len(problems) > 5 else ""
        super().__init__(f"表格内容有误，未保存：{shown}{more}", _details(problems))


class OwnerFixed(InvalidInput, WorkflowError):
    """A unit's table names the unit and department its account belongs to: those fields cannot be changed."""

    code = "owner_fixed"
    summary = "单位编码、单位名称和主管部门由账号所属单位确定，不能修改"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(message for _path, message in problems), _details(problems))


def _details(problems: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"field": path, "label": path_label(path).strip("「」"), "message": message}
            for path, message in problems[:200]]


def problems_of(content: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything that keeps ``content`` from being a table a person may save, each field once (by path)."""
    too_many = _too_many(content)
    if too_many:
        return too_many
    found = field_problems(content)
    seen = {path for path, _message in found}
    found += [(path, message) for path, message in schema_problems(content) if path not in seen]
    if not found:
        found = content_problems(content)
    return found


@dataclass(slots=True)
class DraftCheck:
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message): not a valid table yet
    findings: list[dict[str, Any]] = field(default_factory=list)
    grade: str | None = None
    score: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def check_draft(content: dict[str, Any], profile: Profile | None = None,
                comparables_of: Callable[[TargetTable], Mapping[int, ComparableRange]] | None = None,
                past: ProjectHistory | None = None) -> DraftCheck:
    """Schema problems, or the review findings and suggested grade of a valid table. ``comparables_of`` gives
    what comparable projects set for the table's rows (the indicator library: ``library_query.comparables_for``),
    ``past`` the project's earlier years (``project_history.history_of``)."""
    problems = problems_of(content)
    if problems:
        return DraftCheck(problems)
    profile = profile or profiles.load().rules
    table = table_from_dict(content)
    comparables = comparables_of(table) if comparables_of is not None else None
    reviewed = review_table(table, profile, active_rules(profile), comparables=comparables, past=past)
    findings = [f.to_dict() | {"category_label": CATEGORY_LABELS[f.category]} for f in reviewed.findings]
    return DraftCheck([], findings, reviewed.grade, format(reviewed.score, "f"))


def stored_findings(content: dict[str, Any], profile: Profile, codes: Sequence[str],
                    past: ProjectHistory | None = None) -> list[dict[str, Any]]:
    """The findings of the active rules among ``codes`` on a stored version's ``content``, each as
    :func:`check_draft` gives it; a stored version was checked when it was stored, so its schema is not checked
    again (a content that does not read as a table gives none)."""
    try:
        table = table_from_dict(content)
    except (ValueError, TypeError, KeyError):
        return []
    chosen = tuple(rule for rule in active_rules(profile) if rule.code in codes)
    reviewed = review_table(table, profile, chosen, past=past)
    return [f.to_dict() | {"category_label": CATEGORY_LABELS[f.category]} for f in reviewed.findings]


NO_FINDINGS = "none"  # the list's 问题级别 of a reviewed table with no findings (NULL: not reviewed yet)


def findings_summary(content: dict[str, Any], profile: Profile | None = None) -> tuple[str, str | None]:
    """The worst severity (``"none"`` when clean) and the grade the project page shows for ``content``.

    Kept on the project row whenever a version is stored, so the list's 问题级别 and 审核等级 filters
    find what the page shows (the live findings of the current version), not the last submission's.
    A table that is not valid yet is shown with its problems as errors, so it counts as 有错误.
    """
    checked = check_draft(content, profile)
    if checked.problems:
        return "error", None
    return worst_severity(str(f["severity"]) for f in checked.findings) or NO_FINDINGS, checked.grade


def summarise(project: Project, content: dict[str, Any], profile: Profile | None = None) -> None:
    """Set the project's list columns (worst severity, grade) from its new current version."""
    project.worst_severity, project.review_grade = findings_summary(content, profile)


OWNER_FIELDS = (("unit", "code"), ("unit", "name"), ("department", "code"), ("department", "name"))


def _owner_values(session: Session, project: Project, latest: TableVersion | None) -> dict[str, set[str]]:
    """What each owner field may be: the account's organisation (the unit and the department above it), and what
    the stored table says (published names vary: "（本级）" or not)."""
    unit = session.get(Organization, project.unit_id) if project.unit_id else None
    parent = session.get(Organization, unit.parent_id) if unit is not None and unit.parent_id else None
    stored = latest.content if latest is not None else {}
    allowed: dict[str, set[str]] = {}
    for part, key in OWNER_FIELDS:
        org = unit if part == "unit" else parent
        was = (stored.get(part) or {}).get(key)
        values = {getattr(org, key)} if org is not None else set()
        if was and (key == "name" or org is None):
            values.add(was)
        allowed[f"{part}.{key}"] = values
    return allowed


def _keeps_organizations(session: Session, project: Project, latest: TableVersion | None,
                         content: dict[str, Any]) -> dict[str, Any]:
    """A unit's table names the unit and department the project belongs to: a draft cannot claim another
    organisation, or rename one (the public would see it once the table is approved). A field left blank is
    filled in from the account; a changed one is refused, naming the field."""
    allowed = _owner_values(session, project, latest)
    stored = latest.content if latest is not None else {}
    problems: list[tuple[str, str]] = []
    content = dict(content)
    for part in ("unit", "department"):
        given = content.get(part) if isinstance(content.get(part), dict) else {}
        kept: dict[str, Any] = {}
        for key in ("code", "name"):
            path, value = f"{part}.{key}", (given or {}).get(key)
            choices = allowed[path]
            if not value:  # left out: as the account (or the stored table) says
                kept[key] = (stored.get(part) or {}).get(key) or next(iter(sorted(choices)), None)
            elif choices and value not in choices:
                wanted = "或".join(sorted(choices))
                problems.append((path, f"{path_label(path)}由账号所属单位确定，不能修改"
                                       f"（应为 {wanted}，填写的是 {value}）"))
                kept[key] = value
            else:
                kept[key] = value
        content[part] = kept if any(kept.values()) else None
    if problems:
        raise OwnerFixed(problems)
    return content


def save_draft(sessions: sessionmaker[Session], actor: Actor, code: str, content: dict[str, Any],
               based_on: int | None = None) -> dict[str, Any]:
    """Store ``content`` as the project's next version (only a draft, only by its unit or an admin).

    ``based_on`` is the version the editor started from: if someone saved a newer one meanwhile,
    the save is refused rather than silently overwriting their work — also when both save at the same
    moment (the project's row is taken first). Identical content saves nothing.
    """
    require(actor, Ability.EDIT)
    problems = problems_of(content)
    if problems:
        raise InvalidTable(problems)
    content = json.loads(json.dumps(content))  # a plain copy, as it will be stored
    content.pop("source", None)
    with sessions.begin() as session:
        project = require_visible(session, actor, code)
        lock_project(session, project)  # two saves at once: the second waits and is checked as if it came later
        if project.state != State.DRAFT.value:
            raise WorkflowError("只有草稿可以修改；已批复的表请先“调整”，审核中的表请等待退回")
        if (content.get("project_code") or code) != code:
            raise WorkflowError(f"项目编码不能修改（应为 {code}）")
        latest = latest_version(session, project.id)
        if actor.role is not Role.ADMIN:
            content = _keeps_organizations(session, project, latest, content)
        table = table_from_dict(content)
        number = latest.number if latest else 0
        if based_on is not None and based_on != number:
            raise WorkflowError(f"本表已有更新的版本（第{number}版），您是在第{based_on}版上修改的；"
                                "请复制您的修改后刷新页面再保存")
        digest = table_hash(content)
        if latest is not None and latest.content_hash == digest:
            return {"version": number, "saved": False}
        version = TableVersion(project_id=project.id, number=number + 1, content=content, content_hash=digest,
                               total_wan=table.total_wan, created_by=actor.user_id)
        session.add(version)
        project.name = table.project_name or project.name
        project.search_text = search_text(content)
        summarise(project, content)
        session.add(AuditEntry(user_id=actor.user_id, action="draft.save", object_type="project",
                               object_id=project.id, before={"version": number}, after={"version": number + 1}))
        return {"version": number + 1, "saved": True}
