"""The system of record: organisations, users, projects, immutable table versions, imports, audit.

Money is stored as exact decimals (NUMERIC) on both databases; a table version keeps the whole
table as JSON format v1 (lossless) plus the columns people filter and sort on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from jixiao.storage.search import name_key
from jixiao.storage.types import ExactDecimal

MONEY = ExactDecimal()


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class Organization(Base):
    """Finance bureau → departments → units, by code (145 → 145001)."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # finance | department | unit
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    parent: Mapped[Organization | None] = relationship(remote_side="Organization.id")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))  # unit_editor | department_reviewer | finance_reviewer | admin
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class Project(Base):
    __tablename__ = "projects"
    # The list view filters by state and year and sorts by code: one index serves all three. Every page counts the
    # tables waiting on its viewer (state within the viewer's units): (state, unit) answers it from the index.
    __table_args__ = (Index("ix_projects_state_year_code", "state", "fiscal_year", "code"),
                      Index("ix_projects_state_unit", "state", "unit_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    # The name as a published self-evaluation is matched by (storage.search.name_key): kept with the name.
    name_key: Mapped[str | None] = mapped_column(String(300), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    fiscal_year: Mapped[int | None] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(32), default="draft", index=True)
    # Denormalised for list filters at scale: set when a version is stored or reviewed.
    # The current version's live review, as its page shows it (services.editing.summarise), so the list's
    # 审核等级 and 问题级别 filters agree with the page: 优/良/中/差, and error/warning/info/"none"
    # (NULL: not reviewed).
    review_grade: Mapped[str | None] = mapped_column(String(8), index=True)
    worst_severity: Mapped[str | None] = mapped_column(String(16), index=True)
    search_text: Mapped[str | None] = mapped_column(Text)  # unit name and indicator names of the latest version
    # The approved version the public sees; it stays published while an adjustment (调整) is in review.
    published_version: Mapped[int | None] = mapped_column(index=True)
    published_name: Mapped[str | None] = mapped_column(String(300))  # the public's list shows the approved name …
    published_search_text: Mapped[str | None] = mapped_column(Text)  # … and searches the approved content only
    created_at: Mapped[datetime] = mapped_column(default=now)
    versions: Mapped[list[TableVersion]] = relationship(back_populates="project", order_by="TableVersion.number")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str | None) -> str | None:
        self.name_key = name_key(name) or None
        return name


class TableVersion(Base):
    """One immutable version of a project's target table; a change makes a new version."""

    __tablename__ = "table_versions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    number: Mapped[int]
    content: Mapped[dict[str, Any]]  # JSON format v1 of the table
    content_hash: Mapped[str] = mapped_column(String(64))
    total_wan: Mapped[Decimal | None] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    project: Mapped[Project] = relationship(back_populates="versions")


class ImportBatch(Base):
    """One file imported: its hash makes a second import of the same file a no-op."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tables: Mapped[int] = mapped_column(default=0)
    diagnostics: Mapped[list[Any]] = mapped_column(default=list)


class AuditEntry(Base):
    """Append-only: who did what, when, with the before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class ReviewRecord(Base):
    """One workflow step on a version: who moved it from where to where, with what comment."""

    __tablename__ = "review_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("table_versions.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    anchor: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"field": …} or {"indicator": n}
    grade: Mapped[str | None] = mapped_column(String(8))
    override_reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=now)


class StoredFinding(Base):
    """A rule-engine finding kept with the version it was found on (at submission)."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("table_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    location: Mapped[dict[str, Any]]
    profile: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A token for machine clients; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked: Mapped[bool] = mapped_column(default=False)


class LoginSession(Base):
    """A server-side session: the cookie holds a random id, the row holds who and until when."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]


class LoginThrottle(Base):
    """Login attempts counted per key (user and address, address, user), claimed by one atomic UPDATE
    each: ``attempts`` since ``window_start``; no attempt is checked before ``next_at``."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the kind and its values
    kind: Mapped[str] = mapped_column(String(16))  # user_address | address | user
    attempts: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(index=True)  # rows long past their window are swept
    next_at: Mapped[datetime]


class KnownAddress(Base):
    """Where a user has signed in successfully: others' failures never slow a login from here."""

    __tablename__ = "known_addresses"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_at: Mapped[datetime]


