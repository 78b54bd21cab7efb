"""A department's self-evaluations of a year through the API: what the 自评综合报告 is drafted from (JSON).

The same service as the page (``services.department_reports``): department reviewers see their own department,
finance reviewers their region's, administrators all (403 for units, 404 for a department not theirs).
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from jixiao.services import department_reports
from jixiao.services.permissions import Ability, require
from jixiao.web.api.models import Model
from jixiao.web.deps import DbSession, Who

router = APIRouter()


class DepartmentProjectOut(Model):
    number: int = Field(description="在报告附表中的序号")
    code: str
    name: str
    unit: str | None
    department: str
    record: int | None = Field(description="最新一次自评填报的编号；空：尚未自评")
    state: str | None = Field(description="该次自评的状态：submitted、approved 或 returned")
    total: str | None = Field(description="自评总分")
    grade: str | None
    adjusted: str | None = Field(description="全年预算数（万元）")
    executed: str | None = Field(description="全年执行数（万元）")
    rate: str | None = Field(description="预算执行率（小数，如 0.95）")
    needs_reason: bool = Field(description="预算执行率未达到要求，须说明原因")


class DepartmentSummaryOut(Model):
    department: str
    department_code: str
    year: int
    projects: list[DepartmentProjectOut]


class DepartmentOut(Model):
    code: str
    name: str


@router.get("/departments/reportable", response_model=list[DepartmentOut],
            summary="可生成自评综合报告的主管部门")
def reportable(db: DbSession, who: Who) -> list[dict[str, str]]:
    require(who, Ability.DEPARTMENT_REPORT)
    return department_reports.departments(db, who)


@router.get("/departments/{department}/selfeval-summary/{year}", response_model=DepartmentSummaryOut,
            summary="主管部门某年度各项目的自评情况（部门自评综合报告的数据）")
def summary(db: DbSession, who: Who, department: Annotated[str, Path(min_length=1, max_length=32)],
            year: Annotated[int, Path(ge=1900, le=2200)]) -> dict[str, Any]:
    return department_reports.department_summary(db, who, department, year)
