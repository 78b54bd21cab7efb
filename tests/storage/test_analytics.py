"""统计分析 on SQLite and PostgreSQL: the summary rows follow every write, each view's figures are worked by hand
from the seed (nine 2022 tables of department 145), and a department sees only its own units in every view,
page and export.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Action, Role
from jixiao.services import analytics, analytics_facts
from jixiao.services.accounts import add_user
from jixiao.services.analytics import AnalyticsFilterRefused, Filters, UnknownView
from jixiao.services.analytics_ranges import range_counts
from jixiao.services.exports import analytics_file
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.workflow import transition
from jixiao.storage.models import (
    LibraryEntry,
    LibraryObservation,
    Organization,
    Project,
    ProjectFacts,
    PublishedSelfEvaluation,
    SelfEvaluation,
    TableVersion,
)
from tests.storage.test_department_reports import EVALUATED, WATER, _evaluate
from tests.storage.test_recheck import COPY, TECH
from tests.storage.test_recheck_pages import PASSWORD, _client

ALL = Filters()


def _facts(session: Session, code: str) -> ProjectFacts:
    found = session.scalar(select(ProjectFacts).join(Project, Project.id == ProjectFacts.project_id)
                           .where(Project.code == code))
    assert found is not None
    return found


def _other_project(sessions: sessionmaker[Session], total: str = "50.00") -> None:
    """A 2022 project of the other department's unit (999001), with one version."""
    with sessions.begin() as session:
        unit = session.scalar(select(Organization).where(Organization.code == "999001"))
        source = session.scalar(select(TableVersion).join(Project).where(Project.code == COPY))
        assert unit is not None and source is not None
        project = Project(code="50011522R000000999999", name="另一个部门的项目", unit_id=unit.id, fiscal_year=2022,
                          state="draft")
        session.add(project)
        session.flush()
        session.add(TableVersion(project_id=project.id, number=1, content=source.content,
                                 content_hash="other", total_wan=Decimal(total)))


def test_the_rows_follow_every_write_in_its_own_transaction(sessions: sessionmaker[Session],
                                                            actors: dict[str, Actor]) -> None:
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProjectFacts)) == 9
        row = _facts(session, WATER)
        department = session.scalar(select(Organization.id).where(Organization.code == "145"))
        assert (row.fiscal_year, row.category, row.state, row.department_id) == (2022, "T", "draft", department)
        total = session.scalar(select(TableVersion.total_wan).join(Project).where(Project.code == WATER))
        assert total is not None and row.total_yuan == int(total * 10_000)  # exact integers: 元
    transition(sessions, actors["unit"], WATER, Action.SUBMIT, None)
    _evaluate(sessions)
    with sessions() as session:
        row = _facts(session, WATER)
        # kept as integers: the score in hundredths, the ratio 0.5646 in ten-thousandths
        assert (row.state, row.score_x100, row.selfeval_grade, row.rate_x10000, row.selfeval_source) == (
            "submitted", 7250, "中", 5646, "system")
    with pytest.raises(RuntimeError), sessions.begin() as session:  # a rolled-back write leaves the rows as they were
        project = session.scalar(select(Project).where(Project.code == WATER))
        assert project is not None
        project.state = "approved"
        raise RuntimeError("回滚")
    with sessions() as session:
        assert _facts(session, WATER).state == "submitted"


