"""Import a file through the API (one transaction per file; importing it again adds nothing)."""

# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import base64
import binascii
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.services.errors import InvalidInput
from jixiao.services.imports import import_as
from jixiao.services.permissions import PermissionDenied
from jixiao.web.api.models import ErrorOut, ImportOut
from jixiao.web.deps import Context, Who
from jixiao.web.settings import MAX_BODY

router = APIRouter()


class ImportIn(BaseModel):
    """A file: text in ``content``, or any file (xlsx, docx, PDF too) as base64 in ``content_base64``; one of them."""

    file_name: str = Field(min_length=1, max_length=500, description="文件名（扩展名决定读法：.txt .json .xlsx "
                                                                     ".xlsm .docx .pdf）")
    content: str | None = Field(None, description="文本文件的内容（公开文本版式或 JSON 交换格式第1版）",
                                max_length=MAX_BODY)
    content_base64: str | None = Field(None, description="任意文件（含 xlsx、docx、PDF）的字节，base64 编码；"
                                                         "与 content 二选一", max_length=MAX_BODY * 4 // 3 + 4)


def file_bytes(body: ImportIn) -> bytes:
    """The file's bytes: exactly one of ``content`` / ``content_base64``, decoded within the upload limit."""
    if (body.content is None) == (body.content_base64 is None):
        raise InvalidInput("content（文本）与 content_base64（base64 编码的文件）须且只须提供其中一项"
                           + ("，不能同时提供" if body.content is not None else "，两项都没有提供"))
    if body.content is not None:
        return body.content.encode("utf-8")
    assert body.content_base64 is not None
    try:
        data = base64.b64decode("".join(body.content_base64.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"文件“{body.file_name}”的 content_base64 不是有效的 base64 编码"
                           "（只能含 A–Z a–z 0–9 + / 和结尾的 =，长度为 4 的倍数）") from None
    if len(data) > MAX_BODY:
        raise InvalidInput(f"文件“{body.file_name}”解码后为 {len(data)} 字节，超过上限 {MAX_BODY // 1024 // 1024} MB")
    return data


@router.post("/imports", response_model=ImportOut, response_model_exclude_unset=True,
             summary="导入文件（每个文件一个事务，重复导入不产生重复数据）",
             responses={413: {"model": ErrorOut, "description": "请求体过大"},
                        422: {"model": ErrorOut, "description": "content 与 content_base64 不是恰好一项，"
                                                                "或 base64 无效"}})
def imports(who: Who, body: ImportIn, context: Context) -> dict[str, Any]:
    if who.is_public:
        raise PermissionDenied("导入需要登录")
    return import_as(context.sessions, who, file_bytes(body), body.file_name, context.profile).to_dict()
