"""The finance bureau's 复核 on SQLite and PostgreSQL: draw, re-score with reasons, finish, report (issue 14 §5)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.reports.registry import RecheckReport, render
from jixiao.services import recheck
from jixiao.services.imports import import_bytes
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.recheck_report import recheck_report
from jixiao.storage.models import AuditEntry, Organization, User
from tests.selfeval_docs import as_bytes, document, filled, seed_tables, with_scores

COPY = "50011522T000000157087"  # 免费复印: published with a target met yet 5 points deducted
TECH = "50011522T000000132369"  # 技术服务: a 总分 the rows cannot reach


def _publish(sessions: sessionmaker[Session]) -> None:
    """Every seed project's published 自评表; two of them with the defects audits look for."""
    documents = [document(filled(code)) for code in seed_tables() if code not in (COPY, TECH)]
    deducted = with_scores(COPY, {0: "15"}, total="94.80")
    inflated = document(filled(TECH), published_total_score="110")
    done = import_bytes(sessions, as_bytes(*documents, deducted, inflated), "全区自评表.json")
    assert done.status == "imported" and done.new_self_evaluations == 9, done.diagnostics


def _finance(sessions: sessionmaker[Session], name: str, org: str | None) -> Actor:
    with sessions.begin() as session:
        found = session.scalar(select(Organization.id).where(Organization.code == org)) if org else None
        user = User(username=name, display_name=name, role=Role.FINANCE_REVIEWER.value, organization_id=found)
        session.add(user)
        session.flush()
        return Actor(user.id, Role.FINANCE_REVIEWER, found)


def test_a_sample_is_drawn_by_risk_and_at_random_reproducibly(sessions: sessionmaker[Session],
                                                              actors: dict[str, Actor]) -> None:
    _publish(sessions)
    finance = actors["finance"]
    first = recheck.draw_sample(sessions, finance, 2022, 4, seed=7, risk_share=50)
    assert (first["candidates"], first["size"], first["seed"], len(first["items"])) == (9, 4, 7, 4)
    assert [i["chosen_by"] for i in first["items"]] == ["risk", "risk", "random", "random"]
    risky = {i["project_code"]: i for i in first["items"] if i["chosen_by"] == "risk"}
    assert all(i["reasons"][0].startswith("按风险抽取：风险分 ") and i["risk"] > 0 for i in risky.values())
    again = recheck.draw_sample(sessions, finance, 2022, 4, seed=7, risk_share=50)
    assert [i["project_code"] for i in again["items"]] == [i["project_code"] for i in first["items"]]
    everything = recheck.draw_sample(sessions, finance, 2022, 50, seed=1, risk_share=0)
    risks = {i["project_code"]: i["risk"] for i in everything["items"]}
    assert len(risks) == 9 and {i["chosen_by"] for i in everything["items"]} == {"random"}
    clean = [risk for code, risk in risks.items() if code not in (COPY, TECH)]
    assert risks[COPY] > max(clean) and risks[TECH] > max(clean)  # the defects raise the risk
    with sessions() as session:
        listed = recheck.list_samples(session, finance)
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "recheck.sample")
                               .order_by(AuditEntry.id))
    assert [s["id"] for s in listed] == [everything["id"], again["id"], first["id"]]
    assert entry is not None and entry.after["seed"] == 7 and entry.after["candidates"] == 9


