"""Read models of the API: the shape of every 2xx JSON body, used as ``response_model``.

They describe what the services return (plain dicts) so ``/api/v1/openapi.json`` documents each
response; routes set ``response_model_exclude_unset`` so a key the service leaves out (the public's
view has no reviews) stays out. ``extra="allow"`` keeps any key a service adds later.
"""

# No `from __future__ import annotations`: pydantic and FastAPI read these annotations at runtime.

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

LOCAL_TIME = "时间：地区时区（配置的 timezone），带时差，如 2026-12-01T13:46:00+08:00"


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
    review_grade: str | None = Field(None, description="当前版本自动审核的建议等级（与项目页面一致）")
    worst_severity: str | None = Field(None, description="当前版本自动审核最严重的问题级别：error/warning/info，"
                                                         "none 为无问题，null 为尚未审核")
    returned: bool | None = Field(default=None, description="已退回（草稿，最后一步是退回）")


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
    at: str = Field(description=LOCAL_TIME)
    version: int | None = Field(default=None, description="意见所针对的版本")
    by: str | None = Field(default=None, description="谁（角色 姓名）")
    anchor_label: str | None = Field(default=None, description="意见针对的行或字段，如“第2行 · 产出指标/数量指标/…”")


class ReturnedOut(Model):
    by: str = Field(description="退回人（角色 姓名）")
    comment: str | None = Field(description="退回理由")
    at: str = Field(description=LOCAL_TIME)
    version: int
    from_state: str


class ProjectDetailOut(ProjectSummaryOut):
    version: int | None
    table: dict[str, Any] | None = Field(description="当前版本的绩效目标表（JSON 交换格式第1版）；公众看到批复的版本")
    published_version: int | None = Field(default=None, description="已公开（批复）的版本；公众无此字段")
    actions: list[str] | None = Field(default=None, description="当前用户可进行的操作；公众无此字段")
    reviews: list[ReviewOut] | None = Field(default=None, description="审核记录；公众无此字段")
    last_return: ReturnedOut | None = Field(default=None, description="已退回的草稿：谁、何时、为何退回；公众无此字段")
    opened_by: str | None = Field(default=None, description="已打开本次提交的审核人（此后单位不能撤回）")


class VersionOut(Model):
    number: int
    created_at: str = Field(description=LOCAL_TIME)
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
    at: str = Field(description=LOCAL_TIME)
    result: dict[str, Any]


class ImportOut(Model):
    file: str
    status: str = Field(description="imported | unchanged | refused")
    tables: int
    new_versions: int
    batch_id: int | None
    diagnostics: list[dict[str, Any]]
    self_evaluations: int = Field(0, description="其中公开绩效自评表的张数")
    new_self_evaluations: int = Field(0, description="新增的自评表版本数")
    summary: str = Field("", description="文件的一行摘要：表的种类与版式、把握、指标行数、推断处数、缺少的内容")


class AuditEntryOut(Model):
    at: str = Field(description=LOCAL_TIME)
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


class BatchItemOut(Model):
    project: str = Field(description="项目编码")
    name: str | None = Field(default=None, description="项目名称（调用方无权查看的项目为空）")
    ok: bool = Field(description="成功为 true；失败为 false，原因见 message")
    result: str = Field(description="成功 或 失败")
    message: str = Field(description="中文说明：流转后的状态，或与逐张操作相同的拒绝理由")
    to_state: str | None = Field(default=None, description="成功时流转后的状态")
    version: int | None = Field(default=None, description="成功时所在版本")
    error_code: str | None = Field(default=None, description="失败时的错误代码（同逐张操作），见 docs/api-errors.md")


class BatchOut(Model):
    action: str
    done: int = Field(description="成功的表数")
    refused: int = Field(description="失败的表数")
    results: list[BatchItemOut] = Field(description="每张表的结果，按提交的顺序（重复的编码只处理一次）")


