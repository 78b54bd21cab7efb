"""Every page for every role, including the pages a role must not reach (server-rendered HTML).

The demo region (the 重庆 seed in all its states) plus a second department with one unit and one
project, so that every page is also tried across tenants.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.io.json_format import table_to_dict
from jixiao.io.reading import read_bytes
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.services.imports import import_bytes
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app

APPROVED = "50011522T000000132369"  # 技术服务: approved in the demo story
RETURNED = "50011522T000000157087"  # 免费复印: returned to draft with a comment
DRAFT = "50011522T000000132376"  # 免费邮寄: never submitted
FOREIGN = "50011522T000000999999"  # another department's project
PASSWORD = "pages-password-1"


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'jixiao.sqlite3'}")
    upgrade(engine)
    made = session_factory(engine)
    accounts = load_demo(made).accounts
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    first = next(r.table for r in read_bytes(seed, "seed.txt") if r.table is not None)
    other = table_to_dict(first, with_source=False) | {
        "project_code": FOREIGN, "project_name": "另一部门的项目", "contact_phone": "023-00000000",
        "unit": {"code": "146001", "name": "其他单位"}, "department": {"code": "146", "name": "其他部门"}}
    assert import_bytes(made, json.dumps(other, ensure_ascii=False).encode(), "other.json").status == "imported"
    people = (("unit", Role.UNIT_EDITOR, "145001"), ("dept", Role.DEPARTMENT_REVIEWER, "145"),
              ("finance2", Role.FINANCE_REVIEWER, None), ("admin2", Role.ADMIN, None),
              ("otherunit", Role.UNIT_EDITOR, "146001"), ("otherdept", Role.DEPARTMENT_REVIEWER, "146"))
    for username, role, org in people:
        add_user(made, username, PASSWORD, role, org)
    assert accounts  # the demo made its own accounts too
    yield made
    engine.dispose()


def _client(sessions: sessionmaker[Session], username: str | None = None) -> TestClient:
    client = TestClient(create_app(AppContext(sessions)), follow_redirects=False)
    if username is not None:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        done = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token.group(1), "next": "/"})
        assert done.status_code == 303, done.text
    return client


def _csrf(page_html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert found is not None
    return found.group(1)


def _unlabeled(html: str) -> list[str]:
    """Form controls a screen reader could not name: no <label for=…> and no aria-label."""
    missing = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag or "aria-label=" in tag:
            continue
        ident = re.search(r'\bid="([^"]+)"', tag)
        if ident is None or not re.search(rf'<label[^>]*for="{re.escape(ident.group(1))}"', html):
            missing.append(tag)
    return missing


ROLES = ("unit", "dept", "finance2", "admin2")
PAGES = ("/", "/projects", f"/projects/{APPROVED}", f"/projects/{RETURNED}", "/import", "/overview",
         f"/projects/{RETURNED}/selfeval", f"/projects/{RETURNED}/monitoring", "/public",
         f"/public/projects/{APPROVED}", "/deadlines")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_for_every_role(sessions: sessionmaker[Session], role: str, path: str) -> None:
    response = _client(sessions, role).get(path)
    refused = path == "/import" and role in ("dept", "finance2")  # reviewers do not import: told why (403)
    assert response.status_code == (403 if refused else 200), response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html and "Traceback" not in html
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing external
    assert _unlabeled(html) == []


@pytest.mark.parametrize("path", ("/", "/projects", f"/projects/{APPROVED}", "/import", "/overview",
                                  f"/projects/{APPROVED}/edit", f"/projects/{APPROVED}/selfeval", "/deadlines"))
def test_signed_out_users_are_sent_to_login_or_public(sessions: sessionmaker[Session], path: str) -> None:
    response = _client(sessions).get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith(("/login", "/public"))


def test_inputs_have_labels_on_the_editor(sessions: sessionmaker[Session]) -> None:
    html = _client(sessions, "unit").get(f"/projects/{DRAFT}/edit").text
    assert len(re.findall(r"<(?:input|select|textarea)\b", html)) > 40
    assert _unlabeled(html) == []


@pytest.mark.parametrize(("role", "code"), [("unit", FOREIGN), ("dept", FOREIGN), ("otherunit", APPROVED),
                                             ("otherdept", RETURNED)])
def test_other_tenants_projects_are_not_found(sessions: sessionmaker[Session], role: str, code: str) -> None:
    client = _client(sessions, role)
    for path in (f"/projects/{code}", f"/projects/{code}/edit", f"/projects/{code}/diff?a=1&b=1",
                 f"/projects/{code}/selfeval"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "无权查看" in response.text
    listing = client.get("/projects").text
    assert code not in listing


def test_reviewers_cannot_open_the_editor_and_units_cannot_review(sessions: sessionmaker[Session]) -> None:
    assert _client(sessions, "dept").get(f"/projects/{DRAFT}/edit").status_code == 403
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}").text
    assert 'id="do-submit"' in page and 'id="do-approve"' not in page and "填写审核意见" not in page
    refused = unit.post(f"/projects/{DRAFT}/transition", data={"action": "approve", "csrf_token": _csrf(page)})
    assert refused.status_code == 409 and "不能批复" in refused.text


def test_forms_without_the_csrf_token_are_refused_and_keep_the_text(sessions: sessionmaker[Session]) -> None:
    dept = _client(sessions, "dept")
    response = dept.post(f"/projects/{RETURNED}/comment", data={"text": "请核实金额", "csrf_token": "forged"})
    assert response.status_code == 403
    assert "请核实金额" in response.text  # nothing typed is lost
    login = _client(sessions).post("/login", data={"username": "unit", "password": PASSWORD, "csrf_token": "x"})
    assert login.status_code == 400 and "页面已过期" in login.text


def test_public_pages_show_approved_tables_only_without_phone_or_comments(sessions: sessionmaker[Session]) -> None:
    public = _client(sessions)
    listing = public.get("/public").text
    assert APPROVED in listing and RETURNED not in listing and DRAFT not in listing
    assert public.get(f"/public/projects/{RETURNED}").status_code == 404
    assert public.get(f"/public/projects/{RETURNED}.json").status_code == 404
    page = public.get(f"/public/projects/{APPROVED}").text
    assert "项目经办人电话" not in page and "审核意见" not in page
    data = public.get(f"/public/projects/{APPROVED}.json").json()
    assert "contact_phone" not in data and data["project_code"] == APPROVED
    csv_text = public.get(f"/public/projects/{APPROVED}.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("字段,内容") and "项目经办人电话" not in csv_text and "三级指标" in csv_text


def test_list_filters_and_search(sessions: sessionmaker[Session]) -> None:
    admin = _client(sessions, "admin2")
    approved = admin.get("/projects?state=approved").text
    assert APPROVED in approved and DRAFT not in approved
    by_department = admin.get("/projects?department=146").text
    assert FOREIGN in by_department and APPROVED not in by_department
    by_indicator = admin.get("/projects", params={"q": "邮寄数量"}).text
    assert DRAFT in by_indicator and APPROVED not in by_indicator
    with_errors = admin.get("/projects?severity=error").text
    assert "共 0 个项目" not in with_errors or "C0" not in with_errors
    partial = admin.get("/projects?state=approved", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and APPROVED in partial


def test_the_editor_keeps_everything_typed_when_a_save_is_refused(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{DRAFT}/edit").text
    form = {"csrf_token": _csrf(page), "version": "1", "project_name": "免费邮寄", "total_wan": "四十万",
            "annual_goal": "我新写的年度目标", "unit_code": "145001", "unit_name": "",  # blank: the account's
            "level1": ["产出指标"], "level2": ["数量指标"], "name": ["邮寄数量"], "operator": ["="],
            "target": ["8"], "weight": ["90"], "history": [""], "current_target": [""], "unit_of_measure": ["万件次"],
            "current_weight": [""], "direction": ["正向指标"]}
    refused = unit.post(f"/projects/{DRAFT}/edit", data=form)
    assert refused.status_code == 422
    assert "未保存" in refused.text and "我新写的年度目标" in refused.text and 'value="四十万"' in refused.text
    checked = unit.post(f"/projects/{DRAFT}/edit/check", data=form)
    assert checked.status_code == 200 and "「项目总额」应为金额" in checked.text
    form["total_wan"] = "40.00"
    saved = unit.post(f"/projects/{DRAFT}/edit", data=form)
    assert saved.status_code == 303 and "saved=1" in saved.headers["location"]
    stale = unit.post(f"/projects/{DRAFT}/edit", data=form | {"annual_goal": "又改了"})
    assert stale.status_code == 422 and "更新的版本" in stale.text and "又改了" in stale.text


def test_an_expired_session_keeps_the_editor_form(sessions: sessionmaker[Session]) -> None:
    anonymous = _client(sessions)
    response = anonymous.post(f"/projects/{DRAFT}/edit", data={"annual_goal": "离开前写的内容"})
    assert response.status_code == 401 and "离开前写的内容" in response.text and "登录已过期" in response.text


def test_import_page_reports_each_file_and_refuses_other_units_tables(sessions: sessionmaker[Session],
                                                                       tmp_path: Path) -> None:
    other = _client(sessions, "otherunit")
    page = other.get("/import").text
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    response = other.post("/import", data={"csrf_token": _csrf(page)},
                          files=[("files", ("seed.txt", seed, "text/plain")),
                                 ("files", ("broken.json", b"{not json", "application/json"))])
    assert response.status_code == 200
    assert response.text.count("未导入") == 2
    assert "本单位（146001）只能导入自己的项目" in response.text and "不是有效的 JSON" in response.text


def test_self_evaluation_preview_shows_the_arithmetic(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{APPROVED}/selfeval").text
    preview = unit.post(f"/projects/{APPROVED}/selfeval/preview",
                        data={"csrf_token": _csrf(page), "adjusted": "15", "executed": "15", "actual-0": "1400"})
    assert preview.status_code == 200 and 'id="preview-total"' in preview.text and "10.00 / 10" in preview.text
    monitoring = unit.post(f"/projects/{APPROVED}/monitoring/preview",
                           data={"month": "6", "adjusted": "15", "executed_to_date": "3", "to_date-0": "100"})
    assert monitoring.status_code == 200 and "红灯" in monitoring.text


def test_unknown_pages_are_html_and_api_errors_stay_json(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions)
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "没有这个地址" in page.text
    api = client.get("/api/v1/no/such")
    assert api.status_code == 404 and api.json()["error"]["code"] == "http_404"


def test_static_assets_are_vendored(sessions: sessionmaker[Session]) -> None:
    client = _client(sessions)
    for asset in ("/static/vendor/htmx-2.0.11.min.js", "/static/vendor/echarts-6.1.0.min.js", "/static/app.js",
                  "/static/app.css"):
        assert client.get(asset).status_code == 200, asset


def test_an_approved_table_is_adjusted_with_a_comment_into_a_new_draft(sessions: sessionmaker[Session]) -> None:
    code = "50011522T000000133119"  # 协税员聘用: approved in the demo story
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{code}").text
    assert 'id="do-adjust"' in page and 'for="adjust-comment"' in page
    refused = unit.post(f"/projects/{code}/transition", data={"action": "adjust", "comment": " ",
                                                              "csrf_token": _csrf(page)})
    assert refused.status_code == 409 and "调整必须填写意见" in refused.text
    done = unit.post(f"/projects/{code}/transition", data={"action": "adjust", "comment": "年中追加预算",
                                                           "csrf_token": _csrf(page)})
    assert done.status_code == 303
    after = unit.get(done.headers["location"]).text
    assert "已调整" in after and "草稿" in after and "第2版" in after
    public = _client(sessions).get(f"/public/projects/{code}")  # the approved version stays published …
    assert public.status_code == 200 and "已批复" in public.text
    assert _client(sessions).get(f"/public/projects/{code}.json").json()["project_name"] == "协税员聘用"
    page = unit.get(f"/projects/{code}").text  # … and the unit sees which version that is
    assert "公开页面（第1版）" in page


def test_the_import_page_takes_office_files(sessions: sessionmaker[Session]) -> None:
    import io

    from jixiao.io.json_format import table_from_dict
    from jixiao.io.office.xlsx_writer import write_tables_xlsx

    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    first = next(r.table for r in read_bytes(seed, "seed.txt") if r.table is not None)
    mine = table_to_dict(first, with_source=False) | {
        "project_code": "50011522T000000888888", "project_name": "其他单位的新项目",
        "unit": {"code": "146001", "name": "其他单位"}, "department": {"code": "146", "name": "其他部门"}}
    workbook = io.BytesIO()
    write_tables_xlsx([table_from_dict(mine)], workbook)
    other = _client(sessions, "otherunit")
    page = other.get("/import").text
    assert ".xlsx" in page
    response = other.post("/import", data={"csrf_token": _csrf(page)},
                          files=[("files", ("新项目.xlsx", workbook.getvalue(), "application/octet-stream"))])
    assert response.status_code == 200 and "已导入" in response.text
    assert 'href="/projects/50011522T000000888888"' in response.text


def test_text_from_imported_files_is_escaped_everywhere(sessions: sessionmaker[Session]) -> None:
    """A hostile name in an imported table must never become markup or script on any page."""
    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    first = next(r.table for r in read_bytes(seed, "seed.txt") if r.table is not None)
    hostile = table_to_dict(first, with_source=False) | {
        "project_code": "50011522T000000777777", "project_name": "<script>alert(1)</script>",
        "unit": {"code": "147001", "name": "<img src=x onerror=alert(2)>"},
        "department": {"code": "147", "name": "</script><script>alert(3)</script>"}}
    assert import_bytes(sessions, json.dumps(hostile, ensure_ascii=False).encode(), "hostile.json").status \
        == "imported"
    admin = _client(sessions, "admin2")
    for path in ("/projects?department=147", "/projects/50011522T000000777777", "/overview", "/",
                 "/projects/50011522T000000777777/edit", "/projects/50011522T000000777777/selfeval"):
        html = admin.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin.get("/projects/50011522T000000777777").text
    overview = admin.get("/overview").text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(3)" in overview  # inside the chart data, as data


@pytest.mark.parametrize(("method", "path", "data"), [
    ("get", "/projects?year=²", None), ("get", "/public?year=²", None),
    ("get", f"/projects/{RETURNED}/diff?a=99999999999999999999&b=1", None),
    ("get", f"/projects/{RETURNED}/selfeval/9223372036854775808/print", None),
    ("post", f"/projects/{RETURNED}/monitoring/preview", {"month": "²", "to_date-0": "1"}),
    ("post", f"/projects/{RETURNED}/selfeval/preview", {"actual-0": "9" * 30, "adjusted": "0.00000001",
                                                         "executed": "9" * 30}),
    ("post", "/projects/NOPE/selfeval", {}),
])
def test_odd_input_never_gives_a_server_error(sessions: sessionmaker[Session], method: str, path: str,
                                              data: dict[str, str] | None) -> None:
    unit = _client(sessions, "unit")
    if data is not None:
        data = data | {"csrf_token": _csrf(unit.get(f"/projects/{RETURNED}/selfeval").text)}
    response = unit.get(path) if method == "get" else unit.post(path, data=data)
    assert response.status_code < 500, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")


def test_numbers_too_large_to_score_are_explained(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    page = unit.get(f"/projects/{APPROVED}/selfeval").text
    response = unit.post(f"/projects/{APPROVED}/selfeval", data={
        "csrf_token": _csrf(page), "adjusted": "0.00000001", "executed": "9" * 30, "actual-0": "1"})
    assert response.status_code == 422 and "数值过大或过小" in response.text and "9" * 30 in response.text


def test_downloads_of_a_table_without_a_code_keep_its_chinese_name(sessions: sessionmaker[Session]) -> None:
    from urllib.parse import quote

    from jixiao.services.permissions import Actor
    from jixiao.services.workflow import transition

    seed = resources.files("jixiao.data").joinpath("seed_changshou_2022.txt").read_bytes()
    first = next(r.table for r in read_bytes(seed, "seed.txt") if r.table is not None)
    nameless = table_to_dict(first, with_source=False) | {"project_code": None, "project_name": "无编码项目",
                                                          "contact_phone": "023-11112222"}
    assert import_bytes(sessions, json.dumps(nameless, ensure_ascii=False).encode(), "nocode.json").status \
        == "imported"
    code = "（无编码）无编码项目"
    admin = Actor(None, Role.ADMIN)
    for action, comment in (("submit", None), ("start_review", None), ("forward", None), ("approve", None)):
        from jixiao.domain.workflow import Action

        transition(sessions, admin, code, Action(action), comment, override_reason="测试")
    public = _client(sessions)
    for suffix in (".json", ".csv"):
        response = public.get(f"/public/projects/{quote(code)}{suffix}")
        assert response.status_code == 200
        assert quote(code) in response.headers["content-disposition"]
        assert "023-11112222" not in response.content.decode("utf-8-sig")


NET = "50011522T000000132359"  # 网络通讯: a draft of the demo without errors (batch work, issue 13 point 11)


def test_the_list_offers_each_role_only_its_own_batch_actions(sessions: sessionmaker[Session]) -> None:
    offered = {}
    for who in ("unit", "dept", "finance2", "admin2"):
        html = _client(sessions, who).get("/projects").text
        assert _unlabeled(html) == []
        assert f'name="codes" value="{NET}" form="batch-form"' in html
        offered[who] = [a for a in ("submit", "start_review", "forward", "return", "approve")
                        if f'id="batch-{a}"' in html]
        assert ('id="batch-comment"' in html) == ("return" in offered[who])
    assert offered == {"unit": ["submit"], "dept": ["start_review", "forward", "return"],
                       "finance2": ["return", "approve"],
                       "admin2": ["submit", "start_review", "forward", "return", "approve"]}


def test_without_javascript_the_result_is_a_page_with_a_line_per_table(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")
    csrf = _csrf(unit.get("/projects").text)
    evil = "<script>alert(1)</script>"
    done = unit.post("/projects/batch", data={"csrf_token": csrf, "action": "submit",
                                               "codes": [NET, APPROVED, DRAFT, evil]})
    assert done.status_code == 200
    page = done.text
    assert "批量提交：1 张成功，3 张失败" in page and page.count("成功</span>") == 1 and page.count("失败</span>") == 3
    assert "已提交：现为“已提交”（第1版）" in page
    assert "“已批复”状态下不能提交（只能在草稿时提交）" in page  # the approved table: the single step's reason
    assert "条错误级问题" in page  # 免费邮寄: errors found on submit
    assert evil not in page and "没有项目“&lt;script&gt;alert(1)&lt;/script&gt;”，或无权查看" in page
    again = unit.post("/projects/batch", data={"csrf_token": csrf, "action": "submit", "codes": [NET]})
    assert again.status_code == 409  # none done: the status the single step answers
    assert "“已提交”状态下不能提交" in again.text


def test_with_htmx_refusals_show_in_place_and_a_done_batch_reloads_the_list(sessions: sessionmaker[Session]) -> None:
    unit = _client(sessions, "unit")  # the unit hands it in first (unless the test above did)
    unit.post("/projects/batch", data={"csrf_token": _csrf(unit.get("/projects").text), "action": "submit",
                                       "codes": [NET]})
    dept = _client(sessions, "dept")
    csrf = _csrf(dept.get("/projects").text)
    htmx = {"HX-Request": "true"}
    unticked = dept.post("/projects/batch", headers=htmx, data={"csrf_token": csrf, "action": "start_review"})
    assert unticked.status_code == 200 and 'id="batch-error"' in unticked.text
    assert "请先勾选要开始审核的表" in unticked.text
    assert "HX-Trigger" not in unticked.headers
    stale = dept.post("/projects/batch", headers=htmx, data={"action": "start_review", "codes": [NET]})
    assert "页面已过期" in stale.text  # no CSRF token: nothing done
    done = dept.post("/projects/batch", headers=htmx, data={"csrf_token": csrf, "action": "start_review",
                                                              "codes": [NET]})
    assert done.status_code == 200 and done.headers["HX-Trigger"] == "batch-done"
    assert "批量开始审核：1 张成功，0 张失败" in done.text and "<html" not in done.text
    returned = dept.post("/projects/batch", data={"csrf_token": csrf, "action": "return", "codes": [NET]})
    assert returned.status_code == 422 and "批量退回必须填写意见" in returned.text


def test_the_import_page_gives_each_file_one_summary_line_with_its_details_folded(
        sessions: sessionmaker[Session]) -> None:
    real = Path(__file__).resolve().parents[1] / "data" / "real"
    dates = (real / "029_neimenggu_wuhai_gongxiaoshe_zaishengziyuan_target.txt").read_bytes()
    other = _client(sessions, "otherunit")
    page = other.get("/import").text
    response = other.post("/import", data={"csrf_token": _csrf(page)},
                          files=[("files", ("029.txt", dates, "text/plain")),
                                 ("files", ("说明.txt", "这是一封通知，不是表格。\n".encode(), "text/plain"))])
    assert response.status_code == 200
    summaries = re.findall(r'<summary class="file-summary">(.*?)</summary>', response.text)
    assert len(summaries) == 2
    assert summaries[0].startswith("029.txt：绩效目标表 1 张 · 读取器 any-layout")
    assert "把握低 · 指标 23 行 · 推断 2 处" in summaries[0]
    assert summaries[1].startswith("说明.txt：不是绩效目标表或自评表")
    folded = response.text.split('<summary class="file-summary">029.txt')[1].split("</details>")[0]
    assert "疑为 Excel 日期序列号，即 2021-12-31" in folded  # the details are under the line, folded
