"""The API's interactive docs (Swagger UI) from vendored files: no CDN, no inline script, CSP-clean.

FastAPI's own docs page loads an unpinned Swagger UI from a CDN and starts it with an inline script;
this page loads Swagger UI 5.35.0 from ``/static/vendor`` (see ``swagger-ui-README.txt`` there) and
starts it from ``/static/api-docs.js``, so the API's Content-Security-Policy (``script-src 'self'``) holds.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

SWAGGER_UI = "5.35.0"
router = APIRouter()

PAGE = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jixiao 绩效 API 文档</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui-{SWAGGER_UI}.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/v1/openapi.json"></div>
<script src="/static/vendor/swagger-ui-{SWAGGER_UI}-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
