"""统计分析 through the API: each view's columns, rows and chart figures as the page shows them (JSON).

The same service as the pages (``services.analytics``): departments see their own units' projects, the finance
bureau its region's, administrators all; units and the public are refused (403).
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import Field

from jixiao.services import analytics
from jixiao.web.api.models import Model
from jixiao.web.deps import DbSession, Who

router = APIRouter()


class ColumnOut(Model):
    key: str
    label: str = Field(description="列名（中文）")
    kind: str = Field(description="text、count（个数）、money（万元）、score（分）或 percent（%）")


class AnalyticsViewOut(Model):
    view: str = Field(description="视图：money、grades、execution、credibility、ranges 或 trends")
    title: str
    note: str = Field(description="口径说明")
    filters: list[str] = Field(description="所选筛选条件（中文）")
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(description="按列 key 给出的各行；link：下钻到项目清单的筛选条件")
    chart: dict[str, Any] = Field(description="图表所画的数字（与各行相同）")
    extra: dict[str, Any] = Field(description="第二张表（execution：高分低执行项目，flagged_count 为总数）")


class ChoiceOut(Model):
    code: str
    name: str


class ViewChoiceOut(Model):
    key: str
    title: str


class AnalyticsChoicesOut(Model):
    years: list[int]
    departments: list[ChoiceOut]
    categories: list[ChoiceOut]
    views: list[ViewChoiceOut]


@router.get("/analytics", response_model=AnalyticsChoicesOut, summary="统计分析的视图与筛选项")
def choices(db: DbSession, who: Who) -> dict[str, Any]:
    return analytics.filter_choices(db, who)


@router.get("/analytics/{view}", response_model=AnalyticsViewOut, summary="统计分析的一个视图")
def view(db: DbSession, who: Who, view: Annotated[str, Path(min_length=1, max_length=32)],
         year: Annotated[str | None, Query(max_length=4)] = None,
         department: Annotated[str | None, Query(max_length=32)] = None,
         category: Annotated[str | None, Query(max_length=2)] = None) -> dict[str, Any]:
    return analytics.as_dict(analytics.view(db, who, view, analytics.filters_of(year, department, category)))
