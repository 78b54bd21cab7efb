"""One place at the edge where text no database stores is refused: NUL characters (``\\0``).

PostgreSQL cannot hold ``\\0`` in text; SQLite can. Rather than let each query fail (a 500 on one
database and a quiet success on the other), every request is checked once here: the path, the
query string, cookies, and bodies that are forms or JSON (small: the body limit has bounded them).
The answer names the field by its Chinese label when it has one. Uploaded files are checked by the
import service, which knows their tables (``services/fields.py``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request, cookie_parser

from jixiao.domain.labels import FIELD_LABELS
from jixiao.services.api_errors import InvalidRequest
from jixiao.web.errors import envelope, page_error
from jixiao.web.settings import API_PREFIX, UPLOAD_ROUTES

LABELS = {"q": "搜索词", "code": "项目编码", "username": "用户名", "password": "密码", "file_name": "文件名",
          "content": "文件内容", "comment": "意见", "text": "意见", "override_reason": "理由", "next": "跳转地址",
          "department": "主管部门", "unit": "单位", "state": "状态", "action": "操作", "document": "表格内容",
          "anchor": "意见位置", "reason": "理由", "display_name": "姓名", "label": "令牌说明"}
FORM = b"application/x-www-form-urlencoded"
JSON = b"application/json"
MULTIPART = b"multipart/form-data"


def is_json(content_type: bytes) -> bool:
    """What FastAPI reads as a JSON body: no content type, ``application/json`` or any ``application/…+json``."""
    media = content_type.split(b";", 1)[0].strip()
    return not media or media == JSON or (media.startswith(b"application/") and media.endswith(b"+json"))


def _label(name: str) -> str:
    return LABELS.get(name) or FIELD_LABELS.get(name) or name


def _problem(where: str, name: str, location: str) -> InvalidRequest:
    what = f"{where}“{_label(name)}”" if name else where
    return InvalidRequest(f"{what}含有空字符（NUL），请删除后重试",
                          details=[{"location": location, "problem": "nul_character"}])


def _in_json(value: Any, path: str = "") -> str | None:
    """The path of the first string (key or value) holding a NUL, else ``None``."""
    if isinstance(value, str):
        return path if "\0" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if "\0" in str(key):
                return inner
            found = _in_json(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _in_json(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _field(path: str) -> str:
    """The first name of a JSON path (``indicators[2].name`` → ``indicators``) for its label."""
    return path.split(".", 1)[0].split("[", 1)[0]


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")


def request_problem(scope: dict[str, Any]) -> InvalidRequest | None:
    """What of the path, query and cookies is refused (the body is checked by :func:`body_problem`)."""
    if "\0" in scope.get("path", ""):
        return _problem("地址", "", "path")
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\0" in query:
        for name, value in _pairs(query):
            if "\0" in name or "\0" in value:
                name = name.replace("\0", "")
                return _problem("查询参数", name, f"query.{name}")
    for header, value in scope.get("headers", ()):
        if header == b"cookie" and (b"\\000" in value or b"\0" in value):  # "\000" is NUL once unquoted
            for name, raw in cookie_parser(value.decode("latin-1")).items():
                if "\0" in raw or "\0" in name:
                    name = name.replace("\0", "")
                    return _problem("Cookie", name, f"cookie.{name}")
    return None


def body_problem(content_type: bytes, body: bytes, upload: bool = False) -> InvalidRequest | None:
    """What of a body is refused: NUL in a form or JSON field (JSON in any encoding ``json`` reads: UTF-16 and
    UTF-32 hold NUL bytes, so they are decoded and looked at); multipart bodies outside the upload routes (their
    fields would reach the services unchecked, and no page of jixiao sends one)."""
    if content_type.startswith(MULTIPART) and not upload:
        return InvalidRequest("此地址只接受普通表单或 JSON 提交，不接受 multipart/form-data（文件请在“导入”页上传）",
                              details=[{"location": "body", "problem": "multipart_refused"}])
    if content_type.startswith(FORM) and (b"%00" in body or b"\0" in body):
        for name, value in _pairs(body):
            if "\0" in name or "\0" in value:
                name = name.replace("\0", "")
                return _problem("表单字段", name, f"body.{name}")
    if is_json(content_type) and (b"\\u0000" in body or b"\0" in body):
        try:
            parsed = json.loads(body)
        except ValueError:
            return None  # not JSON: the route's own validation answers
        found = _in_json(parsed)
        if found is not None:
            return _problem("字段", _field(found), f"body.{found}")
    return None


class NulGuard:
    """Refuse NUL characters in the path, query, cookies and form or JSON bodies (422, one message)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = request_problem(scope)
        content_type = next((v.lower() for k, v in scope.get("headers", ()) if k == b"content-type"), b"")
        upload = (scope.get("method", ""), scope.get("path", "")) in UPLOAD_ROUTES
        if problem is None and content_type.startswith(MULTIPART) and not upload:
            problem = body_problem(content_type, b"")
        elif problem is None and (content_type.startswith(FORM) or is_json(content_type)):
            chunks = []
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            problem = body_problem(content_type, body)
            receive = _replay(body, receive)
        if problem is None:
            await self.app(scope, receive, send)
            return

        async def nothing() -> dict[str, Any]:
            return {"type": "http.disconnect"}

        if scope.get("path", "").startswith(API_PREFIX):
            await envelope(problem)(scope, nothing, send)
        else:
            await page_error(Request(scope), problem.status, problem.message)(scope, nothing, send)


def _replay(body: bytes, receive: Any) -> Any:
    sent = False

    async def again() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        message: dict[str, Any] = await receive()
        return message

    return again
