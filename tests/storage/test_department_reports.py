"""The 部门自评综合报告 on SQLite and PostgreSQL: a department's projects of a year, figures traced and worked by hand.

Three of the seed's nine projects (department 145, 2022) get a stored self-evaluation; the report's sums,
rate and average are checked against arithmetic done here, each figure against the field it names, and the
Word file is read back with python-docx.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.reports.selfeval_report import Figure, Report, ToWrite
from jixiao.services import department_reports
from jixiao.services.accounts import add_user, issue_token
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.storage.models import Project, SelfEvaluation, TableVersion
from tests.storage.test_recheck import COPY, TECH
from tests.storage.test_recheck_pages import PASSWORD, _client

WATER = "50011522T000000132149"
# code → (total, grade, 全年预算数, 全年执行数, 预算执行率, 须说明原因)
EVALUATED = {COPY: ("95.50", "优", "40.00", "38.00", "0.95", False),
             WATER: ("72.50", "中", "177.12", "100.00", "0.5646", True),
             TECH: ("85.00", "良", "15.00", "15.00", "1", False)}


def _evaluate(sessions: sessionmaker[Session]) -> dict[str, int]:
    """The three self-evaluations as the 自评 form stores them; their record numbers."""
    records = {}
    with sessions.begin() as session:
        for code, (total, grade, adjusted, executed, rate, needs) in EVALUATED.items():
            version = session.scalar(select(TableVersion).join(Project).where(Project.code == code)
                                     .order_by(TableVersion.number.desc()))
            assert version is not None
            result = {"total": total, "grade": grade, "execution": {
                "adjusted": adjusted, "executed": executed, "rate": rate, "needs_reason": needs}}
            stored = SelfEvaluation(version_id=version.id, reported={"budget": {"adjusted": adjusted}}, result=result,
                                    total=Decimal(total), grade=grade, profile="chongqing")
            session.add(stored)
            session.flush()
            records[code] = stored.id
    return records


def _text(report: Report) -> str:
    return "\n".join("".join(run if isinstance(run, str) else run.text if isinstance(run, Figure)
                             else f"【待填写：{run.prompt}】" for run in paragraph)
                     for section in report.sections for paragraph in section.paragraphs)


def _figures(report: Report) -> list[Figure]:
    return [run for section in report.sections for paragraph in section.paragraphs for run in paragraph
            if isinstance(run, Figure)]


def test_the_summary_lists_every_project_of_the_year_with_its_latest_self_evaluation(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    records = _evaluate(sessions)
    with sessions() as session:
        summary = department_reports.department_summary(session, actors["department"], "145", 2022)
    rows = {row["code"]: row for row in summary["projects"]}
    assert len(rows) == 9 and [row["number"] for row in summary["projects"]] == list(range(1, 10))
    assert rows[WATER]["record"] == records[WATER] and rows[WATER]["grade"] == "中"
    assert (rows[WATER]["adjusted"], rows[WATER]["executed"], rows[WATER]["needs_reason"]) == ("177.12", "100.00", True)
    assert sum(1 for row in rows.values() if row["record"] is None) == 6


def test_every_figure_is_worked_from_the_stored_fields_and_traced(sessions: sessionmaker[Session],
                                                                   actors: dict[str, Actor]) -> None:
    records = _evaluate(sessions)
    with sessions() as session:
        report, content = department_reports.department_report(session, actors["finance"], "145", 2022, "docx")
    text = _text(report)
    # 40.00 + 177.12 + 15.00 = 232.12; 38.00 + 100.00 + 15.00 = 153.00; 153.00 ÷ 232.12 = 65.91 %
    assert "共有项目 9 个，其中已提交自评的 3 个" in text
    assert "已自评项目全年预算数合计 232.12 万元，全年执行数合计 153.00 万元，总体预算执行率 65.91%。" in text
    # (95.50 + 72.50 + 85.00) ÷ 3 = 84.33; one of each of 优, 良, 中
    assert "已计分的 3 个项目自评平均分 84.33 分。其中“优”1 个、“良”1 个、“中”1 个。" in text
    figures = _figures(report)
    rate = next(f for f in figures if f.text == "65.91%")
    assert rate.trace.field == "总体预算执行率（153.00 ÷ 232.12 × 100%）" and rate.trace.value == "65.91"
    average = next(f for f in figures if f.text == "84.33 分")
    assert average.trace.field == "平均分（253.00 ÷ 3）"
    by_record = {code: f"项目“{name}”自评填报第 {records[code]} 号" for code, name in _names(sessions).items()}
    for figure in figures:  # a project's figure is its stored field, as the trace says
        for code, record in by_record.items():
            if figure.trace.table == record and figure.trace.field == "自评总分":
                assert figure.trace.value == EVALUATED[code][0] and figure.text == f"{EVALUATED[code][0]} 分"
    # 偏差: the 中 project and the slow one (WATER is both), each with what the department must write
    assert text.count("自评等级“中”（72.50 分），失分原因：【待填写：") == 1
    assert "预算执行率 56.46% 未达到要求" in text
    # 结果应用: chongqing maps 中 to 核减 10 %
    assert "自评等级“中”的 1 个项目对应“核减 10%”" in text
    # numbers outside figures: only the year and the appendix's item numbers
    plain = " ".join(run for section in report.sections for paragraph in section.paragraphs for run in paragraph
                     if isinstance(run, str))
    assert re.findall(r"\d+", re.sub(r"\b2022\b|(?:^|\s)\d+\. ", " ", plain)) == []
    assert any(isinstance(run, ToWrite) for section in report.sections for paragraph in section.paragraphs
               for run in paragraph)
    from docx import Document

    document = Document(BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == report.title and report.title.endswith("2022年度项目支出绩效自评综合报告")
    sources = paragraphs[paragraphs.index("数据来源") + 1:]
    assert len(sources) == len(figures) and sources[0].startswith("[1] ")
    assert any("232.12 万元[" in p for p in paragraphs)


def _names(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return {code: name or code for code, name in session.execute(
            select(Project.code, Project.name).where(Project.code.in_(list(EVALUATED))))}


def test_who_may_report_on_which_department(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with sessions() as session:
        assert [d["code"] for d in department_reports.departments(session, actors["department"])] == ["145"]
        assert {"145", "999"} <= {d["code"] for d in department_reports.departments(session, actors["finance"])}
        with pytest.raises(PermissionDenied, match="只有主管部门、财政部门和管理员可以生成部门自评综合报告"):
            department_reports.department_summary(session, actors["unit"], "145", 2022)
        with pytest.raises(department_reports.DepartmentNotFound, match="没有编码为“145”的主管部门"):
            department_reports.department_summary(session, actors["other_department"], "145", 2022)
        with pytest.raises(department_reports.DepartmentReportRefused, match="格式应为 docx、pdf 之一"):
            department_reports.department_report(session, actors["finance"], "145", 2022, "xlsx")


def test_the_page_the_download_and_the_api(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from fastapi.testclient import TestClient

    from jixiao.services.context import AppContext
    from jixiao.web.app import create_app

    _evaluate(sessions)
    add_user(sessions, "bumen", PASSWORD, Role.DEPARTMENT_REVIEWER, "145", "区行政服务中心")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    department, unit = _client(sessions, "bumen"), _client(sessions, "danwei")
    page = department.get("/department-reports?year=2022")
    assert page.status_code == 200, page.text[-1500:]
    assert 'id="nav-department-reports"' in page.text
    assert "2022 年度：项目 9 个，已自评 3 个。" in page.text
    assert "/department-reports/145/2022/report.docx" in page.text
    refused = unit.get("/department-reports")
    assert refused.status_code == 403 and "只有主管部门、财政部门和管理员可以生成部门自评综合报告" in refused.text
    assert 'id="nav-department-reports"' not in unit.get("/projects").text
    word = department.get("/department-reports/145/2022/report.docx")
    assert word.status_code == 200 and word.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert department.get("/department-reports/145/2022/report.xlsx").status_code == 404
    assert department.get("/department-reports/999/2022/report.docx").status_code == 404
    client = TestClient(create_app(AppContext(sessions)), raise_server_exceptions=False)
    token = issue_token(sessions, "bumen", "test")
    found = client.get("/api/v1/departments/145/selfeval-summary/2022", headers={"Authorization": f"Bearer {token}"})
    body: dict[str, Any] = found.json()
    assert found.status_code == 200 and body["department_code"] == "145" and len(body["projects"]) == 9
    assert client.get("/api/v1/departments/reportable", headers={"Authorization": f"Bearer {token}"}).json() == [
        {"code": "145", "name": body["department"]}]
    other = client.get("/api/v1/departments/999/selfeval-summary/2022", headers={"Authorization": f"Bearer {token}"})
    assert other.status_code == 404 and other.json()["error"]["code"] == "department_not_found"