def test_refresh_all_and_refresh_missing_rebuild_what_the_bulk_loader_leaves_out(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _evaluate(sessions)
    with sessions() as session:
        before = {r.project_id: (r.state, r.total_yuan, r.score_x100, r.rate_x10000)
                  for r in session.scalars(select(ProjectFacts))}
    with sessions.begin() as session:
        session.execute(ProjectFacts.__table__.delete())  # as Core writes (the bulk loader) leave them: no rows
    assert analytics_facts.refresh_missing(sessions) == 9
    assert analytics_facts.refresh_missing(sessions) == 0
    assert analytics_facts.refresh_all(sessions) == 9
    with sessions() as session:
        after = {r.project_id: (r.state, r.total_yuan, r.score_x100, r.rate_x10000)
                 for r in session.scalars(select(ProjectFacts))}
    assert after == before


def test_money_sums_the_current_totals_by_department_and_category(sessions: sessionmaker[Session],
                                                                  actors: dict[str, Actor]) -> None:
    _other_project(sessions, "50.00")
    with sessions() as session:
        totals = [t for t in session.scalars(select(TableVersion.total_wan).join(Project)
                                             .where(Project.code.like("50011522T%"))) if t is not None]
        found = analytics.view(session, actors["finance"], "money", ALL)
    rows = {row["department"]: row for row in found.rows}
    seed = rows["重庆市长寿区政务服务管理办公室"]
    assert seed["projects"] == 9 and Decimal(seed["total"]) == sum(totals) and seed["c_T"] == seed["total"]
    assert rows["另一个部门"] == {"department": "另一个部门", "projects": 1, "total": "50.00", "c_R": "50.00",
                                  "c_T": "0.00", "link": {"department": "999"}}
    assert [c.label for c in found.columns] == ["主管部门", "项目数", "项目总额合计（万元）", "人员类（万元）",
                                                "特定目标类（万元）"]
    assert found.chart["categories"] == [row["department"] for row in found.rows]  # the chart draws the rows
    assert [s["name"] for s in found.chart["series"]] == ["人员类", "特定目标类"]


def test_a_department_sees_only_its_own_units_in_every_view_and_export(sessions: sessionmaker[Session],
                                                                      actors: dict[str, Actor]) -> None:
    _other_project(sessions)
    with sessions() as session:
        for key in analytics.VIEWS:
            own = analytics.as_dict(analytics.view(session, actors["department"], key, ALL))
            other = analytics.as_dict(analytics.view(session, actors["other_department"], key, ALL))
            assert "另一个部门" not in str(own) and "另一个部门的项目" not in str(own), key
            assert "政务服务管理办公室" not in str(other), key
        money = analytics.view(session, actors["other_department"], "money", ALL)
        assert [(r["department"], r["projects"]) for r in money.rows] == [("另一个部门", 1)]
        export = analytics_file(session, actors["department"], "money", ALL)
        choices = analytics.filter_choices(session, actors["department"])
    sheet = openpyxl.load_workbook(BytesIO(export.content)).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][:3] == ["主管部门", "项目数", "项目总额合计（万元）"]
    assert cells[1][0] == "重庆市长寿区政务服务管理办公室" and cells[1][1] == 9  # a number Excel can sum
    assert not any("另一个部门" in str(value) for row in cells for value in row)
    assert [d["code"] for d in choices["departments"]] == ["145"]


def test_who_may_see_the_views_and_what_a_wrong_filter_says(sessions: sessionmaker[Session],
                                                          actors: dict[str, Actor]) -> None:
    with sessions() as session:
        with pytest.raises(PermissionDenied, match="统计分析供主管部门、财政部门和管理员查看"):
            analytics.view(session, actors["unit"], "money", ALL)
        with pytest.raises(UnknownView, match="没有统计视图“nope”"):
            analytics.view(session, actors["finance"], "nope", ALL)
        with pytest.raises(AnalyticsFilterRefused, match="没有编码为“888”的主管部门"):
            analytics.view(session, actors["finance"], "money", Filters(department="888"))
        with pytest.raises(AnalyticsFilterRefused, match="项目类别"):
            analytics.view(session, actors["finance"], "money", Filters(category="X"))
        assert analytics.view(session, actors["finance"], "money", Filters(year=2021)).rows == []
        assert len(analytics.view(session, actors["finance"], "money", Filters(2022, "145", "T")).rows) == 1
    with pytest.raises(AnalyticsFilterRefused, match="“年度”应为四位数字的年份"):
        analytics.filters_of("20x2", None, None)


def test_grades_count_the_review_and_self_evaluation_grades(sessions: sessionmaker[Session],
                                                           actors: dict[str, Actor]) -> None:
    _evaluate(sessions)
    with sessions() as session:
        review = dict(session.execute(select(Project.review_grade, func.count()).group_by(Project.review_grade)).all())
        found = analytics.view(session, actors["finance"], "grades", ALL)
    (row,) = found.rows
    assert {g: row[f"r_{g}"] for g in analytics.GRADES} == {g: review.get(g, 0) for g in analytics.GRADES}
    assert (row["evaluated"], row["s_优"], row["s_良"], row["s_中"], row["s_差"]) == (3, 1, 1, 1, 0)
    assert row["excellent_share"] == "33.3"


