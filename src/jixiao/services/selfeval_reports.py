"""The drafted 自评报告 (Word and PDF) from a scoring run over files, or from a stored self-evaluation.

Builds :class:`~jixiao.reports.selfeval_report.Sources` that say where each figure came from — the file and row
when files were read, the submission and its approved table when it was stored — and the region's 结果应用
sentence for the grade (from the profile's ``[results]``), then renders with ``reports.selfeval_report_files``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from jixiao.domain.results_policy import BudgetAction
from jixiao.domain.score_formulas import show
from jixiao.profiles import RegionProfile
from jixiao.reports.selfeval_report import Figure, Report, Run, Sources, Trace, build_report
from jixiao.reports.selfeval_report_files import report_docx, report_pdf
from jixiao.scoring.model import ProjectScore
from jixiao.scoring.report import scores_to_dict
from jixiao.services import profiles
from jixiao.services.errors import InvalidInput
from jixiao.services.lookups import stored_self_evaluation
from jixiao.services.permissions import Actor
from jixiao.services.selfeval import score_files

REPORT_FORMATS = ("docx", "pdf")


class ReportRefused(InvalidInput):
    code = "selfeval_report_refused"
    summary = "无法生成自评报告"


def results_sentence(grade: str | None, region: RegionProfile) -> list[Run] | None:
    """“按……，自评等级“中”对应“核减 10%”。” with the share traced to the profile; ``None`` when not mapped."""
    rule = region.results.by_grade.get(grade or "")
    if rule is None:
        return None
    runs: list[Run] = ["按本地区结果应用规则"]
    if rule.source:
        runs += ["（", Figure(rule.source, Trace(f"配置 {region.name}", f"[results.grade]“{grade}”", "依据",
                                                rule.source)), "）"]
    runs.append(f"，自评等级“{grade}”对应“{rule.action.value}")
    if rule.action is BudgetAction.CUT:
        runs += [" ", Figure(f"{show(rule.percent)}%", Trace(f"配置 {region.name}", f"[results.grade]“{grade}”",
                                                            "核减比例（%）", show(rule.percent)))]
    runs.append("”。")
    return runs


def _render(report: Report, output_format: str) -> bytes:
    if output_format == "docx":
        return report_docx(report)
    if output_format == "pdf":
        return report_pdf(report)
    raise ReportRefused(f"自评报告的格式应为 {'、'.join(REPORT_FORMATS)} 之一，收到“{output_format}”")


def files_report(targets: Iterable[str | Path], actuals: str | Path, budget: str | Path | None,
                 project: str, output_format: str, profile: str | None = None) -> tuple[Report, bytes]:
    """The report of ``project`` scored from files (as ``jixiao score`` reads them), figures traced to file rows."""
    region = profiles.load(profile)
    paths = [Path(target) for target in targets]
    run = score_files(paths, actuals, budget, region.scoring, project)
    if run.has_errors or not run.projects:
        said = "；".join(f"{d.location()}：{d.message}" for d in run.diagnostics if d.severity.value == "error")
        raise ReportRefused(f"项目“{project}”无法计分，未生成自评报告：{said or '文件中没有这个项目'}")
    score = run.projects[0]
    data = scores_to_dict([score], region.scoring)["projects"][0]
    sources = _file_sources(score, paths, Path(actuals), Path(budget) if budget else None)
    report = build_report(data, sources, results_sentence(data.get("grade"), region))
    return report, _render(report, output_format)


def _file_sources(score: ProjectScore, targets: list[Path], actuals: Path, budget: Path | None) -> Sources:
    table = score.table
    target = f"绩效目标表 {table.source.file if table.source else '、'.join(path.name for path in targets)}"
    lines = {n: item.line for n, item in enumerate(table.indicators) if item.line}
    rows = {item.index: item.actual.row for item in score.indicators if item.actual and item.actual.row}
    budget_input = score.execution.budget
    budget_row = budget_input.row if budget_input else None
    return Sources(target, f"实际完成值 {actuals.name}", f"预算执行 {(budget or actuals).name}", lines, rows,
                   budget_row)


def stored_report(session: Session, actor: Actor, code: str, record: int, output_format: str) -> tuple[Report, bytes]:
    """The report of stored self-evaluation ``record`` of project ``code``, as ``actor`` may see it."""
    profile_name, result = stored_self_evaluation(session, actor, code, record)
    shipped = (profile_name or "").split(" ")[0]  # stored as the policy's "name version"
    region = profiles.load(shipped if shipped in profiles.shipped_profiles() else None)
    sources = Sources("已批准的绩效目标表", f"自评填报第 {record} 号", f"自评填报第 {record} 号（预算执行）")
    report = build_report(result, sources, results_sentence(result.get("grade"), region))
    return report, _render(report, output_format)
