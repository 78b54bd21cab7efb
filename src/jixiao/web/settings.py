"""Limits and names the API and the pages share (kept here so neither imports the other)."""

from __future__ import annotations

from jixiao.services.api_errors import MAX_BODY, MAX_SMALL_BODY  # in the API's documented error table
from jixiao.services.settings import setting

__all__ = ["API_PREFIX", "FLASH_COOKIE", "HSTS", "LOGIN_CSRF_COOKIE", "MAX_BODY", "MAX_FILES", "MAX_FORM_BODY",
           "MAX_FORM_FIELDS", "MAX_UPLOAD_BODY", "SECURE_COOKIES", "SESSION_COOKIE",
           "UPLOAD_ROUTES"]

MAX_FILES = 50  # files in one upload of the import page
SESSION_COOKIE = "jixiao_session"
LOGIN_CSRF_COOKIE = "jixiao_login_csrf"
FLASH_COOKIE = "jixiao_flash"
API_PREFIX = "/api/"

# Request bodies, counted as they arrive (chunked ones too): uploads may be large, everything else is small.
MAX_UPLOAD_BODY = MAX_BODY  # the import page and POST /api/v1/imports
MAX_FORM_BODY = MAX_SMALL_BODY  # every other route: forms and JSON
UPLOAD_ROUTES = frozenset({("POST", "/import"), ("POST", "/api/v1/imports"), ("POST", "/api/v1/jobs/imports"),
                           ("POST", "/admin/organizations/import"), ("POST", "/library/import"),
                           ("POST", "/api/v1/library/import"),
                           ("POST", "/rectifications/respond"), ("POST", "/api/v1/rectifications/responses")})
MAX_FORM_FIELDS = 6_000  # form fields of one request: the editor without JavaScript posts 11 per indicator row


# Cookies are marked Secure (HTTPS only) and HSTS is sent: "auto" (the default) on every request that
# arrived over HTTPS (directly, or through a proxy's X-Forwarded-Proto, which uvicorn honours from
# 127.0.0.1), "always" whatever the scheme (set it when a proxy terminates TLS elsewhere), "never" never.
# Plain http://localhost (a laptop, the tests) keeps working under "auto".
SECURE_COOKIES: str = setting("secure_cookies")  # JIXIAO_SECURE_COOKIES (services/settings.py)
HSTS = b"max-age=31536000"
