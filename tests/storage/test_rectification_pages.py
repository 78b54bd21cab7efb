"""整改 on the pages and the API, SQLite and PostgreSQL: from a project's finding to a confirmed item, the list
(overdue first), the home page's reminder, the finance bureau's summary and its workbook."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.permissions import Actor
from jixiao.storage.models import Rectification
from jixiao.web.app import create_app
from tests.storage.test_recheck_pages import PASSWORD, _csrf

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 11:00 in 重庆
PDF = b"%PDF-1.4\n%%EOF\n"


def _client(sessions: sessionmaker[Session], username: str) -> TestClient:
    client = TestClient(create_app(AppContext(sessions, clock=lambda: NOW)), follow_redirects=False)
    done = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": _csrf(client.get("/login").text), "next": "/"})
    assert done.status_code == 303, done.text
    return client


def _users(sessions: sessionmaker[Session]) -> dict[str, TestClient]:
    add_user(sessions, "bumen", PASSWORD, Role.DEPARTMENT_REVIEWER, "145", "政务办审核人")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001", "政务办填报人")
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None, "区财政局绩效科")
    add_user(sessions, "waidanwei", PASSWORD, Role.UNIT_EDITOR, "999001", "另一个单位")
    return {name: _client(sessions, name) for name in ("bumen", "danwei", "caizheng", "waidanwei")}


def test_from_a_finding_on_the_project_page_to_a_confirmed_item(sessions: sessionmaker[Session],
                                                               actors: dict[str, Actor]) -> None:
    people = _users(sessions)
    department, unit = people["bumen"], people["danwei"]
    projects = department.get("/projects").text
    code = next(c for c in re.findall(r'href="/projects/([0-9A-Z]+)"', projects)
                if "生成整改事项" in department.get(f"/projects/{c}").text and "rect-make" in
                department.get(f"/projects/{c}").text)
    project = department.get(f"/projects/{code}").text
    assert "生成整改事项" not in unit.get(f"/projects/{code}").text  # units do not assign items
    link = re.search(r'class="small rect-make" href="([^"]+)"', project)
    assert link is not None
    form = department.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    pick = re.search(r'name="pick" id="pick-\d+" value="([^"]+)" checked', form.text)
    assert pick is not None  # the finding clicked is chosen
    value = pick.group(1).replace("&#34;", '"').replace("&quot;", '"')
    token = _csrf(form.text)
    refused = department.post(f"/rectifications/projects/{code}", data={
        "csrf_token": token, "pick": value, "requirement": "", "deadline": "2026-11-30"})
    assert refused.status_code == 422 and "“整改要求”必填" in refused.text and "不能早于今天" in refused.text
    made = department.post(f"/rectifications/projects/{code}", data={
        "csrf_token": token, "pick": value, "requirement": "按规范改写该指标", "deadline": "2026-12-20"})
    assert made.status_code == 303, made.text
    location = made.headers["location"]
    item = int(location.rsplit("/", 1)[1])
    page = unit.get(location)
    assert page.status_code == 200 and "待整改" in page.text and 'id="respond-form"' in page.text
    assert people["waidanwei"].get(location).status_code == 404  # another unit's item is not there
    assert unit.get("/").text.count('id="rect-reminder"') == 1 and "未完成的整改事项 1 项" in unit.get("/").text
    token = _csrf(page.text)
    bad = unit.post("/rectifications/respond", data={"csrf_token": token, "item": str(item), "text": "已改"},
                    files=[("files", ("照片.exe", b"MZ", "application/octet-stream"))])
    assert bad.status_code == 422 and "类型不能作为佐证材料" in bad.text and "已改" in bad.text
    done = unit.post("/rectifications/respond", data={"csrf_token": token, "item": str(item), "text": "已改写指标"},
                     files=[("files", ("整改说明.pdf", PDF, "application/pdf"))])
    assert done.status_code == 303 and "1 个佐证材料" in unit.get(location).text
    shown = department.get(location).text
    assert "整改说明.pdf" in shown and 'id="confirm-form"' in shown
    file_link = re.search(rf'href="(/rectifications/{item}/files/\d+)"', shown)
    assert file_link is not None and department.get(file_link.group(1)).content == PDF
    htmx = {"HX-Request": "true"}
    returned = department.post(f"/rectifications/{item}/return", headers=htmx, data={"csrf_token": _csrf(shown)})
    assert returned.status_code == 200 and "必须填写退回理由" in returned.text
    assert returned.text.lstrip().startswith('<div id="rect-detail">')
    returned = department.post(f"/rectifications/{item}/return", headers=htmx,
                               data={"csrf_token": _csrf(shown), "text": "佐证不足"})
    assert "整改中" in returned.text and "退回理由" in returned.text
    assert unit.post(f"/rectifications/{item}/confirm", data={"csrf_token": token}).status_code == 409
    unit.post("/rectifications/respond", data={"csrf_token": token, "item": str(item), "text": "补充批复"})
    confirmed = department.post(f"/rectifications/{item}/confirm", data={"csrf_token": _csrf(shown)})
    assert confirmed.status_code == 303
    final = unit.get(location).text
    assert "已完成" in final and "确认完成" in final and "退回重改——佐证不足" in final
    assert "未完成的整改事项" not in unit.get("/").text


def test_the_list_puts_overdue_first_and_the_finance_bureau_sums_up(sessions: sessionmaker[Session],
                                                                    actors: dict[str, Actor]) -> None:
    people = _users(sessions)
    finance, unit = people["caizheng"], people["danwei"]
    made = []
    for days in (20, 5):
        found = finance.get(f"/api/v1/rectifications/findings/{quote(code := _a_code(finance))}").json()
        first = next(f for f in found if f["source"] == "review" and f["open_item"] is None)
        answer = finance.post("/api/v1/rectifications", json={
            "code": code, "source": "review", "ref": first["ref"], "requirement": f"{days} 天内改正",
            "deadline": (NOW.date() + timedelta(days=days)).isoformat()})
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
    with sessions.begin() as session:  # the second is overdue by 3 days
        session.execute(update(Rectification).where(Rectification.id == made[1])
                        .values(deadline=NOW.date() - timedelta(days=3)))
    listing = unit.get("/api/v1/rectifications").json()
    assert [i["id"] for i in listing["items"]] == [made[1], made[0]]
    assert (listing["items"][0]["status_label"], listing["items"][0]["days_overdue"]) == ("逾期", 3)
    page = unit.get("/rectifications").text
    assert page.index(f'id="rect-{made[1]}"') < page.index(f'id="rect-{made[0]}"') and "逾期 3 天" in page
    assert f'id="rect-{made[0]}"' not in unit.get("/rectifications?state=overdue").text
    assert "其中逾期 1 项" in unit.get("/").text
    assert people["waidanwei"].get("/api/v1/rectifications").json()["total"] == 0
    assert people["waidanwei"].get(f"/api/v1/rectifications/{made[0]}").status_code == 404
    assert unit.get("/rectifications/summary").status_code == 403
    refused = unit.post(f"/api/v1/rectifications/{made[0]}/confirm")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "rectification_move_refused"
    response = unit.post("/api/v1/rectifications/responses", json={
        "item": made[0], "text": "已改", "files": [{"file_name": "说明.pdf",
                                                  "content_base64": base64.b64encode(PDF).decode()}]})
    assert response.status_code == 200 and response.json()["state"] == "awaiting"
    assert response.json()["files"][0]["at"].endswith("+08:00")
    summary = finance.get("/api/v1/rectifications/summary").json()
    assert summary["totals"] == {"total": 2, "open": 2, "overdue": 1, "awaiting": 1, "done": 0}
    assert "重庆市长寿区政务服务管理办公室" in finance.get("/rectifications/summary").text
    workbook = finance.get("/rectifications/summary.xlsx")
    assert workbook.status_code == 200
    book = load_workbook(BytesIO(workbook.content))
    rows = list(book["整改汇总"].iter_rows(values_only=True))
    assert rows[0][:4] == ("主管部门", "整改事项", "未完成", "其中逾期")
    assert next(r for r in rows if r[0] == "合计")[:4] == ("合计", 2, 2, 1)
    assert rows[-1][0].startswith("截至 2026-12-02")
    items = list(book["整改事项"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in items] == ["逾期", "待确认"] and items[0][2] == 3


def _a_code(client: TestClient) -> str:
    found = client.get("/api/v1/projects").json()
    return str(sorted(item["code"] for item in found["items"])[0])


def test_the_deadline_is_moved_in_place_and_the_item_is_no_longer_overdue(sessions: sessionmaker[Session],
                                                                          actors: dict[str, Actor]) -> None:
    people = _users(sessions)
    finance, unit = people["caizheng"], people["danwei"]
    answer = finance.post("/api/v1/rectifications", json={
        "code": _a_code(finance), "source": "other", "finding": "未按时报送监控表", "requirement": "补报",
        "deadline": NOW.date().isoformat()})
    item = answer.json()["id"]
    with sessions.begin() as session:
        session.execute(update(Rectification).where(Rectification.id == item)
                        .values(deadline=NOW.date() - timedelta(days=1)))
    page = finance.get(f"/rectifications/{item}").text
    assert "已逾期 1 天" in page and 'id="deadline-form"' in page
    assert 'id="deadline-form"' not in unit.get(f"/rectifications/{item}").text
    htmx = {"HX-Request": "true"}
    refused = finance.post(f"/rectifications/{item}/deadline", headers=htmx,
                           data={"csrf_token": _csrf(page), "due": "2026-12-31", "reason": ""})
    assert refused.status_code == 200 and "“调整期限的理由”必填" in refused.text
    moved = finance.post(f"/rectifications/{item}/deadline", headers=htmx,
                         data={"csrf_token": _csrf(page), "due": "2026-12-31", "reason": "单位申请延期"})
    assert moved.status_code == 200 and "已逾期" not in moved.text and "2026-12-31" in moved.text
    assert "调整整改期限（2026-12-01 → 2026-12-31）——单位申请延期" in moved.text
    assert unit.get("/api/v1/rectifications?state=overdue").json()["total"] == 0


def test_the_selfeval_monitoring_and_recheck_pages_each_offer_an_item_for_their_finding(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """A low self-evaluation, a red monitoring light and a 复核 that changed the score each link to the new-item form
    with that finding chosen; a unit (who may not assign items) sees no such link."""
    from decimal import Decimal
    from html import unescape

    from sqlalchemy import select

    from jixiao.services import recheck
    from jixiao.storage.models import MonitoringReport, Project, SelfEvaluation, TableVersion
    from tests.storage.test_recheck import COPY, TECH, _item, _publish

    _publish(sessions)
    finance = actors["finance"]
    sample_id, item_id = _item(sessions, finance, COPY)
    recheck.rescore(sessions, finance, sample_id, item_id, [
        {"row": "indicator-0", "score": "20", "reason": "目标已完成，应得满分"}])
    recheck.complete(sessions, finance, sample_id, item_id)
    with sessions.begin() as session:
        version = session.scalar(select(TableVersion.id).join(Project).where(Project.code == TECH)
                                 .order_by(TableVersion.number.desc()))
        session.add(MonitoringReport(version_id=version, month=7, reported={}, spending_light="红",
                                     indicator_light="绿", result={"spending": {"light": "红"}, "indicator_light": "绿",
                                                                   "indicators": []}))
        session.add(SelfEvaluation(version_id=version, reported={}, result={"total": "55.50", "grade": "差"},
                                   total=Decimal("55.5"), grade="差", profile="chongqing"))
    users = _users(sessions)
    reviewer, unit = users["caizheng"], users["danwei"]
    pages = {"score": f"/projects/{TECH}/selfeval", "monitoring": f"/projects/{TECH}/monitoring",
             "recheck": f"/recheck/{sample_id}/items/{item_id}"}
    expected = {"score": "单位自评 55.50 分，等级“差”", "monitoring": "7月运行监控：资金执行红灯、指标完成绿灯",
                "recheck": "财政复核：自评表总分 94.80 分，复核为 99.80 分（优）"}
    for source, path in pages.items():
        page = reviewer.get(path)
        assert page.status_code == 200, page.text
        link = re.search(rf'id="rect-from-{source}" href="([^"]+)"', page.text)
        assert link is not None, source
        form = reviewer.get(unescape(link.group(1)))
        assert form.status_code == 200
        checked = re.search(r'<input type="radio" name="pick" id="pick-\d+" value="[^"]*" checked>\s*<label[^>]*>'
                            r'<span[^>]*>[^<]*</span> ([^<]+)</label>', form.text)
        assert checked is not None and checked.group(1) == expected[source], source
    assert 'id="rect-from-' not in unit.get(pages["score"]).text + unit.get(pages["monitoring"]).text


def test_the_list_page_pages_past_500_items_keeping_its_filters(sessions: sessionmaker[Session],
                                                               actors: dict[str, Actor]) -> None:
    from datetime import date

    from sqlalchemy import select

    from jixiao.storage.models import Organization, Project

    with sessions.begin() as session:
        project = session.scalar(select(Project).order_by(Project.code))
        assert project is not None
        unit = session.scalar(select(Organization.id).where(Organization.code == "145001"))
        session.add_all([Rectification(project_id=project.id, unit_id=unit, source="other", source_ref={},
                                       finding=f"问题{n}", requirement="整改", deadline=date(2027, 1, 1))
                         for n in range(501)])
    reviewer = _users(sessions)["caizheng"]
    first = reviewer.get("/rectifications?state=open")
    assert "共 501 项，第 1–500 项（第 1 / 2 页）" in first.text
    found = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert found is not None and "state=open" in found.group(1) and "page=2" in found.group(1)
    second = reviewer.get(found.group(1).replace("&amp;", "&"))
    assert "第 501–501 项（第 2 / 2 页）" in second.text and second.text.count('<tr id="rect-') == 1
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
