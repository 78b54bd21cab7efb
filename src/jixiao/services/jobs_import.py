"""The import job: every file through ``services.imports.import_as``, each in its own transaction.

A zip is opened first, within ``io/limits.py`` (its directory checked before anything is inflated: size,
ratio, members), and its members become the job's files in one transaction. Then file after file: the import
commits the file's rows, and the file is marked done with the job's progress right after; a worker killed in
between leaves the file's rows whole (its import was one transaction) and the run after it finds the file
"unchanged" (imports are idempotent by content), so nothing is half-written or written twice.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import PurePosixPath

from sqlalchemy import delete, select

from jixiao.io.limits import DEFAULT, ZIP_ERRORS, TooBig, open_zip
from jixiao.services.imports import IMPORTABLE, ImportResult, import_as
from jixiao.services.jobs_step import Run
from jixiao.storage.models import JobFile

MAX_MEMBERS = 20_000  # files in one zip
STATUS_LABELS = {"imported": "已导入", "unchanged": "已存在，未重复导入", "refused": "被拒绝"}
ARCHIVE_LIMITS = replace(DEFAULT, max_bytes=DEFAULT.max_unzipped)  # the zip itself; each member: DEFAULT


def _members(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The importable members of a zip (name inside it, bytes) and what was left out, in Chinese."""
    try:
        archive = open_zip(data, ARCHIVE_LIMITS)
    except TooBig as refused:
        return [], [f"{name}：{refused}"]
    notes: list[str] = []
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        return [], [f"{name}：压缩包中有 {len(members)} 个文件，超过上限 {MAX_MEMBERS} 个，未导入"]
    found: list[tuple[str, bytes]] = []
    for member in members:
        inner = f"{name}/{member.filename}"
        if PurePosixPath(member.filename).suffix.lower() not in IMPORTABLE:
            notes.append(f"{inner}：不是可导入的文件类型（{'、'.join(IMPORTABLE)}），已跳过")
            continue
        if member.file_size > DEFAULT.max_bytes:
            notes.append(f"{inner}：文件过大（上限 {DEFAULT.max_bytes // 1024 // 1024} MB），已跳过")
            continue
        try:
            found.append((inner, archive.read(member)))
        except ZIP_ERRORS:
            notes.append(f"{inner}：压缩包中的这个文件已损坏，无法解压，已跳过")
    return found, notes


def _open_archives(step: Run) -> None:
    """Replace each zip by its members (one transaction: a crash leaves the zip to open again)."""
    sessions = step.context.sessions
    with sessions() as session:
        archives = session.scalars(select(JobFile.id).where(JobFile.job_id == step.job_id,
                                                            JobFile.state == "archive")).all()
    for archive_id in archives:
        step.checkpoint()
        with sessions.begin() as session:
            row = session.get(JobFile, archive_id)
            assert row is not None
            members, notes = _members(row.name, row.data or b"")
            last = session.scalar(select(JobFile.position).where(JobFile.job_id == step.job_id)
                                  .order_by(JobFile.position.desc()).limit(1)) or 0
            for offset, (inner, data) in enumerate(members, start=1):
                session.add(JobFile(job_id=step.job_id, position=last + offset, name=inner[:500], data=data,
                                    state="pending"))
            session.execute(delete(JobFile).where(JobFile.id == archive_id))
            session.flush()
            total = len(session.scalars(select(JobFile.id).where(JobFile.job_id == step.job_id)).all())
            step.record(session, errors=len(notes) if not members else 0, messages=notes, total=total)


def _messages(result: ImportResult) -> list[str]:
    if result.status != "refused":
        return []
    errors = [d for d in result.diagnostics if d.severity.value == "error"] or result.diagnostics
    first = errors[0].message if errors else "文件被拒绝"
    return [f"{result.file}：{first}" + (f"（另有 {len(errors) - 1} 个问题）" if len(errors) > 1 else "")]


def run_import(step: Run) -> tuple[str, str, bytes]:
    """Import every pending file of the job; the result is a table of every file's outcome (CSV, UTF-8)."""
    _open_archives(step)
    sessions, profile = step.context.sessions, step.context.profile
    with sessions() as session:
        pending = session.scalars(select(JobFile.id).where(JobFile.job_id == step.job_id, JobFile.state == "pending")
                                  .order_by(JobFile.position)).all()
    for file_id in pending:
        step.checkpoint()
        with sessions() as session:
            row = session.get(JobFile, file_id)
            assert row is not None
            name, data = row.name, row.data or b""
        result = import_as(sessions, step.actor, data, name, profile)  # the file's one transaction
        with sessions.begin() as session:
            row = session.get(JobFile, file_id)
            assert row is not None
            row.state, row.data = "done", None
            row.outcome = {"status": result.status, "tables": result.tables, "new_versions": result.new_versions,
                           "self_evaluations": result.self_evaluations, "problems": _messages(result)}
            step.record(session, done=1, errors=int(result.status == "refused"), messages=_messages(result))
    return _summary(step)


def _summary(step: Run) -> tuple[str, str, bytes]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["文件", "结果", "表", "新增版本", "其中自评表", "问题"])
    with step.context.sessions() as session:
        for row in session.scalars(select(JobFile).where(JobFile.job_id == step.job_id).order_by(JobFile.position)):
            outcome = row.outcome or {}
            writer.writerow([row.name, STATUS_LABELS.get(str(outcome.get("status")), "未处理"),
                             outcome.get("tables", 0), outcome.get("new_versions", 0),
                             outcome.get("self_evaluations", 0), "；".join(outcome.get("problems", []))])
    return f"导入结果-任务{step.job_id}.csv", "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode("utf-8")

