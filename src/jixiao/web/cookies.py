"""Cookies the site sets (Secure per ``SECURE_COOKIES``) and flash messages: the status line after a redirect.

A flash message travels in a short-lived cookie signed with the signed-in user's session secret
(HMAC), so only this server can put text in the green status box: a link such as ``?msg=…`` shows
nothing, and a forged or another user's cookie is ignored. The message is shown once and deleted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from jixiao.web.settings import FLASH_COOKIE, SECURE_COOKIES, SESSION_COOKIE

FLASH_SECONDS = 120


def secure(request: Request) -> bool:
    """Whether cookies set in answer to ``request`` are marked Secure (see ``settings.SECURE_COOKIES``)."""
    return SECURE_COOKIES == "always" or (SECURE_COOKIES == "auto" and request.url.scheme == "https")


def set_cookie(response: Response, request: Request, name: str, value: str, **options: Any) -> None:
    response.set_cookie(name, value, httponly=True, secure=secure(request), **options)


def delete_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, httponly=True, secure=secure(request))


def _signature(secret: str, message: bytes) -> str:
    return hmac.new(b"jixiao-flash:" + secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:40]


def see_other(request: Request, location: str, message: str) -> RedirectResponse:
    """A 303 to ``location`` that shows ``message`` there once (for the signed-in user of ``request``)."""
    response = RedirectResponse(location, status_code=303)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        data = message[:300].encode("utf-8")  # (cut by characters: a cut never splits one)
        value = base64.urlsafe_b64encode(data).decode("ascii") + "." + _signature(secret, data)
        set_cookie(response, request, FLASH_COOKIE, value, samesite="lax", max_age=FLASH_SECONDS)
    return response


def flash(request: Request) -> str | None:
    """The message this server left for this user, if any (the caller deletes the cookie with :func:`shown`)."""
    raw, secret = request.cookies.get(FLASH_COOKIE), request.cookies.get(SESSION_COOKIE)
    if not raw or not secret:
        return None
    encoded, _, signature = raw.partition(".")
    try:
        data = base64.urlsafe_b64decode(encoded.encode("ascii"))
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(signature, _signature(secret, data)):
        return None
    return data.decode("utf-8", errors="replace")


def shown(response: Response, request: Request) -> Response:
    """``response`` with the flash cookie removed (it is shown once)."""
    if FLASH_COOKIE in request.cookies:
        delete_cookie(response, request, FLASH_COOKIE)
    return response
