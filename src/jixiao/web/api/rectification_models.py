"""Read and write models of the 整改 API (``/api/v1/rectifications``): the shape of every body."""

# No `from __future__ import annotations`: pydantic and FastAPI read these annotations at runtime.

from typing import Any

from pydantic import BaseModel, Field

from jixiao.web.api.models import LOCAL_TIME, Model

STATES = "pending（待整改）| in_progress（整改中）| awaiting（待确认）| done（已完成）"
SOURCES = ("review（智能审核）| audit（自评审计）| monitoring（运行监控红灯）| score（自评得分偏低）"
           "| recheck（财政复核调整）| other")


class RectificationOut(Model):
    id: int
    code: str = Field(description="项目编码")
    name: str | None = Field(description="项目名称")
    unit: str | None = Field(description="整改单位")
    department: str | None = Field(description="主管部门")
    source: str = Field(description=SOURCES)
    source_label: str
    finding: str = Field(description="问题（生成事项时系统读到的原文）")
    requirement: str = Field(description="整改要求")
    deadline: str = Field(description="整改期限（本地区日期，YYYY-MM-DD，当天仍在期限内）")
    state: str = Field(description=STATES)
    state_label: str
    status_label: str = Field(description="列表显示的状态：逾期的事项为“逾期”")
    overdue: bool = Field(description="已过整改期限且未完成（按本地区日期计算，不存储）")
    days_overdue: int
    rounds: int = Field(description="单位已提交整改情况的次数")
    response: str | None = Field(description="单位最近一次的整改情况说明")
    return_reason: str | None = Field(description="审核人最近一次的退回理由")


class EvidenceOut(Model):
    id: int
    name: str
    size: int = Field(description="字节数")
    round: int = Field(description="随第几次整改情况提交")
    at: str = Field(description=LOCAL_TIME)


class HistoryOut(Model):
    at: str = Field(description=LOCAL_TIME)
    who: str
    action: str = Field(description="rectification.create | start | respond | confirm | return")
    label: str
    note: str | None
    files: list[str]


class RectificationDetailOut(RectificationOut):
    files: list[EvidenceOut]
    history: list[HistoryOut]
    actions: list[str] = Field(description="调用者现在可以进行的步骤：start、respond、confirm、return")
    may_set_deadline: bool = Field(description="调用者可以调整整改期限")


class RectificationListOut(Model):
    total: int
    shown: int
    page: int = Field(description="第几页（每页 500 项）")
    pages: int = Field(description="共几页")
    first: int = Field(description="本页第一项在全部中的序号")
    last: int = Field(description="本页最后一项在全部中的序号")
    items: list[RectificationOut] = Field(description="逾期的在前（逾期久的在前），其余按整改期限")


class SummaryRowOut(Model):
    department: str
    total: int
    open: int = Field(description="未完成")
    overdue: int = Field(description="其中逾期")
    awaiting: int = Field(description="待确认")
    done: int = Field(description="已完成")


class SummaryTotalsOut(Model):
    total: int
    open: int
    overdue: int
    awaiting: int
    done: int


class RectificationSummaryOut(Model):
    today: str = Field(description="计算逾期所用的本地区日期")
    rows: list[SummaryRowOut]
    totals: SummaryTotalsOut


class FindingOut(Model):
    source: str = Field(description=SOURCES)
    source_label: str
    ref: dict[str, Any] = Field(description="问题的引用（生成事项时原样提交）")
    text: str
    severity: str | None
    open_item: int | None = Field(description="这条问题未完成的整改事项编号")


class RectificationIn(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="项目编码")
    source: str = Field(max_length=16, description=SOURCES)
    ref: dict[str, Any] = Field(default_factory=dict, description="问题的引用（见 findings）；other 不需要")
    requirement: str = Field(max_length=4000, description="整改要求（必填）")
    deadline: str = Field(max_length=20, description="整改期限 YYYY-MM-DD，不早于今天")
    finding: str = Field(default="", max_length=4000, description="source 为 other 时：问题的说明")


class StepIn(BaseModel):
    text: str = Field(default="", max_length=4000, description="退回理由（return 必填）")


class DeadlineIn(BaseModel):
    deadline: str = Field(max_length=20, description="新的整改期限 YYYY-MM-DD，不早于今天")
    reason: str = Field(max_length=4000, description="调整理由（必填）")


class EvidenceIn(BaseModel):
    file_name: str = Field(min_length=1, max_length=300, description="文件名：.txt .json .xlsx .docx .pdf .zip")
    content_base64: str = Field(description="文件字节的 base64 编码")


class ResponseIn(BaseModel):
    item: int = Field(ge=1, description="整改事项编号")
    text: str = Field(max_length=4000, description="整改情况说明（必填）")
    files: list[EvidenceIn] = Field(default_factory=list, max_length=10, description="佐证材料（与导入的限制相同）")
