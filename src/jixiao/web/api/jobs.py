"""Background jobs through the API: submit an import (202 and a job to poll), read, cancel, download."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import base64
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from jixiao.services import jobs, jobs_submit
from jixiao.services.permissions import PermissionDenied
from jixiao.web.api.imports import ImportIn, file_bytes
from jixiao.web.api.models import ErrorOut, JobListOut, JobOut, JobResultOut
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_API_FILES = 1000


class ImportJobIn(BaseModel):
    """Files to import in the background: each as in ``POST /api/v1/imports``; a ``.zip`` is opened by the worker."""

    files: list[ImportIn] = Field(min_length=1, max_length=MAX_API_FILES)


@router.post("/jobs/imports", status_code=202, response_model=JobOut,
             summary="提交后台导入任务（返回 202 和任务，轮询 GET /api/v1/jobs/{id}）",
             responses={413: {"model": ErrorOut, "description": "请求体过大"}})
def submit_import(who: Who, body: ImportJobIn, context: Context) -> JSONResponse:
    if who.is_public:
        raise PermissionDenied("导入需要登录")
    files = [(item.file_name, file_bytes(item)) for item in body.files]
    view = jobs_submit.submit_import(context, who, files)
    return JSONResponse(JobOut.model_validate(view.to_dict()).model_dump(), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{view.id}"})


class ExportJobIn(BaseModel):
    """What to export: the official target tables the caller sees, of a year and under a department."""

    format: Literal["xlsx", "docx", "pdf"] = Field(description="文件格式")
    year: int | None = Field(None, ge=1900, le=2200, description="年度（不填：全部年度）")
    department: str | None = Field(None, max_length=32, description="主管部门或单位的编码（不填：可见的全部）")


@router.post("/jobs/exports", status_code=202, response_model=JobOut,
             summary="提交后台导出任务：可见的绩效目标表打包为 zip（返回 202 和任务）")
def submit_export(who: Who, body: ExportJobIn, context: Context) -> JSONResponse:
    view = jobs_submit.submit_export(context, who, body.format, body.year, body.department)
    return JSONResponse(JobOut.model_validate(view.to_dict()).model_dump(), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{view.id}"})


class ReportJobIn(BaseModel):
    """Which projects' review to render: those the caller sees, of a year and under a department."""

    format: Literal["pdf", "xlsx", "html"] = Field("pdf", description="报告格式")
    year: int | None = Field(None, ge=1900, le=2200, description="年度（不填：全部年度）")
    department: str | None = Field(None, max_length=32, description="主管部门或单位的编码（不填：可见的全部）")


@router.post("/jobs/reports", status_code=202, response_model=JobOut,
             summary="提交审核报告任务：可见项目的智能审核报告（PDF、xlsx 或 HTML，一个文件）")
def submit_report(who: Who, body: ReportJobIn, context: Context) -> JSONResponse:
    view = jobs_submit.submit_render(context, who, body.format, body.year, body.department)
    return JSONResponse(JobOut.model_validate(view.to_dict()).model_dump(), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{view.id}"})


class RereviewJobIn(BaseModel):
    year: int = Field(ge=1900, le=2200, description="重新审核哪一年度的项目")


@router.post("/jobs/rereviews", status_code=202, response_model=JobOut,
             summary="提交重新审核任务：按当前地区配置重新审核一个年度的全部可见项目（财政部门、管理员）")
def submit_rereview(who: Who, body: RereviewJobIn, context: Context) -> JSONResponse:
    view = jobs_submit.submit_rereview(context, who, body.year)
    return JSONResponse(JobOut.model_validate(view.to_dict()).model_dump(), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{view.id}"})


@router.get("/jobs", response_model=JobListOut, summary="我的任务（财政部门：本地区的任务），新的在前")
def list_jobs(db: DbSession, who: Who, context: Context, limit: Annotated[int, Query(ge=1, le=200)] = 50,
              offset: Annotated[int, Query(ge=0, le=10**6)] = 0) -> dict[str, Any]:
    total, views = jobs.list_jobs(db, who, context.profile.timezone, limit, offset)
    return {"total": total, "jobs": [view.to_dict() for view in views]}


@router.get("/jobs/{job_id}", response_model=JobOut, summary="任务的状态和进度")
def get_job(db: DbSession, who: Who, job_id: JobId, context: Context) -> dict[str, Any]:
    return jobs.get(db, who, job_id, context.profile.timezone).to_dict()


@router.post("/jobs/{job_id}/cancel", response_model=JobOut,
             summary="取消任务（排队中的立即取消；运行中的在当前文件完成后停止）")
def cancel_job(who: Who, job_id: JobId, context: Context) -> dict[str, Any]:
    return jobs_submit.cancel(context, who, job_id).to_dict()


@router.get("/jobs/{job_id}/result", response_model=JobResultOut,
            summary="任务的结果文件（base64；网页上为 /jobs/{id}/result 直接下载）")
def job_result(db: DbSession, who: Who, job_id: JobId) -> dict[str, Any]:
    name, media, data = jobs.result_file(db, who, job_id)
    return {"file_name": name, "media_type": media, "size": len(data),
            "content_base64": base64.b64encode(data).decode("ascii")}
