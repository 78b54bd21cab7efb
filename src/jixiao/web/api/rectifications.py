"""整改 through the API: lists (overdue first), an item, the findings an item can be made from, the steps, the
unit's response with evidence files (base64, within the upload limit), the finance bureau's summary.

The same services as the pages: a unit sees its own items only (404 for another's), a step the role or the
state does not allow is 409 ``rectification_move_refused`` with the reason.
"""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from jixiao.services import rectification_lists as lists
from jixiao.services import rectifications
from jixiao.services.errors import InvalidInput
from jixiao.services.local_time import local_iso
from jixiao.web.api.rectification_models import (
    DeadlineIn,
    FindingOut,
    RectificationDetailOut,
    RectificationIn,
    RectificationListOut,
    RectificationSummaryOut,
    ResponseIn,
    StepIn,
)
from jixiao.web.deps import Context, DbSession, Who

router = APIRouter()
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _local(found: dict[str, Any], zone: str) -> dict[str, Any]:
    for entry in (*found.get("files", []), *found.get("history", [])):
        entry["at"] = local_iso(entry["at"], zone)
    return found


@router.get("/rectifications", response_model=RectificationListOut, summary="整改事项（逾期在前）")
def rectification_list(db: DbSession, who: Who, context: Context,
                       state: Annotated[str | None, Query(max_length=16, description="open、overdue 或状态")] = None,
                       department: Annotated[str | None, Query(max_length=32)] = None,
                       unit: Annotated[str | None, Query(max_length=32)] = None,
                       source: Annotated[str | None, Query(max_length=16)] = None,
                       code: Annotated[str | None, Query(max_length=64)] = None,
                       page: Annotated[int, Query(ge=1, le=1_000_000, description="第几页（每页 500 项）")] = 1,
                       ) -> dict[str, Any]:
    return lists.list_items(db, who, context.today(), state=state, department=department, unit=unit, source=source,
                            code=code, page=page)


@router.get("/rectifications/summary", response_model=RectificationSummaryOut, summary="整改汇总（按主管部门）")
def rectification_summary(db: DbSession, who: Who, context: Context) -> dict[str, Any]:
    return lists.summary(db, who, context.today())


@router.get("/rectifications/findings/{code}", response_model=list[FindingOut],
            summary="项目中可以生成整改事项的问题")
def rectification_findings(db: DbSession, who: Who, context: Context,
                           code: Annotated[str, Path(min_length=1, max_length=64)]) -> list[dict[str, Any]]:
    return rectifications.findings(db, who, code, context.profile)


@router.get("/rectifications/{item_id}", response_model=RectificationDetailOut, summary="整改事项详情")
def rectification_detail(db: DbSession, who: Who, context: Context, item_id: ItemId) -> dict[str, Any]:
    return _local(rectifications.detail(db, who, item_id, context.today()), context.profile.timezone)


def _detail(context: Context, who: Who, item_id: int) -> dict[str, Any]:
    with context.sessions() as session:
        return _local(rectifications.detail(session, who, item_id, context.today()), context.profile.timezone)


@router.post("/rectifications", response_model=RectificationDetailOut, status_code=201,
             summary="由问题生成整改事项（记入审计日志）")
def rectification_create(body: RectificationIn, who: Who, context: Context) -> dict[str, Any]:
    item = rectifications.create(context.sessions, who, body.code, body.source, body.ref, body.requirement,
                                 body.deadline, context.today(), body.finding, context.profile)
    return _detail(context, who, item)


@router.post("/rectifications/responses", response_model=RectificationDetailOut,
             summary="单位提交整改情况和佐证材料（与导入的文件限制相同）")
def rectification_respond(body: ResponseIn, who: Who, context: Context) -> dict[str, Any]:
    files = []
    for each in body.files:
        try:
            files.append((each.file_name, base64.b64decode("".join(each.content_base64.split()), validate=True)))
        except (binascii.Error, ValueError):
            raise InvalidInput(f"佐证材料“{each.file_name}”的 content_base64 不是有效的 base64 编码") from None
    rectifications.move(context.sessions, who, body.item, "respond", body.text, files)
    return _detail(context, who, body.item)


@router.post("/rectifications/{item_id}/start", response_model=RectificationDetailOut, summary="开始整改")
def rectification_start(who: Who, context: Context, item_id: ItemId) -> dict[str, Any]:
    rectifications.move(context.sessions, who, item_id, "start")
    return _detail(context, who, item_id)


@router.post("/rectifications/{item_id}/confirm", response_model=RectificationDetailOut, summary="确认整改完成")
def rectification_confirm(who: Who, context: Context, item_id: ItemId) -> dict[str, Any]:
    rectifications.move(context.sessions, who, item_id, "confirm")
    return _detail(context, who, item_id)


@router.post("/rectifications/{item_id}/return", response_model=RectificationDetailOut,
             summary="退回重改（须写明理由）")
def rectification_return(body: StepIn, who: Who, context: Context, item_id: ItemId) -> dict[str, Any]:
    rectifications.move(context.sessions, who, item_id, "return", body.text)
    return _detail(context, who, item_id)


@router.post("/rectifications/{item_id}/deadline", response_model=RectificationDetailOut,
             summary="调整整改期限（须写明理由，记入审计日志）")
def rectification_deadline(body: DeadlineIn, who: Who, context: Context, item_id: ItemId) -> dict[str, Any]:
    rectifications.set_deadline(context.sessions, who, item_id, body.deadline, body.reason, context.today())
    return _detail(context, who, item_id)