class PublishedSelfEvaluationOut(Model):
    published: dict[str, Any] | None = Field(description=(
        "最新导入的公开绩效自评表：number、year、matched_by（code 按编码，name_unit 按名称和单位）、"
        "content（JSON 交换格式第1版，kind 为 self_evaluation）；没有导入时为 null"))
    versions: list[dict[str, Any]] = Field(default_factory=list, description="导入的各版本")
    findings: list[dict[str, Any]] = Field(default_factory=list, description="自评表审核发现的问题")
    own: dict[str, Any] | None = Field(default=None, description=(
        "单位在系统中最近一次填报的自评（total、grade、result）；公众看不到（审核问题亦然），只看公开项目的公开自评表"))


class RecheckSampleSummaryOut(Model):
    id: int
    year: int
    size: int = Field(description="要求的样本量")
    seed: int = Field(description="随机种子：同一种子、同一批自评表抽出同样的样本")
    risk_share: int = Field(description="按风险抽取的比例（%）")
    candidates: int = Field(description="可抽取的自评表数")
    drawn: int
    done: int = Field(description="已完成复核的表数")
    created_at: str = Field(description="抽取时间：地区时区（配置的 timezone），带时差，如 2026-12-01T13:46:00+08:00")


class RecheckItemSummaryOut(Model):
    id: int
    position: int
    project_code: str
    project_name: str | None
    unit: str | None
    department: str | None
    chosen_by: str = Field(description="risk 按风险 | random 随机")
    risk: int = Field(description="风险分：错误每条 3 分、警告每条 1 分")
    reasons: list[str] = Field(description="为什么抽到这张表")
    state: str = Field(description="pending 待复核 | done 已复核")
    published_total: str | None = Field(description="自评总分（公开表所印）")
    published_grade: str | None
    recheck_total: str | None = Field(description="复核总分（未完成时为目前的结果）")
    recheck_grade: str | None
    changed_rows: int


class RecheckSampleOut(Model):
    id: int
    year: int
    size: int
    seed: int
    risk_share: int
    candidates: int
    profile: str
    created_at: str = Field(description="抽取时间：地区时区（配置的 timezone），带时差，如 2026-12-01T13:46:00+08:00")
    done: int
    items: list[RecheckItemSummaryOut]


class RecheckRowOut(Model):
    key: str = Field(description="execution（预算执行率）或 indicator-N（第 N+1 行指标）")
    label: str
    weight: str | None = Field(description="分值")
    published: str | None = Field(description="自评分")
    score: str | None = Field(description="复核分（未改时为 null）")
    reason: str | None = Field(description="复核理由")


class RecheckItemOut(RecheckItemSummaryOut):
    sample_id: int
    table: dict[str, Any] = Field(description="公开的绩效自评表（JSON 交换格式第1版）")
    rows: list[RecheckRowOut]
    findings: list[dict[str, Any]] = Field(description="自评表审核发现的问题")


class RecheckReportOut(Model):
    format: str = Field(description="jixiao.recheck")
    version: int
    title: str
    sample: dict[str, Any] = Field(description=(
        "样本：profile（配置名）、profile_title（配置的中文名称）、created_at（地区时区，带时差）、drawn 等"))
    averages_of: str = Field(description="done：平均分只计已复核的表（tables 为抽取表数，done 为其中已复核的）")
    totals: dict[str, Any] = Field(description=(
        "抽取表数（tables）、已复核（done）、改分的表、等级变化，已复核的表的自评与复核平均分及平均差"))
    departments: list[dict[str, Any]] = Field(description="按主管部门，其下按单位：合计和每张表（含改分的行及理由）")


class BudgetAppliedOut(Model):
    why: str = Field(description="适用的依据，如：自评等级“中”（72.5 分）")
    action: str = Field(description="该依据对应的安排：优先保障、据实保障、核减、暂停、取消、约谈")
    percent: str | None = Field(description="核减比例（%）")
    source: str = Field(description="规则出处（结果应用办法）")


class BudgetDecisionOut(Model):
    action: str
    amount: str | None = Field(description="下年金额（万元）")
    reason: str
    by: int | None = Field(description="决定人的用户编号")
    at: str | None = Field(description="决定时间：地区时区，带时差")


