"""Binary files (xlsx here) through POST /api/v1/imports as base64, on SQLite and PostgreSQL; its Chinese
refusals; a bad self-evaluation JSON reported once per problem; the published 自评表 of a public project read
by the public (its audit and the unit's own 自评 not); times in the region's zone with their offset."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import msgspec
import pdfplumber
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain import TargetTable
from jixiao.io.reading import read_path
from jixiao.reports.registry import RecheckReport, render
from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.services.tables import export_bytes
from jixiao.web.app import create_app
from tests.selfeval_docs import as_bytes, document, filled, seed_tables
from tests.storage.test_api import auth

FORMS = Path(__file__).parents[1] / "data" / "selfeval_tables" / "seed_form.json"
DRAFT = "50011522T000000132359"  # 网络通讯: a draft in the demo
APPROVED = "50011522T000000132369"  # 技术服务: approved in the demo, so public
OFFSET = "+08:00"  # Asia/Shanghai, the shipped profile's zone


@pytest.fixture
def demo(sessions: sessionmaker[Session]) -> tuple[TestClient, dict[str, str]]:
    tokens = {user: token for user, _role, _password, token in load_demo(sessions).accounts}
    return TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False), tokens


def _post(client: TestClient, token: str, name: str, data: bytes) -> dict[str, object]:
    response = client.post("/api/v1/imports", headers=auth(token),
                           json={"file_name": name, "content_base64": base64.b64encode(data).decode()})
    assert response.status_code == 200, response.text
    return response.json()


def test_an_xlsx_self_evaluation_and_target_table_import_as_base64(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    forms = [r.table for r in read_path(FORMS) if r.table is not None]
    one = [t for t in forms if t.project_code == DRAFT]
    done = _post(client, tokens["admin"], "自评.xlsx", export_bytes(one, "xlsx"))
    assert (done["status"], done["self_evaluations"], done["new_self_evaluations"]) == ("imported", 1, 1), done
    shown = client.get(f"/api/v1/projects/{DRAFT}/published-self-evaluation", headers=auth(tokens["admin"]))
    assert shown.status_code == 200 and shown.json()["published"]["content"]["project_name"] == one[0].project_name
    changed = msgspec.structs.replace(seed_tables()[DRAFT], annual_goal="新的年度目标：经 xlsx 导入。")
    assert isinstance(changed, TargetTable)
    target = _post(client, tokens["unit145001"], "目标表.xlsx", export_bytes([changed], "xlsx"))
    assert (target["status"], target["tables"], target["new_versions"]) == ("imported", 1, 1), target
    detail = client.get(f"/api/v1/projects/{DRAFT}", headers=auth(tokens["unit145001"])).json()
    assert detail["table"]["annual_goal"] == "新的年度目标：经 xlsx 导入。"


def test_content_and_base64_exactly_one_and_valid(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    cases = [{"file_name": "a.txt"}, {"file_name": "a.txt", "content": "x", "content_base64": "eA=="},
             {"file_name": "a.xlsx", "content_base64": "不是base64!"}]
    answers = [client.post("/api/v1/imports", json=body, headers=auth(tokens["admin"])) for body in cases]
    assert [a.status_code for a in answers] == [422, 422, 422]
    messages = [a.json()["error"]["message"] for a in answers]
    assert "两项都没有提供" in messages[0] and "不能同时提供" in messages[1]
    assert "“a.xlsx”的 content_base64 不是有效的 base64 编码" in messages[2]


def test_a_bad_self_evaluation_json_names_each_problem_once(demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    bad = json.dumps({"format_version": 1, "kind": "self_evaluation", "year": "abc"})
    done = client.post("/api/v1/imports", json={"file_name": "坏.json", "content": bad},
                       headers=auth(tokens["admin"])).json()
    messages = [d["message"] for d in done["diagnostics"]]
    assert done["status"] == "refused" and len(messages) == len(set(messages)) == 2, messages
    assert any("缺少必填项「项目编码」、「项目名称」、「绩效指标」" in m for m in messages)


def test_the_public_reads_the_published_self_evaluation_of_a_public_project_only(
        demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    done = _post(client, tokens["admin"], "自评.json", as_bytes(document(filled(APPROVED)), document(filled(DRAFT))))
    assert done["new_self_evaluations"] == 2, done
    public = client.get(f"/api/v1/projects/{APPROVED}/published-self-evaluation")
    assert public.status_code == 200, public.text
    body = public.json()
    assert body["published"]["content"]["project_code"] == APPROVED and body["published"]["number"] == 1
    assert body["published"]["at"].endswith(OFFSET) and [v["number"] for v in body["versions"]] == [1]
    assert "findings" not in body and "own" not in body  # the audit and the unit's own 自评 stay non-public
    assert client.get(f"/api/v1/projects/{DRAFT}/published-self-evaluation").status_code == 404  # not public
    reviewer = client.get(f"/api/v1/projects/{APPROVED}/published-self-evaluation",
                          headers=auth(tokens["finance"])).json()
    assert "findings" in reviewer and "own" in reviewer


def test_recheck_times_are_in_the_regions_zone_and_the_report_names_the_profile(
        demo: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = demo
    _post(client, tokens["admin"], "自评.json", as_bytes(*(document(filled(code)) for code in seed_tables())))
    finance = auth(tokens["finance"])
    drawn = client.post("/api/v1/rechecks", json={"year": 2022, "size": 3, "seed": 5}, headers=finance)
    assert drawn.status_code == 200, drawn.text
    sample = drawn.json()
    moment = datetime.fromisoformat(sample["created_at"])
    assert sample["created_at"].endswith(OFFSET) and abs((datetime.now(UTC) - moment).total_seconds()) < 600
    listed = client.get("/api/v1/rechecks", headers=finance).json()
    shown = client.get(f"/api/v1/rechecks/{sample['id']}", headers=finance).json()
    assert listed[0]["created_at"] == shown["created_at"] == sample["created_at"]
    first = sample["items"][0]
    client.put(f"/api/v1/rechecks/{sample['id']}/items/{first['id']}/scores", headers=finance,
               json={"rows": [{"row": "execution", "score": "5", "reason": "执行率计算有误"}]})
    client.post(f"/api/v1/rechecks/{sample['id']}/items/{first['id']}/complete", headers=finance)
    second = sample["items"][1]  # re-scored but not completed: not in the averages
    client.put(f"/api/v1/rechecks/{sample['id']}/items/{second['id']}/scores", headers=finance,
               json={"rows": [{"row": "execution", "score": "0", "reason": "未执行"}]})
    report = client.get(f"/api/v1/rechecks/{sample['id']}/report", headers=finance).json()
    assert report["sample"]["created_at"] == sample["created_at"] and report["averages_of"] == "done"
    assert report["sample"]["profile_title"] == "重庆（长寿区公开版式）"
    totals = report["totals"]
    assert (totals["tables"], totals["done"]) == (3, 1)
    assert (totals["published_average"], totals["recheck_average"], totals["average_difference"]) == \
        ("99.80", "95.00", "-4.80")  # the second table (re-scored to 90.00, not completed) not counted
    html = render(RecheckReport(report), "html")  # the same dict the HTML, xlsx and PDF downloads render
    assert isinstance(html, str) and "配置：重庆（长寿区公开版式）" in html and "配置 chongqing" not in html
    assert "已复核 1 张 / 抽取 3 张" in html and "自评平均分（已复核的表）" in html
    assert f"抽取时间 {datetime.fromisoformat(sample['created_at']).strftime('%Y-%m-%d %H:%M')}" in html
    book = load_workbook(BytesIO(render(RecheckReport(report), "xlsx")))  # type: ignore[arg-type]
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["配置"] == "重庆（长寿区公开版式）" and about["已复核"] == "1 张 / 抽取 3 张"
    assert next(book["汇总"].iter_rows(values_only=True))[6] == "自评平均分（已复核的表）"
    pdf = render(RecheckReport(report), "pdf")
    assert isinstance(pdf, bytes)
    with pdfplumber.open(BytesIO(pdf)) as document_pdf:
        text = "".join((page.extract_text() or "").replace("\n", "") for page in document_pdf.pages)
    assert "重庆（长寿区公开版式）" in text and "已复核 1 张 / 抽取 3 张" in text
