"""While a hostile office file is being read and refused, the same server worker keeps answering.

One TestClient used as a context manager runs every request on one event loop, as one uvicorn worker
does; an upload that read the file on that loop would hold every other request until it finished.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.organizations import import_organizations
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app
from tests.hostile_corpus import pdf

PASSWORD = "hostile-password-1"
ORGS = ("编码,名称,类型,上级编码\n500115,重庆市长寿区财政局,财政,\n"
        "145,重庆市长寿区政务服务管理办公室,主管部门,500115\n"
        "145001,重庆市长寿区政务服务管理办公室（本级）,单位,145\n")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    folder = tmp_path_factory.mktemp("hostile")
    engine = make_engine(f"sqlite:///{folder / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    (folder / "orgs.csv").write_text(ORGS, encoding="utf-8")
    assert not import_organizations(made, folder / "orgs.csv").diagnostics
    add_user(made, "unit", PASSWORD, Role.UNIT_EDITOR, "145001")
    yield made
    engine.dispose()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _slow_pdf(lines: int = 19_000) -> bytes:
    """Just under the drawn-objects limit: table finding compares every line (seconds), then no table."""
    ops = b"".join(b"%d %d m %d %d l S\n" % (i % 595, i * 7 % 842, i * 13 % 595, i * 31 % 842) for i in range(lines))
    return pdf(ops, compressed=True)


def test_pages_are_served_while_a_hostile_upload_is_read(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    """Seen failing before the fix: no page was answered while the upload ran (the route read the file on
    the event loop); each GET waited for the whole read."""
    data = _slow_pdf()
    with TestClient(create_app(AppContext(sessions)), follow_redirects=False) as client:
        page = client.get("/login")
        done = client.post("/login", data={"username": "unit", "password": PASSWORD, "csrf_token": _csrf(page.text),
                                           "next": "/"})
        assert done.status_code == 303
        token = _csrf(client.get("/import").text)
        upload: dict[str, object] = {}

        def send() -> None:
            upload["started"] = time.monotonic()
            response = client.post("/import", data={"csrf_token": token},
                                   files=[("files", ("lines.pdf", data, "application/pdf"))])
            upload["ended"], upload["response"] = time.monotonic(), response

        sender = threading.Thread(target=send)
        sender.start()
        answered: list[tuple[float, float, int]] = []  # (start, end, status) of each GET meanwhile
        # Pages spread over the whole upload (a short pause between them), not 200 of them in its first second
        # on a fast machine, which left none in the window checked below.
        while sender.is_alive() and len(answered) < 2000:
            started = time.monotonic()
            status = client.get("/public").status_code
            answered.append((started, time.monotonic(), status))
            time.sleep(0.02)
        sender.join(120)
        assert not sender.is_alive()
    started_at, ended_at = float(upload["started"]), float(upload["ended"])  # type: ignore[arg-type]
    response = upload["response"]
    assert response.status_code == 200 and "未导入" in response.text  # type: ignore[attr-defined]
    # The upload must take far longer than a page, or the test means nothing; measured against the pages
    # themselves, since a fast machine reads the file in about a second and a loaded one in several.
    duration = ended_at - started_at
    pages = sorted(e - s for s, e, _status in answered)
    assert pages and duration > 10 * pages[len(pages) // 2], (duration, pages[len(pages) // 2])
    during = [(s, e, status) for s, e, status in answered if s > started_at + duration / 4 and e < ended_at]
    assert during, f"no page was answered while the upload ran ({len(answered)} GETs, all waited)"
    assert all(status == 200 and e - s < 1.0 for s, e, status in during)
