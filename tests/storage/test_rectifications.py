"""整改 on SQLite and PostgreSQL: the lifecycle from a finding to a confirmed item, tenancy, 逾期, evidence limits."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services import rectification_lists as lists
from jixiao.services import rectifications
from jixiao.services.permissions import Actor, PermissionDenied
from jixiao.services.rectification_files import EvidenceRefused
from jixiao.services.rectification_sources import FindingNotFound
from jixiao.storage.models import AuditEntry, Organization, Project, Rectification, RectificationFile

TODAY = date(2026, 12, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _first_finding(sessions: sessionmaker[Session], actor: Actor) -> tuple[str, dict[str, object]]:
    with sessions() as session:
        codes = list(session.scalars(select(Project.code).order_by(Project.code)))
        for code in codes:
            found = [f for f in rectifications.findings(session, actor, code) if f["source"] == "review"]
            if found:
                return code, found[0]
    raise AssertionError("the seed has review findings")


def _make(sessions: sessionmaker[Session], actor: Actor,
          deadline: date = TODAY + timedelta(days=30)) -> tuple[str, int]:
    code, finding = _first_finding(sessions, actor)
    ref = {key: ("" if value is None else str(value)) for key, value in dict(finding["ref"]).items()}  # as a form
    item = rectifications.create(sessions, actor, code, "review", ref, "按规范改写该指标", deadline, TODAY)
    return code, item


def test_from_a_review_finding_to_a_confirmed_item(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    code, item = _make(sessions, actors["department"])
    unit, department = actors["unit"], actors["department"]
    with sessions() as session:
        shown = rectifications.detail(session, unit, item, TODAY)
        finding = next(f for f in rectifications.findings(session, department, code) if f.get("open_item") == item)
    assert shown["state_label"] == "待整改" and shown["actions"] == ["start", "respond"]
    assert shown["finding"] == finding["text"] and shown["finding"].split()[0] == finding["ref"]["code"]
    with pytest.raises(rectifications.RectificationExists):  # the same finding once while open
        rectifications.create(sessions, department, code, "review", dict(finding["ref"]), "再改", TODAY, TODAY)
    with pytest.raises(rectifications.RectificationMoveRefused, match="只能由审核人"):
        rectifications.move(sessions, unit, item, "confirm")
    assert rectifications.move(sessions, unit, item, "start")["state_label"] == "整改中"
    with pytest.raises(rectifications.RectificationMoveRefused, match="必须填写整改情况说明"):
        rectifications.move(sessions, unit, item, "respond", " ")
    with pytest.raises(rectifications.RectificationMoveRefused, match="不能“确认完成”"):
        rectifications.move(sessions, department, item, "confirm")
    rectifications.move(sessions, unit, item, "respond", "已改写", [("整改说明.pdf", PDF)])
    with pytest.raises(rectifications.RectificationMoveRefused, match="必须填写退回理由"):
        rectifications.move(sessions, department, item, "return")
    assert rectifications.move(sessions, department, item, "return", "佐证不足")["state"] == "in_progress"
    rectifications.move(sessions, unit, item, "respond", "补充了批复文件", [("批复.txt", "批复文号".encode())])
    assert rectifications.move(sessions, department, item, "confirm")["state_label"] == "已完成"
    with sessions() as session:
        shown = rectifications.detail(session, unit, item, TODAY)
        files = list(session.scalars(select(RectificationFile).order_by(RectificationFile.id)))
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "rectification")
                                       .order_by(AuditEntry.id)))
        name, data = rectifications.evidence_file(session, department, item, files[0].id)
    assert shown["state_label"] == "已完成" and shown["rounds"] == 2 and shown["actions"] == []
    assert [(f.round, f.name) for f in files] == [(1, "整改说明.pdf"), (2, "批复.txt")] and data == PDF
    assert actions == ["rectification.create", "rectification.start", "rectification.respond", "rectification.return",
                       "rectification.respond", "rectification.confirm"]
    assert [h["label"] for h in shown["history"]][-2:] == ["提交整改情况", "确认完成"]
    assert name == "整改说明.pdf"


def test_a_finding_that_is_not_there_is_refused(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    code, _finding = _first_finding(sessions, actors["finance"])
    with pytest.raises(FindingNotFound):
        rectifications.create(sessions, actors["finance"], code, "review", {"code": "R999"}, "改", TODAY, TODAY)
    with pytest.raises(rectifications.RectificationRefused) as refused:
        rectifications.create(sessions, actors["finance"], code, "review", {}, " ", "2026-13-01", TODAY)
    assert {p["field"] for p in refused.value.details} == {"requirement", "deadline"}
    with pytest.raises(PermissionDenied):  # a unit does not assign items
        rectifications.create(sessions, actors["unit"], code, "other", {}, "改", TODAY, TODAY, finding="问题")


def test_a_unit_sees_only_its_own_items(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    _code, mine = _make(sessions, actors["department"])
    with sessions.begin() as session:
        other_unit = session.scalar(select(Organization.id).where(Organization.code == "999001"))
        session.add(Project(code="X-999", name="另一个单位的项目", unit_id=other_unit, fiscal_year=2022))
    theirs = rectifications.create(sessions, actors["other_department"], "X-999", "other", {}, "补报材料",
                                   TODAY, TODAY, finding="未按时报送")
    with sessions() as session:
        for who, seen in (("unit", [mine]), ("department", [mine]), ("other_unit", [theirs]),
                          ("other_department", [theirs]), ("finance", [mine, theirs])):
            listed = lists.list_items(session, actors[who], TODAY)["items"]
            assert sorted(item["id"] for item in listed) == sorted(seen), who
        with pytest.raises(rectifications.RectificationNotFound):
            rectifications.detail(session, actors["other_unit"], mine, TODAY)
        with pytest.raises(PermissionDenied):
            lists.summary(session, actors["department"], TODAY)
    with pytest.raises(rectifications.RectificationNotFound):  # nor act on it
        rectifications.move(sessions, actors["unit"], theirs, "start")
    with pytest.raises(rectifications.RectificationNotFound):
        rectifications.move(sessions, actors["other_department"], mine, "confirm")


def test_overdue_is_the_deadline_passed_and_not_done(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    department, unit = actors["department"], actors["unit"]
    _code, late = _make(sessions, department, TODAY)
    with sessions.begin() as session:
        project = session.scalar(select(Project.code).where(Project.code != _code).order_by(Project.code))
    soon = rectifications.create(sessions, department, str(project), "other", {}, "补充说明", TODAY + timedelta(days=3),
                                 TODAY, finding="说明不足")
    with sessions() as session:
        today = lists.list_items(session, unit, TODAY)["items"]
        tomorrow = lists.list_items(session, unit, TODAY + timedelta(days=1))
        overdue = lists.list_items(session, unit, TODAY + timedelta(days=1), state="overdue")
        reminder = lists.reminders(session, unit, TODAY + timedelta(days=1))
    assert [(i["id"], i["overdue"]) for i in today] == [(late, False), (soon, False)]  # due today: not yet overdue
    first = tomorrow["items"][0]
    assert (first["id"], first["status_label"], first["days_overdue"]) == (late, "逾期", 1)
    assert first["state_label"] == "待整改"
    assert [i["id"] for i in overdue["items"]] == [late]
    assert (reminder["open"], reminder["overdue"], reminder["items"][0]["id"]) == (2, 1, late)
    # the later deadline first when it is overdue longer: order is overdue first, then by deadline
    with sessions.begin() as session:
        session.execute(update(Rectification).where(Rectification.id == soon)
                        .values(deadline=TODAY - timedelta(days=5)))
    with sessions() as session:
        assert [i["id"] for i in lists.list_items(session, unit, TODAY + timedelta(days=1))["items"]] == [soon, late]
    rectifications.move(sessions, unit, late, "respond", "已改", [])
    rectifications.move(sessions, department, late, "confirm")
    with sessions() as session:
        done = rectifications.detail(session, unit, late, TODAY + timedelta(days=9))
        summary = lists.summary(session, actors["finance"], TODAY + timedelta(days=1))
        workbook = lists.summary_file(session, actors["finance"], TODAY + timedelta(days=1))
    assert (done["overdue"], done["status_label"]) == (False, "已完成")  # done is never overdue
    assert summary["totals"] == {"total": 2, "open": 1, "overdue": 1, "awaiting": 0, "done": 1}
    assert summary["rows"][0]["department"] == "重庆市长寿区政务服务管理办公室"
    assert workbook.content[:2] == b"PK" and workbook.name.startswith("整改汇总")


def test_evidence_files_are_held_to_the_import_limits(sessions: sessionmaker[Session],
                                                      actors: dict[str, Actor]) -> None:
    _code, item = _make(sessions, actors["finance"])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"0" * (30 * 1024 * 1024))
    for files, words in (([("照片.exe", b"MZ")], "类型不能作为佐证材料"), ([("说明.pdf", b"not a pdf")], "不是 PDF"),
                         ([("大.txt", b"x" * (6 * 1024 * 1024))], "文件过大"),
                         ([("材料.zip", bomb.getvalue())], "压缩炸弹"),
                         ([(f"{n}.txt", b"x") for n in range(11)], "最多附 10 个")):
        with pytest.raises(EvidenceRefused, match=words):
            rectifications.move(sessions, actors["unit"], item, "respond", "已改", files)
    with sessions() as session:
        assert session.get(Rectification, item).state == "pending"  # nothing was written
        assert session.scalar(select(RectificationFile.id)) is None


def test_every_kind_of_finding_can_become_an_item(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """An audit finding of the published 自评表, a red monitoring light, a low self-evaluation, a 复核 change."""
    from decimal import Decimal

    from jixiao.services import recheck
    from jixiao.storage.models import MonitoringReport, SelfEvaluation, TableVersion
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
        session.add(MonitoringReport(version_id=version, month=7, reported={}, result={}, spending_light="红",
                                     indicator_light="绿"))
        session.add(SelfEvaluation(version_id=version, reported={}, result={}, total=Decimal("55.5"), grade="差",
                                   profile="chongqing"))
    with sessions() as session:
        tech = {f["source"]: f for f in rectifications.findings(session, finance, TECH)}
        copy = [f for f in rectifications.findings(session, finance, COPY) if f["source"] == "recheck"]
    assert {"audit", "monitoring", "score"} <= set(tech)
    assert tech["monitoring"]["text"] == "7月运行监控：资金执行红灯、指标完成绿灯"
    assert tech["score"]["text"] == "单位自评 55.50 分，等级“差”"
    assert copy and copy[0]["text"] == "财政复核：自评表总分 94.80 分，复核为 99.80 分（优）"
    made = {source: rectifications.create(sessions, finance, TECH, source, dict(tech[source]["ref"]), "整改",
                                          TODAY, TODAY) for source in ("audit", "monitoring", "score")}
    made["recheck"] = rectifications.create(sessions, finance, COPY, "recheck", dict(copy[0]["ref"]), "说明扣分依据",
                                            TODAY, TODAY)
    with sessions() as session:
        listed = lists.list_items(session, finance, TODAY)["items"]
        by_source = {item["source"]: item for item in listed}
        assert lists.list_items(session, finance, TODAY, source="audit")["total"] == 1
    assert set(by_source) == {"audit", "monitoring", "score", "recheck"}
    assert by_source["audit"]["finding"] == tech["audit"]["text"]
    assert by_source["recheck"]["source_label"] == "财政复核调整"
    assert sorted(made.values()) == sorted(item["id"] for item in listed)


def test_a_reviewer_moves_the_deadline_with_a_reason(sessions: sessionmaker[Session],
                                                     actors: dict[str, Actor]) -> None:
    department, unit = actors["department"], actors["unit"]
    _code, item = _make(sessions, department, TODAY)
    later = TODAY + timedelta(days=5)
    with sessions() as session:
        assert lists.list_items(session, unit, later)["items"][0]["overdue"]
    with pytest.raises(PermissionDenied):
        rectifications.set_deadline(sessions, unit, item, TODAY + timedelta(days=20), "延期", later)
    with pytest.raises(rectifications.RectificationRefused, match="“调整期限的理由”必填"):
        rectifications.set_deadline(sessions, department, item, TODAY + timedelta(days=20), " ", later)
    rectifications.set_deadline(sessions, department, item, TODAY + timedelta(days=20), "单位申请延期", later)
    with sessions() as session:
        shown = rectifications.detail(session, unit, item, later)
    assert (shown["overdue"], shown["deadline"]) == (False, "2026-12-22")  # 逾期 follows the deadline
    assert shown["history"][-1]["label"] == "调整整改期限（2026-12-02 → 2026-12-22）"
    assert shown["history"][-1]["note"] == "单位申请延期" and not shown["may_set_deadline"]
    rectifications.move(sessions, unit, item, "respond", "已改")
    rectifications.move(sessions, department, item, "confirm")
    with pytest.raises(rectifications.RectificationMoveRefused, match="已完成"):
        rectifications.set_deadline(sessions, department, item, TODAY + timedelta(days=30), "再延", later)


def test_past_one_page_the_list_pages_and_the_export_keeps_every_item(sessions: sessionmaker[Session],
                                                                      actors: dict[str, Actor]) -> None:
    """501 items: the list shows 500 and a second page with the last one; the workbook holds all 501."""
    from io import BytesIO

    from openpyxl import load_workbook

    from jixiao.storage.models import Organization, Rectification

    with sessions.begin() as session:
        project = session.scalar(select(Project).order_by(Project.code))
        assert project is not None
        unit = session.scalar(select(Organization.id).where(Organization.code == "145001"))
        session.add_all([Rectification(project_id=project.id, unit_id=unit, source="other", source_ref={},
                                       finding=f"问题{n}", requirement="整改", deadline=TODAY + timedelta(days=n))
                         for n in range(lists.MAX_ROWS + 1)])
    finance = actors["finance"]
    with sessions() as session:
        first = lists.list_items(session, finance, TODAY)
        second = lists.list_items(session, finance, TODAY, page=2)
        beyond = lists.list_items(session, finance, TODAY, page=9)  # past the end: the last page
        export = lists.summary_file(session, finance, TODAY)
    assert (first["total"], first["shown"], first["pages"], first["first"], first["last"]) == (501, 500, 2, 1, 500)
    assert (second["shown"], second["first"], second["last"]) == (1, 501, 501)
    assert second["items"][0]["finding"] == "问题500" and beyond["page"] == 2
    assert {item["id"] for item in first["items"]}.isdisjoint(item["id"] for item in second["items"])
    sheets = load_workbook(BytesIO(export.content)).worksheets
    assert max(sheet.max_row for sheet in sheets) >= 502  # a header and every one of the 501 items
