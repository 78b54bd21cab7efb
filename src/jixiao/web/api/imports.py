"""Import a file through the API (one transaction per file; importing it again adds nothing)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.services.imports import import_as
from jixiao.services.permissions import PermissionDenied
from jixiao.web.api.models import ErrorOut, ImportOut
from jixiao.web.deps import Context, Who
from jixiao.web.settings import MAX_BODY

router = APIRouter()


class ImportIn(BaseModel):
    file_name: str = Field(min_length=1, max_length=500)
    content: str = Field(description="文件内容（公开文本版式或 JSON 交换格式第1版）", max_length=MAX_BODY)


@router.post("/imports", response_model=ImportOut, response_model_exclude_unset=True,
             summary="导入文件（每个文件一个事务，重复导入不产生重复数据）",
             responses={413: {"model": ErrorOut, "description": "请求体过大"}})
def imports(who: Who, body: ImportIn, context: Context) -> dict[str, Any]:
    if who.is_public:
        raise PermissionDenied("导入需要登录")
    return import_as(context.sessions, who, body.content.encode("utf-8"), body.file_name, context.profile).to_dict()