class BudgetRowOut(Model):
    code: str
    name: str
    department: str | None
    unit: str | None
    budget: str | None = Field(description="本年全年预算数（万元）：建议金额的基数")
    grade: str | None = Field(description="计入的等级：有复核时为复核等级，否则为自评或公开自评表的等级")
    grade_source: str | None = Field(description="复核、自评或公开自评表")
    total: str | None
    light: str | None = Field(description="最近一次运行监控的最差灯：红、黄、蓝、绿、无法判断")
    audit_errors: int = Field(description="公开自评表审计发现的错误数")
    years_running: int = Field(description="连续安排的年数（同一单位、同名项目）")
    applied: list[BudgetAppliedOut]
    action: str | None = Field(description="建议安排；空：没有等级，须人工确定")
    percent: str | None
    interview: bool = Field(description="是否随同约谈")
    amount: str | None = Field(description="建议的下年金额（万元）")
    arithmetic: str = Field(description="建议金额的算式")
    decision: BudgetDecisionOut | None = Field(description="财政审核人的最新决定")
    final_action: str | None
    final_amount: str | None


class BudgetZeroBasedOut(Model):
    rank: int
    code: str
    name: str
    why: str


class BudgetTotalsOut(Model):
    projects: int
    base: str = Field(description="本年全年预算合计（万元）")
    final: str = Field(description="下年安排合计（万元，含财政决定）")
    undecided: int = Field(description="须人工确定的项目数")


class BudgetSheetOut(Model):
    year: int
    next_year: int
    profile: str
    source: str = Field(description="结果应用办法（配置）")
    rows: list[BudgetRowOut]
    totals: BudgetTotalsOut
    zero_based: list[BudgetZeroBasedOut] = Field(description="零基预算审查顺序（连续安排两年及以上的项目）")


class JobOut(Model):
    """A background job (导入 …): poll ``GET /api/v1/jobs/{id}`` until ``finished``."""

    id: int
    kind: str = Field(description="import（导入文件）")
    kind_label: str = Field(description="类型的中文名")
    state: str = Field(description="queued | running | done | failed | cancelled")
    state_label: str = Field(description="排队中、运行中、已完成、失败、已取消")
    title: str
    submitted_by: str | None = Field(description="提交人的姓名")
    total: int = Field(description="文件总数（压缩包展开后）")
    done: int = Field(description="已处理的文件数")
    errors: int = Field(description="被拒绝的文件数")
    percent: int = Field(description="进度（%）")
    messages: list[str] = Field(description="中文说明：被拒绝的文件及原因、重试、取消、超时（最多 50 条）")
    cancel_requested: bool
    finished: bool = Field(description="已结束（已完成、失败或已取消）")
    result_name: str | None = Field(description="结果文件名：GET /api/v1/jobs/{id}/result 下载")
    created_at: str | None = Field(description=LOCAL_TIME)
    started_at: str | None = Field(description=LOCAL_TIME)
    finished_at: str | None = Field(description=LOCAL_TIME)


class JobListOut(Model):
    total: int = Field(description="可见的任务总数")
    jobs: list[JobOut]


class JobResultOut(Model):
    file_name: str = Field(description="结果文件名")
    media_type: str = Field(description="文件类型（如 text/csv、application/zip、application/pdf）")
    size: int = Field(description="字节数")
    content_base64: str = Field(description="文件内容，base64 编码")


class ReopeningOut(Model):
    id: int
    task: str = Field(description="targets | monitoring | selfeval")
    task_label: str
    fiscal_year: int | None = None
    until: str = Field(description="重新开放至（含当日，地区日期）")
    reason: str
    unit: str | None = None
    project: str | None = None


class SelfEvalReviewOut(Model):
    id: int
    project: str
    state: str = Field(description="submitted | approved | returned")
    state_label: str
    comment: str | None = None


class CorrectionOut(Model):
    id: int
    project: str
    self_evaluation: int
    indicator: str | None = Field(default=None, description="指标名称；空：预算执行或实际完成情况")
    field: str
    field_label: str
    old_value: str | None = None
    new_value: str
    reason: str
    state: str = Field(description="pending | approved | refused")
    state_label: str
    comment: str | None = None
    applied: int | None = Field(default=None, description="批准后重新计分所得的自评记录")
