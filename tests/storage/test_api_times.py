"""Every moment in an API answer carries the region's offset, on SQLite and PostgreSQL (issue 14 leftovers).

The walk asks every GET operation the OpenAPI document lists, with demo data in every state (reviews, a
return, approvals, an audit log, published 自评表, a unit's own 自评, a 复核 sample re-scored), and fails on
any date-time string without an offset: SQLite hands back the UTC it stored as a naive datetime, and a
client must never have to guess that a time is UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.web.app import create_app
from tests.storage.test_recheck import _publish

# ISO 8601 as JSON encoders write a datetime, or str(datetime); not the "2026-12-01 13:46" a page shows beside it
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}|[T ]\d{2}:\d{2}:\d{2})(\.\d+)?(?P<offset>Z|[+-]\d{2}:?\d{2})?")
REGION_OFFSET = "+08:00"  # the default profile's timezone, Asia/Shanghai


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def _naive(body: Any) -> list[str]:
    found = []
    for path, text in _strings(body):
        match = MOMENT.fullmatch(text)
        if match is not None and match.group("offset") != REGION_OFFSET:
            found.append(f"{path} = {text}")
    return found


def _own_reports(client: TestClient, tokens: dict[str, str]) -> None:
    """The unit's own 自评 and a month's monitoring report of 技术服务, approved in the demo."""
    code = "50011522T000000132369"
    names = ("区级依申请事项数", "乡镇依申请事项数", "网上办事便利度", "群众满意率")
    done = client.post(f"/api/v1/projects/{code}/self-evaluations", headers=_auth(tokens["unit145001"]), json={
        "actuals": [{"indicator": name, "actual": "1", "reason": "测试"} for name in names],
        "budget": {"initial": "9.60", "adjusted": "9.60", "executed": "9.60"}})
    assert done.status_code == 200, done.text
    report = client.post(f"/api/v1/projects/{code}/monitoring", headers=_auth(tokens["unit145001"]), json={
        "month": 7, "progress": [{"indicator": name, "to_date": "1", "forecast": "1"} for name in names],
        "budget": {"adjusted": "9.60", "executed_to_date": "4.00"}})
    assert report.status_code == 200, report.text


def _timed(url: str, body: Any) -> set[str]:
    """Where moments were found: so the walk cannot pass by finding none."""
    found = set()
    for path, text in _strings(body):
        if MOMENT.fullmatch(text):
            found |= {part for part in (".reviews", ".last_return", ".published") if part in path}
            found |= {part for part in ("versions", "self-evaluations", "monitoring", "audit", "rechecks")
                      if url.endswith(part) or f"/{part}/" in url}
    return found


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_get_answers_times_with_the_regions_offset(sessions: sessionmaker[Session]) -> None:
    tokens = {user: token for user, _role, _password, token in load_demo(sessions).accounts}
    _publish(sessions)
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    finance = {"Authorization": f"Bearer {tokens['finance']}"}
    sample = client.post("/api/v1/rechecks", json={"year": 2022, "size": 3, "seed": 5}, headers=finance).json()
    item = sample["items"][0]
    rescored = client.put(f"/api/v1/rechecks/{sample['id']}/items/{item['id']}/scores", headers=finance,
                          json={"rows": [{"row": "execution", "score": "3", "reason": "执行率不足"}]})
    assert rescored.status_code == 200
    _own_reports(client, tokens)
    codes = [p["code"] for p in client.get("/api/v1/projects?per_page=20", headers=finance).json()["items"]]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    asked, naive, seen = 0, [], set()
    for template, operations in paths.items():
        if "get" not in operations or template.endswith("openapi.json"):
            continue
        for code in codes if "{code}" in template else [None]:
            url = template.replace("{sample_id}", str(sample["id"])).replace("{item_id}", str(item["id"]))
            url = url.replace("{code}", code or "")
            for token in (tokens["admin"], tokens["finance"], tokens["unit145001"], None):  # None: the public
                answer = client.get(url, headers=_auth(token) if token else {})
                if answer.status_code == 200:
                    asked += 1
                    seen.update(_timed(url, answer.json()))
                    naive += [f"{url}: {where}" for where in _naive(answer.json())]
    assert asked > 50 and seen >= {".reviews", ".last_return", "versions", "self-evaluations", "monitoring",
                                   "audit", "rechecks", ".published"}, seen
    assert naive == [], sorted({re.sub(r"\[\d+\]|\d{5}T\d+", "*", n.split(" = ")[0]) for n in naive})