class SelfEvaluation(Base):
    """A unit's self-evaluation of one version: what it reported and the scores that came out."""

    __tablename__ = "self_evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("table_versions.id"), index=True)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)
    reported: Mapped[dict[str, Any]]  # the actuals and budget as submitted
    result: Mapped[dict[str, Any]]  # scores with their explanations (scoring.report)
    total: Mapped[Decimal] = mapped_column(MONEY)
    grade: Mapped[str] = mapped_column(String(8))
    profile: Mapped[str] = mapped_column(String(64))
    # submitted → approved | returned, by a reviewer who did not submit it (services/selfeval_review.py);
    # an approved one's actuals are locked: a change is a SelfEvalCorrection (services/corrections.py)
    state: Mapped[str] = mapped_column(String(16), default="submitted", server_default="submitted")
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)


class Reopening(Base):
    """The finance bureau reopens a closed submission window (提交期限已过) for a unit or one project.

    ``task`` is the calendar's task (targets | monitoring | selfeval) of target year ``fiscal_year``;
    submissions of that task are accepted until ``until`` (a local date, inclusive). Append-only, audited.
    """

    __tablename__ = "reopenings"
    __table_args__ = (Index("ix_reopenings_task_year", "task", "fiscal_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(16))
    fiscal_year: Mapped[int]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)


class SelfEvalCorrection(Base):
    """A unit's request to correct one figure of an approved self-evaluation (更正申请), and its decision.

    ``indicator`` names the row (``None``: the budget block), ``field`` what is corrected in it (actual,
    points, reason; or a budget key such as executed); old → new as text. A reviewer other than the requester
    approves or refuses it; applying it re-scores into a new self-evaluation (``applied_id``).
    """

    __tablename__ = "selfeval_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    self_evaluation_id: Mapped[int] = mapped_column(ForeignKey("self_evaluations.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    indicator: Mapped[str | None] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(Text)
    applied_id: Mapped[int | None] = mapped_column(ForeignKey("self_evaluations.id"))


class MonitoringReport(Base):
    """A mid-year monitoring report (双监控) of one version for one month."""

    __tablename__ = "monitoring_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("table_versions.id"), index=True)
    month: Mapped[int]
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)
    reported: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    spending_light: Mapped[str] = mapped_column(String(8))
    indicator_light: Mapped[str] = mapped_column(String(8))


