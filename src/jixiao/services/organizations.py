"""Import the organisation tree from a CSV or .xlsx: 编码, 名称, 类型, 上级编码 (or the words budget systems
export: 单位编码, 单位名称, 主管部门 …; see :mod:`jixiao.io.inputs.organizations`).

All rows or none: a file with any bad row changes nothing, and every bad row is reported by its row and
the column as the file names it. 类型 may be left out; it follows from the tree (an organisation already in
the system keeps its own while its parent stays; without a 上级 column every parent stays).

An organisation in use — with projects or accounts, its own or its descendants' — keeps its type and parent:
changing them would refile its projects under another department or region and leave its accounts in an
organisation of the wrong kind (a 单位填报人 in a 主管部门). Renaming it stays allowed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import Diagnostic, Severity
from jixiao.domain.workflow import ROLE_LABELS, Role
from jixiao.io.inputs.grid_file import GridRefused, read_grid
from jixiao.io.inputs.organizations import (
    ALIASES,
    CODE,
    KIND,
    KIND_WORDS,
    NAME,
    PARENT,
    TEMPLATE_HEADER,
    write_template,
)
from jixiao.services.accounts import KIND_LABELS, ROLE_ORGANIZATIONS
from jixiao.services.fields import column_length, value_problem
from jixiao.storage.models import AuditEntry, Organization, Project, User

KINDS = KIND_WORDS
COLUMNS = (CODE, NAME, KIND, PARENT)
CODE_LENGTH, NAME_LENGTH = column_length(Organization.code), column_length(Organization.name)
Bad = Callable[[int | None, str | None, str], None]
CHILD_KIND: dict[str | None, str] = {None: "finance", "finance": "department", "department": "unit", "unit": "unit"}


__all__ = ["TEMPLATE_HEADER", "OrgImport", "import_organization_bytes", "import_organizations", "template"]


def template() -> bytes:
    """The .xlsx an administrator downloads, fills in and imports (:mod:`jixiao.io.inputs.organizations`)."""
    out = io.BytesIO()
    write_template(out)
    return out.getvalue()


@dataclass(slots=True)
class OrgImport:
    created: int = 0
    updated: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    line: int
    code: str
    name: str
    kind: str | None  # None: to be inferred from the parent
    parent: str
    kind_column: str | None = None  # the column the type was given in (None: left blank, inferred)


class _InUse(Exception):
    """An organisation came into use between the check and the write: the import is refused after all."""


def import_organizations(sessions: sessionmaker[Session], path: str | Path, by: int | None = None) -> OrgImport:
    """The file at ``path`` (the CLI's ``org import``)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        result = OrgImport()
        result.diagnostics.append(Diagnostic("bad-organization", Severity.ERROR,
                                             f"无法读取文件：{type(error).__name__}", str(path)))
        return result
    return import_organization_bytes(sessions, data, str(path), by=by)


def _columns(header: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Where each column is (by its canonical name), the header word the file used for it, and problems."""
    where: dict[str, int] = {}
    spelled: dict[str, str] = {}
    problems: list[str] = []
    for canonical, words in ALIASES.items():
        found = [(i, cell) for i, cell in enumerate(header) if cell in words]
        if len(found) > 1:
            problems.append(f"“{found[0][1]}”和“{found[1][1]}”是同一列，只能保留一个")
        elif found:
            where[canonical], spelled[canonical] = found[0]
    missing = [c for c in (CODE, NAME) if c not in where]
    if missing:
        problems.append("缺少列：" + "、".join(f"{ALIASES[c][0]}（或 {ALIASES[c][1]}）" for c in missing)
                        + f"；应有 {'、'.join(c for c in COLUMNS)}（类型可省略）")
    return where, spelled, problems


def import_organization_bytes(sessions: sessionmaker[Session], data: bytes, name: str,
                              by: int | None = None) -> OrgImport:
    """Check every row, then write all of them in one transaction (or nothing, with every bad row named)."""
    result = OrgImport()

    def bad(row: int | None, column: str | None, message: str) -> None:
        result.diagnostics.append(Diagnostic("bad-organization", Severity.ERROR, message, name, row, column))

    try:
        grid = read_grid(data, name)
    except GridRefused as refused:
        bad(None, None, str(refused))
        return result
    if not grid:
        bad(None, None, "文件是空的：第一行应为列名（单位编码、单位名称、单位类型、上级编码）")
        return result
    header_line, header = grid[0]
    where, spelled, problems = _columns(header)
    for problem in problems:
        bad(header_line, None, problem)
    if problems:
        return result

    def cell(cells: list[str], canonical: str) -> str:
        index = where.get(canonical)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, cells in grid[1:]:
        code, title, kind_text, parent = (cell(cells, c) for c in COLUMNS)
        kind = KINDS.get(kind_text) if kind_text else None
        if not code:
            bad(line, spelled[CODE], f"{spelled[CODE]}不能为空")
        elif not title:
            bad(line, spelled[NAME], f"{spelled[NAME]}不能为空")
        elif kind_text and kind is None:
            bad(line, spelled[KIND], f"{spelled[KIND]}“{kind_text}”应为 财政部门、主管部门 或 预算单位（也可不填）")
        elif (long_code := value_problem(spelled[CODE], code, CODE_LENGTH)) is not None:
            bad(line, spelled[CODE], long_code)
        elif (long_name := value_problem(spelled[NAME], title, NAME_LENGTH)) is not None:
            bad(line, spelled[NAME], long_name)
        elif code in first_line:
            bad(line, spelled[CODE], f"{spelled[CODE]}“{code}”与第{first_line[code]}行重复")
        elif parent == code:
            bad(line, spelled.get(PARENT, PARENT), f"{spelled.get(PARENT, PARENT)}不能是本单位自己的编码")
        else:
            first_line[code] = line
            rows.append(_Row(line, code, title, kind, parent, spelled[KIND] if kind else None))
    with sessions() as session:
        stored = {o.code: (o.kind, o.parent_id) for o in session.scalars(select(Organization))}
        stored_codes = dict(session.execute(select(Organization.id, Organization.code)).all())
    for row in rows:  # what the file leaves out of an organisation already in the system stays as it is
        if row.code in stored:
            parent_id = stored[row.code][1]
            kept_parent = stored_codes.get(parent_id, "") if parent_id is not None else ""
            if PARENT not in where:
                row.parent = kept_parent
            if row.kind is None and row.parent == kept_parent:
                row.kind = stored[row.code][0]
    by_code = {row.code: row for row in rows}
    parent_column = spelled.get(PARENT, PARENT)
    for row in rows:
        if row.parent and row.parent not in by_code and row.parent not in stored:
            bad(row.line, parent_column, f"{parent_column}“{row.parent}”既不在文件中也不在系统中")
    _check_tree(rows, by_code, stored, stored_codes, parent_column, bad)
    if not result.diagnostics:
        with sessions() as session:
            for line, column, message in _in_use(session, rows, parent_column):
                bad(line, column, message)
    if result.diagnostics:
        result.diagnostics.sort(key=lambda d: d.line or 0)  # in the order of the file's rows (stable within a row)
        return result
    for attempt in range(ATTEMPTS):
        try:
            result.created, result.updated = _write(sessions, rows, name, by, parent_column)
            break
        except _InUse as refused:
            for line, column, message in refused.args[0]:
                bad(line, column, message)
            break
        except IntegrityError:  # another import created one of these codes at the same moment: run again after it
            if attempt + 1 == ATTEMPTS:
                bad(None, None, "组织机构正被同时导入，本文件未导入；请稍后重新导入")
    return result


Problem = tuple[int, str, str]  # (row, column, message)


def _in_use(session: Session, rows: list[_Row], parent_column: str) -> list[Problem]:
    """Rows that would change the type or parent of an organisation with projects or accounts (its own or its
    descendants'), each named by the row and the column of the change."""
    orgs = {o.id: o for o in session.scalars(select(Organization))}
    by_code = {o.code: o for o in orgs.values()}
    changes = [(row, by_code[row.code]) for row in rows if row.code in by_code and (
        row.kind != by_code[row.code].kind or row.parent != _code(orgs, by_code[row.code].parent_id))]
    if not changes:
        return []
    projects: dict[int | None, int] = dict(session.execute(
        select(Project.unit_id, func.count()).group_by(Project.unit_id)).all())
    accounts: dict[int | None, dict[str, int]] = {}
    for org_id, role, count in session.execute(select(User.organization_id, User.role, func.count())
                                               .group_by(User.organization_id, User.role)):
        accounts.setdefault(org_id, {})[role] = count
    children: dict[int, list[int]] = {}
    for org in orgs.values():
        if org.parent_id is not None:
            children.setdefault(org.parent_id, []).append(org.id)
    problems = []
    for row, org in changes:
        subtree = _subtree(org.id, children)
        used = (sum(projects.get(i, 0) for i in subtree), sum(sum(accounts.get(i, {}).values()) for i in subtree))
        if used != (0, 0):
            own = (projects.get(org.id, 0), sum(accounts.get(org.id, {}).values()))
            problems.append(_refusal(row, org, _code(orgs, org.parent_id), used, own != used,
                                     accounts.get(org.id, {}), parent_column))
    return problems


def _subtree(root: int, children: dict[int, list[int]]) -> set[int]:
    found, todo = set(), [root]
    while todo:
        one = todo.pop()
        if one not in found:
            found.add(one)
            todo.extend(children.get(one, ()))
    return found


def _refusal(row: _Row, org: Organization, old_parent: str, used: tuple[int, int], below: bool,
             roles: dict[str, int], parent_column: str) -> Problem:
    """"组织 145001 已有 9 个项目、3 个账号，不能由预算单位改为主管部门（…）；如确需调整，请…" on the changed column."""
    n_projects, n_accounts = used
    has = "、".join(text for n, text in ((n_projects, f"{n_projects} 个项目"), (n_accounts, f"{n_accounts} 个账号"))
                   if n) + ("（含下级组织）" if below else "")
    said = []
    if row.kind != org.kind:
        assert row.kind is not None
        misfit = [f"{ROLE_LABELS[role]}须属于{'或'.join(KIND_LABELS[k] for k in ROLE_ORGANIZATIONS[role] if k)}"
                  for role in Role if role.value in roles
                  and row.kind not in ROLE_ORGANIZATIONS[role]]  # the rule every account form enforces
        said.append(f"不能由{KIND_LABELS.get(org.kind, org.kind)}改为{KIND_LABELS[row.kind]}"
                    + (f"（{'；'.join(misfit)}）" if misfit else ""))
    if row.parent != old_parent:
        was, now = (f" {old_parent} " if old_parent else "（无）"), (f" {row.parent}" if row.parent else "（无）")
        said.append(f"{'也' if said else ''}不能把上级由{was}改为{now}")
    ways = (["先把账号改到其他组织"] if n_accounts else []) + [
        "用新的编码导入调整后的组织" + ("（已有项目留在原组织）" if n_projects else "")]
    column = row.kind_column if row.kind != org.kind and row.kind_column else parent_column
    return (row.line, column, f"组织 {org.code} 已有 {has}，{'，'.join(said)}；如确需调整，请{'，或'.join(ways)}")


def _code(orgs: dict[int, Organization], org_id: int | None) -> str:
    return orgs[org_id].code if org_id is not None and org_id in orgs else ""


def _check_tree(rows: list[_Row], by_code: dict[str, _Row], stored: dict[str, tuple[str, int | None]],
                stored_codes: dict[int, str], parent_column: str, bad: Bad) -> None:
    """No cycles (a unit its own ancestor), and every type inferred or stated."""

    def parent_of(code: str) -> str | None:
        if code in by_code:
            return by_code[code].parent or None
        if code not in stored:
            return None  # (reported already: not in the file nor in the system)
        parent_id = stored[code][1]
        return stored_codes.get(parent_id) if parent_id is not None else None

    def kind_of(code: str, trail: tuple[str, ...] = ()) -> str:
        row = by_code.get(code)
        if row is not None and row.kind is not None:
            return row.kind
        if row is None:
            return stored[code][0] if code in stored else "unit"
        parent = row.parent or None
        inferred = CHILD_KIND[kind_of(parent, (*trail, code)) if parent and parent not in trail else None]
        row.kind = inferred
        return inferred

    for row in rows:
        seen, code = {row.code}, parent_of(row.code)
        while code is not None and code not in seen:
            seen.add(code)
            code = parent_of(code)
        if code is not None:
            bad(row.line, parent_column, f"{parent_column}“{row.parent}”使上下级形成循环（{row.code} 成了自己的上级）")
    for row in rows:
        kind_of(row.code)


ATTEMPTS = 3


def _write(sessions: sessionmaker[Session], rows: list[_Row], name: str, by: int | None,
           parent_column: str) -> tuple[int, int]:
    """Create or update every row in one transaction; (created, updated). Checked once more for organisations
    in use inside it (:class:`_InUse`): an account or project added since the check holds too."""
    created = updated = 0
    with sessions.begin() as session:
        problems = _in_use(session, rows, parent_column)
        if problems:
            raise _InUse(problems)
        by_code = {o.code: o for o in session.scalars(select(Organization))}
        for row in rows:
            assert row.kind is not None
            found = by_code.get(row.code)
            if found is None:
                by_code[row.code] = Organization(code=row.code, name=row.name, kind=row.kind)
                session.add(by_code[row.code])
                created += 1
            else:
                found.name, found.kind = row.name, row.kind
                updated += 1
        session.flush()
        for row in rows:
            by_code[row.code].parent_id = by_code[row.parent].id if row.parent else None
        session.add(AuditEntry(action="organizations.import", object_type="organization", object_id=None,
                               user_id=by, after={"file": Path(name).name, "created": created, "updated": updated}))
    return created, updated
