"""``jixiao backup`` and ``jixiao restore``: the whole system of record in one file, and back.

A backup is a ``.tar.gz`` holding ``manifest.json`` (what it is: format, engine, time, jixiao version, schema
revision, rows per table, the checksum of the database member) and the database: a SQLite copy taken with
the online backup API, or a ``pg_dump --format=custom`` file. jixiao keeps no uploaded files on disk: an
import stores what it read (the tables as JSON format v1, the file's name, its SHA-256 and its diagnostics) in
the database, so the database member is the whole state. A restore checks everything before it overwrites
anything (a file that is not a jixiao backup is named as such), then checks the restored rows against the
manifest. The copying itself is ``storage/dump.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from jixiao import __version__
from jixiao.services.context import AppContext
from jixiao.storage import dump
from jixiao.storage.migrate import known_revisions

FORMAT = "jixiao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024

# (step, done, total): the step's Chinese name and how far it is; total 0 means "no measure" (pg_dump)
Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup or restore refused or failed; ``message`` (中文) names the file and the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    engine: str
    tables: dict[str, int]
    size: int


@dataclass(frozen=True, slots=True)
class RestoreResult:
    engine: str
    tables: dict[str, int]
    created_at: str
    revision: str | None


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


def _engine(context: AppContext) -> Any:
    return context.sessions.kw["bind"]


def _target(dest: Path, stamp: datetime) -> Path:
    """A folder gets a new file named by the time (for schedules); a file name is taken as it is, never replaced."""
    path = dest / f"jixiao-backup-{stamp:%Y%m%d-%H%M%S}.tar.gz" if dest.is_dir() else dest
    if path.exists():
        raise BackupError(f"备份文件已存在，未覆盖：{path}")
    if not path.parent.is_dir():
        raise BackupError(f"备份目录不存在：{path.parent}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Counted:
    """A file read by tarfile, telling the progress how many bytes are through."""

    def __init__(self, stream: IO[bytes], total: int, progress: Progress, step: str) -> None:
        self.stream, self.total, self.progress, self.step, self.done = stream, total, progress, step, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.done += len(data)
        self.progress(self.step, self.done, self.total)
        return data


def backup(context: AppContext, dest: Path, progress: Progress = _quiet) -> BackupResult:
    """Write a backup of the context's database to ``dest`` (a file, or a folder for a time-named file)."""
    engine = _engine(context)
    stamp = context.clock()
    path = _target(dest, stamp)
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    member = MEMBERS[kind]
    with tempfile.TemporaryDirectory(prefix=".jixiao-backup-", dir=path.parent) as work:
        copy = Path(work) / member
        try:
            if kind == "sqlite":
                source = dump.sqlite_file(engine)
                assert source is not None
                snapshot = dump.copy_sqlite(source, copy, lambda done, total: progress("复制数据库", done, total))
            else:
                progress("导出数据库（pg_dump）", 0, 0)
                snapshot = dump.dump_postgres(engine, copy)
        except dump.DumpError as error:
            raise BackupError(str(error)) from None
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "engine": kind,
                    "created_at": stamp.isoformat(), "jixiao_version": __version__,
                    "schema_revision": snapshot.revision, "database": member, "sha256": _sha256(copy),
                    "tables": snapshot.tables, "uploaded_files": []}  # none are kept on disk (see the module)
        try:
            _write_archive(Path(work) / "archive.tar.gz", manifest, copy, stamp, progress, path)
        except OSError as error:  # a full disk, a folder that became unwritable
            raise BackupError(f"写入备份文件 {path} 失败：{error.strerror or error}") from None
    return BackupResult(path, kind, snapshot.tables, path.stat().st_size)


def _write_archive(partial: Path, manifest: dict[str, Any], copy: Path, stamp: datetime, progress: Progress,
                   path: Path) -> None:
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(body), int(stamp.timestamp()), 0o600
        archive.addfile(info, io.BytesIO(body))
        info = archive.gettarinfo(str(copy), arcname=member_name(manifest))
        info.mode = 0o600
        with copy.open("rb") as stream:
            archive.addfile(info, _Counted(stream, copy.stat().st_size, progress, "写入备份文件"))
    partial.chmod(0o600)  # it holds password hashes and token hashes: for the backup's owner only
    shutil.move(partial, path)  # whole or not at all: a failed backup leaves no file under the name


def member_name(manifest: dict[str, Any]) -> str:
    return MEMBERS[manifest["engine"]]