class SubmissionView(Base):
    """A reviewer opened a submission (the project page or its API detail while it was submitted).

    ``submission_id`` is the ``submit`` review record: a unit may withdraw (撤回) a submission only
    while no reviewer has opened it (services/opened.py).
    """

    __tablename__ = "submission_views"
    __table_args__ = (UniqueConstraint("submission_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("review_records.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)


class DeadlineOverride(Base):
    """A deadline the finance bureau set for its region and a target year, instead of the profile's date.

    ``region`` is the finance bureau's organisation code ("" for the whole deployment: a finance bureau
    without a region, or an administrator); ``label`` is the entry of the profile's ``[calendar]``.
    """

    __tablename__ = "deadline_overrides"
    __table_args__ = (UniqueConstraint("region", "fiscal_year", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(32))
    fiscal_year: Mapped[int]
    label: Mapped[str] = mapped_column(String(100))
    due: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PublishedSelfEvaluation(Base):
    """One immutable version of a project's published self-evaluation table (项目支出绩效自评表).

    Imported like a target table (a change makes a new version, the same content adds nothing) and matched
    to its project by code, or by name and unit (``matched_by``); ``content`` is the JSON format v1 document
    of the self-evaluation kind. ``year`` is the table's own year, else the project's, so a year's tables can
    be sampled for the finance bureau's 复核.
    """

    __tablename__ = "published_self_evaluations"
    __table_args__ = (UniqueConstraint("project_id", "number"), Index("ix_published_self_evaluations_year", "year"))
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    number: Mapped[int]
    year: Mapped[int | None]
    content: Mapped[dict[str, Any]]  # JSON format v1, "kind": "self_evaluation"
    content_hash: Mapped[str] = mapped_column(String(64))
    total_score: Mapped[Decimal | None] = mapped_column(MONEY)  # 总分 as published
    grade: Mapped[str | None] = mapped_column(String(16))  # 自评等级 as published
    matched_by: Mapped[str] = mapped_column(String(16))  # code | name_unit
    # The audit of ``content`` (services.published_selfeval.published_audit), kept so a page view reads it:
    # {"key": what it was computed under (rules, profile, approved target table), "findings": [...]}.
    audit: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class RecheckSample(Base):
    """A sample of a year's published self-evaluations drawn by the finance bureau for 复核.

    ``seed`` makes the draw reproducible (the same seed over the same tables draws the same sample);
    ``risk_share`` is the percentage of the sample drawn by risk (audit findings), the rest at random.
    ``organization_id`` is the reviewer's organisation: the sample belongs to that region.
    """

    __tablename__ = "recheck_samples"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    size: Mapped[int]
    seed: Mapped[int]
    risk_share: Mapped[int]
    candidates: Mapped[int]  # how many tables the sample was drawn from
    profile: Mapped[str] = mapped_column(String(64))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    items: Mapped[list[RecheckItem]] = relationship(back_populates="sample", order_by="RecheckItem.position")


class RecheckItem(Base):
    """One self-evaluation in a sample: why it was chosen, and (when done) the 复核 total and grade."""

    __tablename__ = "recheck_items"
    __table_args__ = (UniqueConstraint("sample_id", "self_evaluation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("recheck_samples.id"), index=True)
    self_evaluation_id: Mapped[int] = mapped_column(ForeignKey("published_self_evaluations.id"), index=True)
    position: Mapped[int]
    chosen_by: Mapped[str] = mapped_column(String(8))  # risk | random
    risk: Mapped[int]
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # why it was chosen, in Chinese
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done
    total: Mapped[Decimal | None] = mapped_column(MONEY)  # 复核总分 when done
    grade: Mapped[str | None] = mapped_column(String(16))
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sample: Mapped[RecheckSample] = relationship(back_populates="items")


class RecheckRow(Base):
    """A row the reviewer re-scored (复核分), with the required reason; ``row``: ``execution`` or ``indicator-N``."""

    __tablename__ = "recheck_rows"
    __table_args__ = (UniqueConstraint("item_id", "row"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("recheck_items.id"), index=True)
    row: Mapped[str] = mapped_column(String(32))
    published_score: Mapped[Decimal | None] = mapped_column(MONEY)
    score: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)


class LibraryEntry(Base):
    """One indicator of the indicator library (指标库), curated by the finance bureau.

    ``status``: proposed (a department's proposal, or a group found in the approved tables, awaiting
    curation) | approved | retired | merged (into ``merged_into_id``). ``origin``: starter (shipped with
    jixiao) | tables | import | proposal. Every change adds a :class:`LibraryEntryVersion` and an audit entry.
    """

    __tablename__ = "library_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # jixiao.library.name_key of the name
    name: Mapped[str] = mapped_column(String(300))
    level1: Mapped[str | None] = mapped_column(String(100))
    level2: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(32), default="")
    direction: Mapped[str | None] = mapped_column(String(16))
    operator: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    core: Mapped[bool] = mapped_column(default=False)  # 核心指标
    origin: Mapped[str] = mapped_column(String(16))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("library_entries.id"))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)


class LibraryAlias(Base):
    """A spelling of an entry's name and how it came to the entry (same, synonym, fuzzy with its score, manual)."""

    __tablename__ = "library_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    how: Mapped[str] = mapped_column(String(16))
    score: Mapped[Decimal | None] = mapped_column(MONEY)
    seen: Mapped[int] = mapped_column(default=0)  # how many approved indicators are written this way


class LibraryEntryVersion(Base):
    """An entry as it was after one change: the history the library page shows (and the audit log points to)."""

    __tablename__ = "library_entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    number: Mapped[int]
    action: Mapped[str] = mapped_column(String(32))
    snapshot: Mapped[dict[str, Any]]
    at: Mapped[datetime] = mapped_column(default=now)
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LibraryObservation(Base):
    """One indicator of one approved table, as the library counts it (refilled by ``jixiao library build``)."""

    __tablename__ = "library_observations"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    name: Mapped[str] = mapped_column(String(300))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    project_code: Mapped[str] = mapped_column(String(64))
    level1: Mapped[str | None] = mapped_column(String(100))
    level2: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None]
    category: Mapped[str | None] = mapped_column(String(16))
    function: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32), default="")
    operator: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(16))
    target: Mapped[Decimal | None] = mapped_column(MONEY)
    weight: Mapped[Decimal | None] = mapped_column(MONEY)
    met: Mapped[bool | None]


