"""Limits and names the API and the pages share (kept here so neither imports the other)."""

from __future__ import annotations

from jixiao.services.api_errors import MAX_BODY as MAX_BODY  # in the API's documented error table

MAX_FILES = 50  # files in one upload of the import page
SESSION_COOKIE = "jixiao_session"
LOGIN_CSRF_COOKIE = "jixiao_login_csrf"
API_PREFIX = "/api/"