def test_execution_counts_each_cell_and_lists_high_scores_on_little_spent(sessions: sessionmaker[Session],
                                                                         actors: dict[str, Actor]) -> None:
    _evaluate(sessions)  # COPY 95.50 at 95 %, WATER 72.50 at 56.46 %, TECH 85.00 at 100 %
    with sessions.begin() as session:
        version = session.scalar(select(TableVersion).join(Project).where(Project.code == WATER))
        assert version is not None
        session.add(SelfEvaluation(version_id=version.id, reported={}, result={"execution": {"rate": "0.4"}},
                                   total=Decimal("92.00"), grade="优", profile="chongqing"))  # the latest: inflated
    with sessions() as session:
        found = analytics.view(session, actors["finance"], "execution", ALL)
    cells = {(row["score_band"], column.label): row[column.key] for row in found.rows for column in found.columns[1:-1]
             if row[column.key]}
    assert cells == {("90–100", "执行率 90–100%"): 1, ("90–100", "执行率 40–60%"): 1,
                     ("80–90", "执行率 100% 及以上"): 1}
    assert sum(row["projects"] for row in found.rows) == 3 == sum(p[2] for p in found.chart["points"])
    assert found.extra["flagged_count"] == 1
    assert [(r["code"], r["score"], r["rate"]) for r in found.extra["flagged"]] == [(WATER, "92.00", "40.00")]
    assert set(EVALUATED) == {COPY, WATER, TECH}


def test_credibility_counts_the_warnings_and_errors_of_each_published_audit(sessions: sessionmaker[Session],
                                                                           actors: dict[str, Actor]) -> None:
    audits = {COPY: [{"severity": "warning"}, {"severity": "error"}, {"severity": "info"}], TECH: []}
    with sessions.begin() as session:
        for code, findings in audits.items():
            project = session.scalar(select(Project).where(Project.code == code))
            assert project is not None
            session.add(PublishedSelfEvaluation(project_id=project.id, number=1, year=2022, content={},
                                                content_hash=code, total_score=Decimal("90"), grade="优",
                                                matched_by="code", audit={"key": {}, "findings": findings}))
    with sessions() as session:
        found = analytics.view(session, actors["department"], "credibility", ALL)
        assert _facts(session, TECH).selfeval_source == "published"  # no 自评 in jixiao: the published one counts
    (row,) = found.rows
    assert (row["audited"], row["with_signals"], row["signals"], row["share"], row["per_table"]) == (2, 1, 2, "50.0",
                                                                                                       "1.00")
    assert row["link"] == {"unit": "145001"}


def test_ranges_count_targets_outside_the_comparable_range_on_the_easy_side(sessions: sessionmaker[Session],
                                                                           actors: dict[str, Actor]) -> None:
    targets = ("80", "85", "90", "95", "96", "98")  # q1 (inclusive) = 85 + 0.25 × 5 = 86.25: 80 and 85 are below
    with sessions.begin() as session:
        codes = list(session.scalars(select(Project.code).order_by(Project.code)))[:len(targets)]
        session.add(LibraryEntry(key="服务对象满意度", name="服务对象满意度", level1="满意度指标", unit="%",
                                 direction="正向", status="approved", core=False, origin="starter", version=1))
        for code, target in zip(codes, targets, strict=True):
            project_id = session.scalar(select(Project.id).where(Project.code == code))
            assert project_id is not None
            session.add(LibraryObservation(key="服务对象满意度", name="服务对象满意度", project_id=project_id,
                                           project_code=code, unit="%", operator="≥", target=Decimal(target)))
        session.flush()
        counts = range_counts(session, 5)
        assert sorted(counts.values()) == [(1, 0)] * 4 + [(1, 1)] * 2
        assert range_counts(session, 7) == {}  # fewer comparable projects than the profile asks for: no range
        analytics_facts.set_ranges(session, counts)
    with sessions() as session:
        (row,) = analytics.view(session, actors["finance"], "ranges", ALL).rows
        assert (row["ranged"], row["below"], row["share"]) == (6, 2, "33.3")
    analytics_facts.refresh_all(sessions)  # a refresh keeps the library build's counts
    with sessions() as session:
        (row,) = analytics.view(session, actors["finance"], "ranges", ALL).rows
        assert (row["ranged"], row["below"]) == (6, 2)


def test_trends_compare_the_years_whatever_year_is_chosen(sessions: sessionmaker[Session],
                                                         actors: dict[str, Actor]) -> None:
    _evaluate(sessions)
    with sessions() as session:
        found = analytics.view(session, actors["finance"], "trends", Filters(year=2022))
        same = analytics.view(session, actors["finance"], "trends", Filters(year=2031))
    (row,) = found.rows
    mean = (sum(Decimal(v[0]) for v in EVALUATED.values()) / 3).quantize(Decimal("0.01"))
    assert (row["year"], row["projects"], row["evaluated"], row["mean_score"]) == ("2022", 9, 3, format(mean, "f"))
    assert row["mean_rate"] == format(((Decimal("95") + Decimal("56.46") + Decimal("100")) / 3)
                                      .quantize(Decimal("0.01")), "f")
    assert same.rows == found.rows