class BudgetDecision(Base):
    """A finance reviewer's decision on a project's next-year budget (结果应用), replacing jixiao's suggestion.

    Append-only: each change is a new row with its required reason (the latest counts), and an audit entry.
    ``suggested_*`` keep what jixiao suggested when the decision was made, so the sheet shows both.
    """

    __tablename__ = "budget_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)  # 万元 for next year
    suggested_action: Mapped[str | None] = mapped_column(String(16))
    suggested_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)


class ProjectLink(Base):
    """A finance user's correction of which project this one continues across fiscal years (跨年度关联).

    Links are computed (``library.links``: the serial of the code, else unit and name); a row here overrides the
    computed one: ``previous_id`` the project of an earlier year it continues, or NULL for none. Append-only with
    its required reason (the latest counts), and an audit entry.
    """

    __tablename__ = "project_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)


class Job(Base):
    """A background job (services/jobs*.py): who asked, what, how far it got, and its result file.

    The job queue (huey) carries only the job's id; this row is the truth a page or the API shows. ``attempt``
    counts the runs: a run writes progress only while its attempt is the row's (a job recovered from a dead
    worker is taken over, and the old run, if it still lives, stops at its next write). ``heartbeat_at`` is
    written with the progress; a running job whose heartbeat is older than the lease is run again.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_user_created", "user_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # import | export | render | rereview
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued|running|done|failed|cancelled
    title: Mapped[str] = mapped_column(String(300))  # what the user asked, in Chinese
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str | None] = mapped_column(String(32))  # the submitter's role when submitted (the run acts as it)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    total: Mapped[int] = mapped_column(default=0)  # files (or items) to do
    done: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    messages: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Chinese, the first ones only
    attempt: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    result_name: Mapped[str | None] = mapped_column(String(300))
    result_type: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]


class JobFile(Base):
    """One input of a job (an uploaded file, or a member of an uploaded zip): done in the same transaction order
    as its import, so a job run again after a crash skips what was done and never imports a file twice."""

    __tablename__ = "job_files"
    __table_args__ = (UniqueConstraint("job_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(500))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # emptied once done (the import keeps what it read)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | archive
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the file's ImportResult (status, counts)


class Rectification(Base):
    """整改事项: a finding a unit must put right (domain/rectification.py is its state machine).

    ``unit_id`` is the owner (the project's unit when it was made); ``source`` and ``source_ref`` say which
    finding it came from (a rule's code and location, an audit code, a month's red light, a score, a 复核 item).
    逾期 is derived from ``deadline`` in the region's time zone, never stored. Every move is an audit entry.
    """

    __tablename__ = "rectifications"
    __table_args__ = (Index("ix_rectifications_state_deadline", "state", "deadline"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    finding: Mapped[str] = mapped_column(Text)  # the finding as it read when the item was made
    requirement: Mapped[str] = mapped_column(Text)  # what must change
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    response: Mapped[str | None] = mapped_column(Text)  # the unit's latest response
    return_reason: Mapped[str | None] = mapped_column(Text)  # the reviewer's latest reason for returning it
    rounds: Mapped[int] = mapped_column(default=0)  # responses so far
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]


class RectificationFile(Base):
    """An evidence file of a response (整改佐证材料), kept in the row (backups include it), checked like an import."""

    __tablename__ = "rectification_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    rectification_id: Mapped[int] = mapped_column(ForeignKey("rectifications.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]  # the response it came with
    name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now)


class ProjectFacts(Base):
    """One row per project: the figures the analytics pages group and filter (统计分析), kept narrow so a view is
    one grouped scan of this table, not a join over versions, self-evaluations and audits per request.

    Written in the transaction that changes the project (``services.analytics_facts``); ``below_range`` and
    ``ranged`` by the library build, which is when the comparable ranges change.
    """

    __tablename__ = "project_facts"
    __table_args__ = (Index("ix_project_facts_year_department", "fiscal_year", "department_id"),)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year: Mapped[int | None]
    unit_id: Mapped[int | None] = mapped_column(index=True)
    department_id: Mapped[int | None] = mapped_column(index=True)
    category: Mapped[str | None] = mapped_column(String(4))  # the code's category letter (R, T, …)
    state: Mapped[str] = mapped_column(String(32))
    # Figures are exact integers, so that both databases sum and compare them as numbers (SQLite keeps MONEY as
    # text): 元 (万元 × 10,000), a score in hundredths of a point, a rate in ten-thousandths (0.9512 → 9512).
    total_yuan: Mapped[int | None] = mapped_column(BigInteger)  # the current version's 项目总额
    review_grade: Mapped[str | None] = mapped_column(String(8))
    score_x100: Mapped[int | None]  # the latest 自评 submitted in jixiao, else the published 自评表's 总分
    selfeval_grade: Mapped[str | None] = mapped_column(String(16))
    selfeval_source: Mapped[str | None] = mapped_column(String(16))  # system | published
    rate_x10000: Mapped[int | None]  # 预算执行率 of that self-evaluation
    audited: Mapped[bool] = mapped_column(default=False)  # a published 自评表 was audited
    audit_signals: Mapped[int] = mapped_column(default=0)  # its audit's warnings and errors (credibility signals)
    ranged: Mapped[int] = mapped_column(default=0)  # indicators the library has a comparable range for
    below_range: Mapped[int] = mapped_column(default=0)  # … whose target lies outside it on the easy side


class AnalyticsGeneration(Base):
    """One row per transaction that changed ``project_facts`` (append-only, as ``audit_log``): the newest id is the
    stamp the analytics' caches are keyed by, so a cached chart is never older than the rows it was counted from
    (an insert, not a counter row, so that concurrent writers never wait on each other)."""

    __tablename__ = "analytics_generations"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)


class LibraryStats(Base):
    """An entry's statistics (``library.stats.EntryStats``) as the last library build computed them, so that the
    pages and the editor's suggestions read one row instead of every observation of a popular indicator. Valid while
    the entry's keys and unit are those it was computed for (``keys``, ``unit``): a curation since is computed live."""

    __tablename__ = "library_stats"
    entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id", ondelete="CASCADE"), primary_key=True)
    keys: Mapped[list[Any]] = mapped_column(JSON)  # sorted
    unit: Mapped[str] = mapped_column(String(32), default="")
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=now)


class HistoryState(Base):
    """Whether a project's stored cross-year flags (``history_flags``) are current: written fresh when they are
    computed, marked stale by a transaction that changes the project or a project of its line
    (``services.history_flags``). No row: never computed."""

    __tablename__ = "history_states"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    fresh: Mapped[bool] = mapped_column(default=True, index=True)
    at: Mapped[datetime] = mapped_column(default=now)


class HistoryFlag(Base):
    """One cross-year finding (P007–P010) of a project's current version against its past years, as the review
    gave it (the finding's dict), stored so that the 跨年度 page reads the flags of a year instead of reviewing every
    project of it."""

    __tablename__ = "history_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    finding: Mapped[dict[str, Any]] = mapped_column(JSON)


class HistoryLine(Base):
    """A project of an earlier year in a project's line (its predecessors as the flags were computed): a change
    to ``earlier_id`` makes ``project_id``'s flags stale, and a viewer who may not see ``earlier_id`` gets the flags
    computed among what they may see."""

    __tablename__ = "history_lines"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
