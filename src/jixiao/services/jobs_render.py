"""The report job: the review (智能审核) of every project of a year the submitter sees, as one report in PDF (or
xlsx, HTML) — the same renderer as ``jixiao check`` (``reports.registry.render``), the tables read as the pages
read them (``services.queries``). Progress counts the tables read; the report is rendered once, at the end.
"""

from __future__ import annotations

from jixiao.io.json_format import table_from_dict
from jixiao.reports.registry import render
from jixiao.services import queries
from jixiao.services.errors import InvalidInput, ServiceError
from jixiao.services.jobs_export import chosen_codes
from jixiao.services.jobs_step import Run
from jixiao.services.review import review_tables

REPORT_FORMATS = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "html": "text/html; charset=utf-8"}
MAX_TABLES = 2_000  # tables in one report (a PDF a person can still open)


def check_request(output_format: str, count: int) -> None:
    if output_format not in REPORT_FORMATS:
        raise InvalidInput(f"报告格式“{output_format}”无效，可选：{'、'.join(REPORT_FORMATS)}")
    if count == 0:
        raise InvalidInput("没有可审核的项目（按所选年度和部门，在您可见的范围内）")
    if count > MAX_TABLES:
        raise InvalidInput(f"一份报告最多 {MAX_TABLES} 个项目，所选范围有 {count} 个；请按部门分批生成")


def run_render(step: Run) -> tuple[str, str, bytes]:
    params = step.job_params
    output_format, year, department = str(params["format"]), params.get("year"), params.get("department")
    sessions = step.context.sessions
    with sessions() as session:
        codes = chosen_codes(session, step.actor, year, department)
    with sessions.begin() as session:
        step.record(session, total=len(codes))
    tables = []
    for start in range(0, len(codes), 100):
        step.checkpoint()
        problems: list[str] = []
        with sessions() as session:
            for code in codes[start:start + 100]:
                try:
                    content = queries.show_project(session, step.actor, code)["table"]
                except ServiceError as error:
                    problems.append(f"{code}：{error.message}")
                    continue
                if content:
                    tables.append(table_from_dict(content))
                else:
                    problems.append(f"{code}：项目还没有绩效目标表")
        with sessions.begin() as session:
            step.record(session, done=len(codes[start:start + 100]), errors=len(problems), messages=problems)
    step.checkpoint()
    report = review_tables(tables, step.context.profile.rules)
    content = render(report, output_format)
    data = content.encode("utf-8") if isinstance(content, str) else content
    name = "-".join(str(p) for p in ("审核报告", department, year) if p)
    return f"{name}.{output_format}", REPORT_FORMATS[output_format], data
