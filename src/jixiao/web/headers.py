"""The security headers of every answer: no external requests (CSP) on pages and the API, no framing, no MIME
sniffing; no caching of anything that is not a static file (every page may show who is signed in); HSTS where
cookies are Secure. One list, used by the middleware and by the crash handler (which answers outside it)."""

from __future__ import annotations

from jixiao.web.settings import API_PREFIX, HSTS, SECURE_COOKIES

PAGES = ((b"content-security-policy", b"default-src 'self'; img-src 'self' data:; "
          b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"),
         (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
# the API answers JSON; only its docs page (vendored Swagger UI) runs a script, from this site
API = ((b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
        b"form-action 'none'"),
       (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
NO_STORE = (b"cache-control", b"no-store")
CACHEABLE = "/static/"  # the same for everyone


def security_headers(path: str, scheme: str) -> list[tuple[bytes, bytes]]:
    """The headers an answer to ``path`` (over ``scheme``) carries."""
    added = list(API if path.startswith(API_PREFIX) else PAGES)
    if not path.startswith(CACHEABLE):
        added.append(NO_STORE)
    if SECURE_COOKIES == "always" or (SECURE_COOKIES == "auto" and scheme == "https"):
        added.append((b"strict-transport-security", HSTS))
    return added