def _rows_of(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"')[1].split("</table>")[0].split("<tbody>")[1]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_the_pages_show_each_view_with_its_table_drill_down_and_export(sessions: sessionmaker[Session],
                                                                      actors: dict[str, Actor]) -> None:
    add_user(sessions, "bumen", PASSWORD, Role.DEPARTMENT_REVIEWER, "145")
    add_user(sessions, "danwei", PASSWORD, Role.UNIT_EDITOR, "145001")
    department, unit = _client(sessions, "bumen"), _client(sessions, "danwei")
    assert department.get("/analytics").headers["location"] == "/analytics/money"
    for key, (title, _) in analytics.VIEWS.items():
        page = department.get(f"/analytics/{key}?year=2022")
        assert page.status_code == 200, key
        assert "<h2>" in page.text and f'aria-current="page">{title}</a>' in page.text, key
        assert 'id="analytics-data"' in page.text and f'/analytics/{key}/export.xlsx?year=2022' in page.text
    money = department.get("/analytics/money").text
    assert 'id="nav-analytics"' in money and 'id="analytics-chart"' in money
    (row,) = _rows_of(money, "analytics-table")
    link = re.search(r'href="(/projects\?[^"]+)"', row)
    assert link is not None and link.group(1) == "/projects?department=145"
    listed = department.get(link.group(1).replace("&amp;", "&") + "&category=T")
    assert listed.status_code == 200 and listed.text.count('href="/projects/50011522T') >= 9
    assert 'href="/projects/50011522T' not in department.get("/projects?category=R").text
    assert "「项目类别」没有“X”这个选项" in department.get("/projects?category=X").text
    export = department.get("/analytics/grades/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    wrong = department.get("/analytics/money?year=abc")
    assert wrong.status_code == 422 and "“年度”应为四位数字的年份" in wrong.text
    assert department.get("/analytics/nope").status_code == 404
    refused = unit.get("/analytics/money")
    assert refused.status_code == 403 and "统计分析供主管部门、财政部门和管理员查看" in refused.text
    assert 'id="nav-analytics"' not in unit.get("/projects").text



def test_the_api_returns_each_view_as_the_page_shows_it(sessions: sessionmaker[Session],
                                                       actors: dict[str, Actor]) -> None:
    from fastapi.testclient import TestClient

    from jixiao.services.accounts import issue_token
    from jixiao.services.context import AppContext
    from jixiao.web.app import create_app

    _other_project(sessions)
    add_user(sessions, "bumen", PASSWORD, Role.DEPARTMENT_REVIEWER, "145")
    add_user(sessions, "caizheng", PASSWORD, Role.FINANCE_REVIEWER, None)
    client = TestClient(create_app(AppContext(sessions)))
    department = {"Authorization": f"Bearer {issue_token(sessions, 'bumen', '测试')}"}
    finance = {"Authorization": f"Bearer {issue_token(sessions, 'caizheng', '测试')}"}
    own = client.get("/api/v1/analytics/money", headers=department).json()
    everything = client.get("/api/v1/analytics/money?year=2022", headers=finance).json()
    assert [row["department"] for row in own["rows"]] == ["重庆市长寿区政务服务管理办公室"]
    assert sorted(row["department"] for row in everything["rows"]) == ["另一个部门", "重庆市长寿区政务服务管理办公室"]
    assert everything["filters"] == ["年度：2022"] and everything["columns"][0] == {
        "key": "department", "label": "主管部门", "kind": "text"}
    with sessions() as session:  # the same figures as the service gives the page
        assert own == analytics.as_dict(analytics.view(session, actors["department"], "money", ALL))
    choices = client.get("/api/v1/analytics", headers=department).json()
    assert [d["code"] for d in choices["departments"]] == ["145"] and choices["years"] == [2022]
    missing = client.get("/api/v1/analytics/nope", headers=finance)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "analytics_view_not_found"
    wrong = client.get("/api/v1/analytics/money?year=20x2", headers=finance)
    assert wrong.status_code == 422 and "年度" in wrong.json()["error"]["message"]
    assert client.get("/api/v1/analytics/money").status_code == 403  # the public


def test_a_cached_view_is_counted_again_after_any_write_to_its_rows(sessions: sessionmaker[Session],
                                                                  actors: dict[str, Actor]) -> None:
    with sessions() as session:
        before = analytics.view(session, actors["finance"], "grades", ALL)
        assert analytics.view(session, actors["finance"], "grades", ALL) is before  # the same data: kept
        assert analytics.view(session, actors["department"], "grades", ALL) is not before  # another scope
    _evaluate(sessions)  # three self-evaluations: a new generation of the rows
    with sessions() as session:
        after = analytics.view(session, actors["finance"], "grades", ALL)
    assert (before.rows[0]["evaluated"], after.rows[0]["evaluated"]) == (0, 3)
