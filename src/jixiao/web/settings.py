"""Limits and names the API and the pages share (kept here so neither imports the other)."""

from __future__ import annotations

MAX_BODY = 5 * 1024 * 1024  # 5 MB: far above any real file of target tables
MAX_FILES = 50  # files in one upload of the import page
SESSION_COOKIE = "jixiao_session"
LOGIN_CSRF_COOKIE = "jixiao_login_csrf"
TOKEN_CACHE_SECONDS = 30  # a revoked token stops working within this time
API_PREFIX = "/api/"