def test_only_the_finance_bureau_rechecks(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _publish(sessions)
    for who in ("unit", "department"):
        with pytest.raises(PermissionDenied, match="只有财政部门审核人可以进行自评复核"):
            recheck.draw_sample(sessions, actors[who], 2022, 2)
    with sessions.begin() as session:
        admin = User(username="admin", display_name="admin", role=Role.ADMIN.value)
        session.add(admin)
        session.flush()
        admin_actor = Actor(admin.id, Role.ADMIN, None)
    with pytest.raises(PermissionDenied, match="您的角色：系统管理员"):
        recheck.draw_sample(sessions, admin_actor, 2022, 2)
    sample = recheck.draw_sample(sessions, actors["finance"], 2022, 2, seed=3)
    elsewhere = _finance(sessions, "finance999", "999")  # another region's bureau: none of these tables
    with pytest.raises(recheck.SampleRefused, match="2022年度没有可复核的绩效自评表"):
        recheck.draw_sample(sessions, elsewhere, 2022, 2)
    with sessions() as session, pytest.raises(recheck.RecheckNotFound):
        recheck.show_sample(session, elsewhere, sample["id"])


def test_bad_sample_conditions_are_named(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with pytest.raises(recheck.SampleRefused) as refused:
        recheck.draw_sample(sessions, actors["finance"], 2022, 0, seed=-1, risk_share=120)
    assert "「样本量」应为 1 到 500 之间的整数，实际为 0" in refused.value.message
    assert "「按风险抽取的比例（%）」应为 0 到 100 之间的整数，实际为 120" in refused.value.message
    assert "「随机种子」" in refused.value.message and refused.value.status == 422


def _item(sessions: sessionmaker[Session], finance: Actor, code: str) -> tuple[int, int]:
    sample = recheck.draw_sample(sessions, finance, 2022, 9, seed=11)
    item = next(i for i in sample["items"] if i["project_code"] == code)
    return sample["id"], item["id"]


def test_rescoring_needs_a_reason_and_a_score_within_the_row(sessions: sessionmaker[Session],
                                                            actors: dict[str, Actor]) -> None:
    _publish(sessions)
    finance = actors["finance"]
    sample_id, item_id = _item(sessions, finance, COPY)
    with sessions() as session:
        shown = recheck.show_item(session, finance, sample_id, item_id)
    assert [r["key"] for r in shown["rows"]] == ["execution", "indicator-0", "indicator-1", "indicator-2",
                                                "indicator-3"]
    assert shown["rows"][1]["label"] == "第1行 · 产出指标/数量指标/纸张使用量"
    assert (shown["rows"][1]["weight"], shown["rows"][1]["published"]) == ("20", "15")
    assert (shown["published_total"], shown["recheck_total"]) == ("94.80", "94.80")
    cases = [
        ({"row": "indicator-0", "score": "20"}, "复核分 20 与自评分 15 不同，必须填写「复核理由」"),
        ({"row": "indicator-0", "score": "25", "reason": "完成"}, "「复核分」25 超过该行分值 20，应在 0 到 20 之间"),
        ({"row": "indicator-9", "score": "1", "reason": "x"}, "本表没有“indicator-9”这一行"),
        ({"row": "execution", "score": "九", "reason": "x"}, "「复核分」应为数字（如 8.5），实际为“九”"),
        ({"row": "execution", "score": "-1", "reason": "x"}, "「复核分」不能为负数"),
        ({"row": "execution", "score": "9.555", "reason": "x"}, "最多两位小数"),
    ]
    for entry, message in cases:
        with pytest.raises(recheck.RescoreRefused) as refused:
            recheck.rescore(sessions, finance, sample_id, item_id, [entry])
        assert message in refused.value.message, refused.value.message
    with pytest.raises(recheck.RescoreRefused) as both:  # one bad row refuses the good one too
        recheck.rescore(sessions, finance, sample_id, item_id, [
            {"row": "indicator-0", "score": "20", "reason": "目标已完成，应得满分"},
            {"row": "indicator-1", "score": "5"}])
    assert len(both.value.details) == 1
    with sessions() as session:
        assert recheck.show_item(session, finance, sample_id, item_id)["changed_rows"] == 0
    done = recheck.rescore(sessions, finance, sample_id, item_id, [
        {"row": "indicator-0", "score": "20", "reason": "目标已完成，应得满分"},
        {"row": "execution", "score": "8.5", "reason": "执行率按全年预算数计算为 85%"},
        {"row": "indicator-1", "score": "20", "reason": ""}])  # the published score: no change, no reason needed
    assert (done["changed_rows"], done["recheck_total"]) == (2, "98.50")  # 94.80 + 5 − 1.30
    assert done["recheck_grade"] == "优"
    row = next(r for r in done["rows"] if r["key"] == "indicator-0")
    assert (row["score"], row["reason"]) == ("20", "目标已完成，应得满分")
    withdrawn = recheck.rescore(sessions, finance, sample_id, item_id, [{"row": "execution", "score": "9.80"}])
    assert (withdrawn["changed_rows"], withdrawn["recheck_total"]) == (1, "99.80")  # back to the published 9.80
    finished = recheck.complete(sessions, finance, sample_id, item_id)
    assert (finished["state"], finished["recheck_total"], finished["recheck_grade"]) == ("done", "99.80", "优")
    with pytest.raises(recheck.RecheckClosed, match="已完成复核"):
        recheck.rescore(sessions, finance, sample_id, item_id, [{"row": "execution", "score": "5", "reason": "再改"}])
    with pytest.raises(recheck.RecheckClosed):
        recheck.complete(sessions, finance, sample_id, item_id)
    with sessions() as session:
        texts = [e.after for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "recheck.score"))]
    assert {t["row"] for t in texts} == {"indicator-0", "execution"} and texts[0]["reason"] == "目标已完成，应得满分"


