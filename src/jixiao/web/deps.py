"""FastAPI dependencies: the context, a database session, the API actor, the page viewer and CSRF.

They replace the "sign in or redirect" openings each page used to copy: a route names what it needs
(``Who``, ``Seen``, ``SignedIn``…) and FastAPI hands it over, once per request. State that lives as
long as the application (count caches) hangs off ``app.state.web``. Dependencies that do
no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in the thread pool, which costs more
than the work.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import Cookie, Depends, Header, Request

from jixiao.services.accounts import actor_for_session, actor_for_token
from jixiao.services.context import AppContext, Db
from jixiao.services.permissions import PUBLIC, Actor, PermissionDenied
from jixiao.services.queries import CountCache
from jixiao.services.viewers import signed_in
from jixiao.web.errors import LoginRequired
from jixiao.web.rendering import ANONYMOUS, Viewer
from jixiao.web.settings import MAX_FILES, SESSION_COOKIE

DEMO_SECONDS = 30.0


@dataclass
class WebState:
    """Per-application caches (filter choices; list totals are always counted); never who the caller is."""

    context: AppContext
    caches: dict[str, CountCache] = field(default_factory=dict)
    demo_checked: tuple[float, bool] | None = None  # (when, whether the demo region is loaded)

    def cache(self, name: str, seconds: float = 10.0) -> CountCache:
        found = self.caches.get(name)
        if found is None:
            found = self.caches[name] = CountCache(seconds=seconds)
        return found

    def demo_data(self) -> bool:
        """Whether the generated demo region is loaded (every page then says 示例数据): asked of the database at
        most every ``DEMO_SECONDS``, so loading or removing it shows within that time in every process."""
        now = time.monotonic()
        if self.demo_checked is None or now - self.demo_checked[0] >= DEMO_SECONDS:
            from jixiao.services.demo_region import present

            with self.context.sessions() as session:
                self.demo_checked = (now, present(session))
        return self.demo_checked[1]

    def token_actor(self, token: str) -> Actor | None:
        """Checked in the database on every request (one indexed lookup): a revoked token or a deactivated
        user is refused at once, in every process (no per-process cache to wait out)."""
        return actor_for_token(self.context.sessions, token)


async def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


async def app_context(request: Request) -> AppContext:
    state: WebState = request.app.state.web
    return state.context


Web = Annotated[WebState, Depends(web_state)]
Context = Annotated[AppContext, Depends(app_context)]


# Reads are short and local: they run on the event loop, not in a thread pool, which on a small
# machine is what costs most per request. Writes (transitions, imports, submissions) stay in threads.
async def db_session(context: Context) -> AsyncIterator[Db]:
    with context.sessions() as opened:
        yield opened


DbSession = Annotated[Db, Depends(db_session)]


async def api_actor(web: Web, authorization: Annotated[str | None, Header()] = None,
                    jixiao_session: Annotated[str | None, Cookie()] = None) -> Actor:
    """The caller of the API: a bearer token, else the login cookie, else the public."""
    if not authorization:
        if jixiao_session:
            found = actor_for_session(web.context.sessions, jixiao_session)
            if found is None:
                raise PermissionDenied("登录已过期，请重新登录")
            return found
        return PUBLIC
    scheme, _, token = authorization.partition(" ")
    found = web.token_actor(token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise PermissionDenied("令牌无效或已撤销")
    return found


Who = Annotated[Actor, Depends(api_actor)]


def csrf_for(secret: str) -> str:
    """CSRF token derived from the session secret: no server state, the same in every worker."""
    return hashlib.sha256(b"jixiao-csrf:" + secret.encode("utf-8")).hexdigest()[:40]


def viewer_for(context: AppContext, request: Request) -> Viewer:
    """The signed-in user of this request, or the public (also when the session has expired)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return ANONYMOUS
    # an htmx request swaps in part of a page: no menu, so no count of the work waiting (a query over the projects)
    found = signed_in(context.sessions, secret, with_work=not request.headers.get("hx-request"))
    if found is None:
        return ANONYMOUS
    return Viewer(found.actor, found.username, found.display_name, found.organization, csrf_for(secret),
                  found.work)


async def page_viewer(request: Request, context: Context) -> Viewer:
    viewer = viewer_for(context, request)
    request.state.viewer = viewer  # an error page of this request shows the same header
    return viewer


Seen = Annotated[Viewer, Depends(page_viewer)]


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target)}"


async def signed_in_viewer(request: Request, viewer: Seen) -> Viewer:
    """The signed-in viewer of a page, or a redirect to the login page that comes back here."""
    if viewer.is_public:
        raise LoginRequired(login_url(request))
    return viewer


async def signed_in_poster(request: Request, viewer: Seen) -> Viewer:
    """The same for a form post: the login page then says the session had expired."""
    if viewer.is_public:
        raise LoginRequired(login_url(request) + "&expired=1")
    return viewer


SignedIn = Annotated[Viewer, Depends(signed_in_viewer)]
SignedInPost = Annotated[Viewer, Depends(signed_in_poster)]


def csrf_ok(viewer: Viewer, request: Request, submitted: str | None) -> bool:
    token = submitted or request.headers.get("x-csrf-token") or ""
    return bool(viewer.csrf) and hmac.compare_digest(token, viewer.csrf)


async def csrf_passed(request: Request, viewer: Seen) -> bool:
    """Whether the form (``csrf_token``) or htmx header (``X-CSRF-Token``) carries this viewer's token."""
    form = await request.form(max_files=MAX_FILES)
    return csrf_ok(viewer, request, str(form.get("csrf_token") or ""))


CsrfPassed = Annotated[bool, Depends(csrf_passed)]
