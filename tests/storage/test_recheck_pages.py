"""The 复核 pages and the project page's published self-evaluation, on SQLite and PostgreSQL (issue 14 §5)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.permissions import Actor
from jixiao.web.app import create_app
from tests.storage.test_recheck import COPY, _publish

PASSWORD = "复核页面测试密码-1"


def _client(sessions: sessionmaker[Session], username: str) -> TestClient:
    client = TestClient(create_app(AppContext(sessions)), follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    done = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1),
                                       "next": "/"})
    assert done.status_code == 303, done.text
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_recheck_from_sample_to_report_on_the_pages(sessions: sessionmaker[Session],
                                                      actors: dict[str, Actor]) -> None:
    _publish(sessions)
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None, "区财政局绩效科")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    finance, unit = _client(sessions, "caizheng"), _client(sessions, "danwei")
    assert unit.get("/recheck").status_code == 403 and "只有财政部门审核人可以进行自评复核" in unit.get("/recheck").text
    assert 'id="nav-recheck"' not in unit.get("/projects").text
    page = finance.get("/recheck")
    assert page.status_code == 200 and 'id="nav-recheck"' in page.text and 'value="2022"' in page.text
    bad = finance.post("/recheck", data={"csrf_token": _csrf(page.text), "year": "2022", "size": "零"})
    assert bad.status_code == 422 and "「样本量」应为 1 到 500 之间的整数，收到“零”" in bad.text
    drawn = finance.post("/recheck", data={"csrf_token": _csrf(page.text), "year": "2022", "size": "9",
                                           "seed": "11", "risk_share": "50"})
    assert drawn.status_code == 303
    sample_url = drawn.headers["location"]
    sample = finance.get(sample_url).text
    assert "随机种子 11" in sample and "按风险抽取：风险分" in sample and "随机抽取" in sample
    item_url = re.search(rf'href="({sample_url}/items/\d+)">免费复印</a>', sample)
    assert item_url is not None
    item = finance.get(item_url.group(1)).text
    assert 'name="score-indicator-0"' in item and 'value="15"' in item and "项目支出绩效自评表" in item
    assert 'class="finding' in item  # the audit findings in place
    token = _csrf(item)
    missing = finance.post(item_url.group(1), data={"csrf_token": token, "score-indicator-0": "20"})
    assert missing.status_code == 422 and "必须填写「复核理由」" in missing.text
    assert 'value="20"' in missing.text  # what was typed is kept
    above = finance.post(item_url.group(1), data={"csrf_token": token, "score-indicator-0": "30",
                                                  "reason-indicator-0": "x"}, headers={"HX-Request": "true"})
    assert above.status_code == 200 and "超过该行分值 20" in above.text and "<html" not in above.text
    unknown = finance.post(item_url.group(1), data={"csrf_token": token, "score-indicator-77": "1",
                                                    "reason-indicator-77": "x"})
    assert unknown.status_code == 422 and "本表没有“indicator-77”这一行" in unknown.text
    saved = finance.post(item_url.group(1), data={"csrf_token": token, "score-indicator-0": "20",
                                                  "reason-indicator-0": "目标已完成，应得满分"},
                         headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'id="recheck-total">99.80</strong>' in saved.text
    done = finance.post(f"{item_url.group(1)}/complete", data={"csrf_token": token})
    assert done.status_code == 303
    after = finance.get(sample_url).text
    assert "已完成第" in after and "99.80（优）" in after
    report = finance.get(f"{sample_url}/report.html")
    assert report.status_code == 200 and "2022年度绩效自评复核报告" in report.text
    assert "目标已完成，应得满分" in report.text
    xlsx = finance.get(f"{sample_url}/report.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    pdf = finance.get(f"{sample_url}/report.pdf")
    assert pdf.content.startswith(b"%PDF") and "filename*=UTF-8''" in pdf.headers["content-disposition"]
    assert finance.get(f"{sample_url}/report.docx").status_code == 404
    assert unit.get(f"{sample_url}/report.html").status_code == 403
    # the project page: the published table with its findings beside the unit's own 自评
    project = finance.get(f"/projects/{COPY}").text
    assert 'id="published-selfeval"' in project and 'id="published-total">94.80' in project
    assert "尚未在系统中填报自评" in project and "审计记录" in project and "导入 绩效自评表第1版" in project


def test_the_api_draws_rescores_and_reports(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from jixiao.services.accounts import issue_token

    _publish(sessions)
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None)
    headers = {"Authorization": f"Bearer {issue_token(sessions, 'caizheng', 'API')}"}
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    drawn = client.post("/api/v1/rechecks", json={"year": 2022, "size": 3, "seed": 5}, headers=headers)
    assert drawn.status_code == 200 and len(drawn.json()["items"]) == 3
    sample = drawn.json()
    item = sample["items"][0]
    url = f"/api/v1/rechecks/{sample['id']}/items/{item['id']}"
    refused = client.put(f"{url}/scores", json={"rows": [{"row": "execution", "score": "3"}]}, headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "rescore_refused"
    assert "必须填写「复核理由」" in refused.json()["error"]["message"]
    ok = client.put(f"{url}/scores", json={"rows": [{"row": "execution", "score": "3", "reason": "执行率不足"}]},
                    headers=headers)
    assert ok.status_code == 200 and ok.json()["changed_rows"] == 1
    assert client.post(f"{url}/complete", headers=headers).json()["state"] == "done"
    assert client.post(f"{url}/complete", headers=headers).status_code == 409
    report = client.get(f"/api/v1/rechecks/{sample['id']}/report", headers=headers).json()
    assert report["format"] == "jixiao.recheck" and report["totals"]["done"] == 1
    published = client.get(f"/api/v1/projects/{COPY}/published-self-evaluation", headers=headers).json()
    assert published["published"]["number"] == 1 and published["findings"]
    for bad in ("/api/v1/rechecks/99999999999", f"/api/v1/rechecks/{sample['id']}/items/0", "/api/v1/rechecks/abc"):
        answer = client.get(bad, headers=headers)  # no 500 on PostgreSQL for an id beyond its integers
        error = answer.json()["error"]
        assert answer.status_code == 422 and error["message"] == "请求内容不符合要求，请检查 details 所列字段", bad
        assert error["details"][0]["message"].startswith(("「复核样本编号」", "「样本中的表编号」")), bad
    assert client.get(f"/api/v1/rechecks/{sample['id'] + 1000}", headers=headers).status_code == 404


def test_the_project_page_shows_the_published_table_beside_the_units_own_self_evaluation(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from jixiao.domain.workflow import Action
    from jixiao.services.submissions import submit_self_evaluation
    from jixiao.services.workflow import transition
    from tests.storage.regions import ACTUALS, BUDGET

    for action, who in ((Action.SUBMIT, "unit"), (Action.START_REVIEW, "department"), (Action.FORWARD, "department"),
                        (Action.APPROVE, "finance")):
        transition(sessions, actors[who], COPY, action)
    own = submit_self_evaluation(sessions, actors["unit"], COPY, ACTUALS, BUDGET)
    _publish(sessions)
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    page = _client(sessions, "danwei").get(f"/projects/{COPY}").text
    section = page[page.index('id="selfeval-section"'):page.index('id="versions-h"')]
    assert f'id="own-total">{own["total"]}</td>' in section and 'id="published-total">94.80</td>' in section
    assert "系统填报实际值" in section and "650000" in section  # the unit's own actual beside the published 720000
    row = section[section.index('id="se-row-0"'):section.index('id="se-row-1"')]
    assert "720000" in row and "650000" in row and "A002" in row  # the finding sits under its row