def test_the_report_compares_self_evaluation_and_recheck_per_unit_and_department(
        sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _publish(sessions)
    finance = actors["finance"]
    sample_id, item_id = _item(sessions, finance, COPY)
    recheck.rescore(sessions, finance, sample_id, item_id, [
        {"row": "indicator-0", "score": "20", "reason": "目标已完成，应得满分"}])
    recheck.complete(sessions, finance, sample_id, item_id)
    with sessions() as session:
        data = recheck_report(session, finance, sample_id)
    assert data["title"] == "2022年度绩效自评复核报告" and data["totals"]["tables"] == 9
    assert (data["totals"]["done"], data["totals"]["changed_tables"]) == (1, 1)
    [department] = data["departments"]
    assert department["name"] == "重庆市长寿区政务服务管理办公室"
    [unit] = department["units"]
    assert unit["name"] == "重庆市长寿区政务服务管理办公室（本级）" and unit["tables"] == 9
    item = next(i for i in unit["items"] if i["project_code"] == COPY)
    assert (item["published_total"], item["recheck_total"], item["difference"]) == ("94.80", "99.80", "5.00")
    assert item["changed"] == [{"row": "indicator-0", "label": "第1行 · 产出指标/数量指标/纸张使用量", "weight": "20",
                                "published": "15", "score": "20", "difference": "5", "reason": "目标已完成，应得满分"}]
    tech = next(i for i in unit["items"] if i["project_code"] == TECH)
    assert (tech["published_total"], tech["recheck_total"], tech["state"]) == ("110", "99.80", "pending")
    html = render(RecheckReport(data), "html")
    assert isinstance(html, str) and "目标已完成，应得满分" in html and "重庆市长寿区政务服务管理办公室（本级）" in html
    book = load_workbook(BytesIO(render(RecheckReport(data), "xlsx")))  # type: ignore[arg-type]
    assert book.sheetnames == ["汇总", "复核明细", "改分明细", "说明"]
    changes = list(book["改分明细"].iter_rows(values_only=True))
    assert changes[1][1:] == (COPY, "免费复印", "第1行 · 产出指标/数量指标/纸张使用量", 20, 15, 20, 5,
                              "目标已完成，应得满分")
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[1][:4] == ("重庆市长寿区政务服务管理办公室", "（合计）", 9, 1)
    assert summary[2][:4] == ("重庆市长寿区政务服务管理办公室", "重庆市长寿区政务服务管理办公室（本级）", 9, 1)
    averages = [Decimal(str(value)) for value in summary[1][6:9]]
    assert averages[1] - averages[0] == averages[2]  # 复核平均分 − 自评平均分 = 平均差
    assert book["复核明细"].page_setup.paperSize == 9 and book["复核明细"].print_title_rows == "$1:$1"