def _not_backup(source: Path, why: str) -> BackupError:
    return BackupError(f"{source} 不是 jixiao 备份文件：{why}")


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of the backup ``source``, checked (a file that is not a jixiao backup says so, by name)."""
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    try:
        with tarfile.open(source, "r:*") as archive:
            try:
                stream = archive.extractfile(MANIFEST)
            except KeyError:
                raise _not_backup(source, f"其中没有 {MANIFEST}") from None
            manifest = json.loads(stream.read().decode("utf-8")) if stream else None
    except (tarfile.TarError, EOFError, zlib.error):
        with source.open("rb") as head:
            if head.read(2) == b"\x1f\x8b":  # gzip, but not a whole archive: cut short or damaged
                raise _not_backup(source, "归档已损坏（文件不完整？），无法读出") from None
        raise _not_backup(source, "它不是 tar.gz 归档（jixiao backup 生成的文件是 .tar.gz）") from None
    except OSError as error:
        raise BackupError(f"无法读取备份文件 {source}：{error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_backup(source, f"{MANIFEST} 不是有效的 JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_backup(source, f"{MANIFEST} 不是 jixiao 备份的说明")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(f"{source} 由较新版本的 jixiao 生成（备份格式 {manifest.get('format_version')}），"
                          f"请先升级 jixiao 再恢复")
    if manifest.get("engine") not in MEMBERS or not isinstance(manifest.get("tables"), dict):
        raise _not_backup(source, f"{MANIFEST} 缺少数据库类型或表的行数")
    revision = manifest.get("schema_revision")
    if revision is not None and revision not in known_revisions():
        raise BackupError(f"{source} 来自较新版本的 jixiao（数据库结构版本 {revision}），请先升级 jixiao 再恢复")
    return manifest


def _extract(source: Path, manifest: dict[str, Any], folder: Path) -> Path:
    member = member_name(manifest)
    copy = folder / member
    with tarfile.open(source, "r:*") as archive:
        try:
            stream = archive.extractfile(member)
        except KeyError:
            raise _not_backup(source, f"其中没有数据库文件 {member}") from None
        if stream is None:
            raise _not_backup(source, f"{member} 不是普通文件")
        with copy.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK)
    if _sha256(copy) != manifest.get("sha256"):
        raise BackupError(f"{source} 已损坏：数据库文件的校验和与备份说明不符")
    return copy


def restore(context: AppContext, source: Path, progress: Progress = _quiet) -> RestoreResult:
    """Replace the context's database with the backup ``source``: checked whole first, then verified row by row
    count against the manifest. The caller migrates afterwards (a backup of an older jixiao is brought up to date)."""
    manifest = read_manifest(source)
    engine = _engine(context)
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    if manifest["engine"] != kind:
        raise BackupError(f"{source} 是 {ENGINE_NAMES[manifest['engine']]} 数据库的备份，不能恢复到当前的 "
                          f"{ENGINE_NAMES[kind]} 数据库（JIXIAO_DATABASE_URL）")
    expected = {str(name): int(rows) for name, rows in manifest["tables"].items()}
    with tempfile.TemporaryDirectory(prefix=".jixiao-restore-") as work:
        progress("校验备份文件", 0, 0)
        try:
            copy = _extract(source, manifest, Path(work))
        except (tarfile.TarError, EOFError, zlib.error):
            raise _not_backup(source, "归档已损坏（文件不完整？），无法读出其中的数据库") from None
        except OSError as error:
            raise BackupError(f"读取备份文件 {source} 失败：{error.strerror or error}") from None
        try:
            if kind == "sqlite":
                if dump.check_sqlite(copy).tables != expected:
                    raise BackupError(f"{source} 已损坏：数据库中的行数与备份说明不符")
                target = dump.sqlite_file(engine)
                assert target is not None
                engine.dispose()
                dump.restore_sqlite(copy, target, lambda done, total: progress("恢复数据库", done, total))
            else:
                dump.check_postgres_dump(copy)
                progress("恢复数据库（pg_restore）", 0, 0)
                dump.restore_postgres(engine, copy)
            restored = dump.table_counts(engine)
        except dump.DumpError as error:
            raise BackupError(str(error)) from None
    missing = {name: rows for name, rows in expected.items() if restored.tables.get(name) != rows}
    if missing:
        raise BackupError(f"恢复后的行数与备份不符（{', '.join(sorted(missing))}），请检查数据库后重新恢复")
    return RestoreResult(kind, expected, str(manifest.get("created_at")), manifest.get("schema_revision"))
