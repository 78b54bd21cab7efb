"""Read models of the API: the shape of every 2xx JSON body, used as ``response_model``.

They describe what the services return (plain dicts) so ``/api/v1/openapi.json`` documents each
response; routes set ``response_model_exclude_unset`` so a key the service leaves out (the public's
view has no reviews) stays out. ``extra="allow"`` keeps any key a service adds later.
"""

# No `from __future__ import annotations`: pydantic and FastAPI read these annotations at runtime.

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(Model):
    code: str = Field(description="稳定的错误代码，见 docs/api-errors.md")
    message: str = Field(description="中文说明")
    details: list[Any] = Field(default_factory=list, description="具体字段或问题")


class ErrorOut(Model):
    error: ErrorBody


class SignedInOut(Model):
    user_id: int | None
    role: str | None


class SignedOutOut(Model):
    signed_out: bool


class OrganizationOut(Model):
    code: str
    name: str
    kind: str
    parent: str | None = Field(description="上级组织编码")


class ProjectSummaryOut(Model):
    code: str
    name: str | None
    fiscal_year: int | None
    state: str
    state_label: str
    unit: str | None = None
    review_grade: str | None = None
    worst_severity: str | None = None


class ProjectPageOut(Model):
    items: list[ProjectSummaryOut]
    total: int
    page: int
    per_page: int


class ReviewOut(Model):
    action: str
    from_state: str | None
    to_state: str | None
    comment: str | None
    anchor: dict[str, Any] | None
    at: str


class ProjectDetailOut(ProjectSummaryOut):
    version: int | None
    table: dict[str, Any] | None = Field(description="当前版本的绩效目标表（JSON 交换格式第1版）；公众看到批复的版本")
    published_version: int | None = Field(default=None, description="已公开（批复）的版本；公众无此字段")
    actions: list[str] | None = Field(default=None, description="当前用户可进行的操作；公众无此字段")
    reviews: list[ReviewOut] | None = Field(default=None, description="审核记录；公众无此字段")


class VersionOut(Model):
    number: int
    created_at: str
    total_wan: Any = Field(default=None, description="资金总额（万元，如发布时的写法）")


class FindingOut(Model):
    code: str
    category: str
    severity: str
    title: str
    message: str
    location: dict[str, Any] | None
    profile: str | None


class TransitionOut(Model):
    project: str
    action: str
    from_state: str
    to_state: str
    version: int
    errors_overridden: int


class CommentOut(Model):
    id: int
    version: int
    anchor: dict[str, Any] | None
    comment: str | None


class DraftOut(Model):
    version: int = Field(description="保存后的版本号")
    saved: bool = Field(description="内容没有变化时为 false（不产生新版本）")


class SelfEvaluationOut(Model):
    id: int = Field(description="自评记录编号")
    project_code: str | None
    project_name: str | None
    total: str = Field(description="总分（精确小数）")
    grade: str
    complete: bool
    indicators: list[dict[str, Any]] = Field(description="每条指标的得分及算式")
    execution: Any = None
    funding_splits: dict[str, str | None] | None = Field(default=None,
                                                         description="资金来源：当年财政拨款、上年结转、其他资金（万元）")
    goal_achieved: str | None = Field(default=None, description="实际完成情况")
    diagnostics: list[dict[str, Any]] = Field(description="提示和警告")


class MonitoringOut(Model):
    id: int = Field(description="监控记录编号")
    project_code: str | None
    project_name: str | None
    month: int
    spending: dict[str, Any] = Field(description="预算执行的灯及说明")
    indicator_light: str
    indicators: list[dict[str, Any]] = Field(description="每条指标的灯及说明")
    attention: list[int]
    diagnostics: list[dict[str, Any]]


class SubmissionOut(Model):
    id: int
    at: str
    result: dict[str, Any]


class ImportOut(Model):
    file: str
    status: str = Field(description="imported | unchanged | refused")
    tables: int
    new_versions: int
    batch_id: int | None
    diagnostics: list[dict[str, Any]]


class AuditEntryOut(Model):
    at: str
    user_id: int | None
    action: str
    object_type: str | None
    object_id: int | None
    before: Any = None
    after: Any = None
    note: str | None = None


class AuditPageOut(Model):
    items: list[AuditEntryOut]
    total: int
    page: int
    per_page: int
