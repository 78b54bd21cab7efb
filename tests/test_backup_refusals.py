"""What ``jixiao restore`` refuses before it touches anything, and ``jixiao backup`` / ``restore`` as commands."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.services.backup import MANIFEST, BackupError, backup, read_manifest, restore
from jixiao.services.context import AppContext, migrate
from jixiao.services.imports import import_files
from jixiao.storage import dump
from tests.test_cli import SEED


@pytest.fixture
def made(tmp_path: Path) -> tuple[AppContext, Path]:
    """A migrated SQLite database with the seed, and a backup of it."""
    context = AppContext.from_url(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    migrate(context)
    import_files(context.sessions, [SEED])
    return context, backup(context, tmp_path).path


def _rewrite(source: Path, target: Path, manifest: dict[str, object] | None = None,
             database: bytes | None = None) -> Path:
    """A copy of the backup ``source`` with its manifest or database member replaced."""
    with tarfile.open(source) as archive, tarfile.open(target, "w:gz") as out:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == MANIFEST and manifest is not None:
                data = json.dumps(manifest).encode()
            elif member.name != MANIFEST and database is not None:
                data = database
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def _projects(context: AppContext) -> int:
    return dump.table_counts(context.sessions.kw["bind"]).tables["projects"]


def test_refusals_name_the_file_and_change_nothing(made: tuple[AppContext, Path], tmp_path: Path) -> None:
    context, good = made
    manifest = read_manifest(good)
    text = tmp_path / "notes.txt"
    text.write_text("不是备份", encoding="utf-8")
    bare = tmp_path / "bare.tar.gz"
    with tarfile.open(bare, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("other.txt"), io.BytesIO(b""))
    alone = tmp_path / "alone.tar.gz"  # the manifest without the database
    with tarfile.open(alone, "w:gz") as archive:
        body = json.dumps(manifest).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    truncated = tmp_path / "truncated.tar.gz"  # a copy cut short: the manifest reads, the database does not
    truncated.write_bytes(good.read_bytes()[:good.stat().st_size // 2])
    cases = {
        truncated: "归档已损坏（文件不完整？）",
        text: "不是 jixiao 备份文件：它不是 tar.gz 归档",
        bare: f"不是 jixiao 备份文件：其中没有 {MANIFEST}",
        _rewrite(good, tmp_path / "a.tar.gz", {**manifest, "format": "other"}): "不是 jixiao 备份的说明",
        _rewrite(good, tmp_path / "b.tar.gz", {**manifest, "format_version": 99}): "由较新版本的 jixiao 生成",
        _rewrite(good, tmp_path / "c.tar.gz", {**manifest, "schema_revision": "9999"}): "数据库结构版本 9999",
        _rewrite(good, tmp_path / "d.tar.gz", database=b"SQLite format 3\0broken"): "已损坏：数据库文件的校验和",
        alone: "其中没有数据库文件 database.sqlite3",
        tmp_path / "missing.tar.gz": "备份文件不存在",
    }
    before = _projects(context)
    for path, words in cases.items():
        with pytest.raises(BackupError) as refused:
            restore(context, path)
        assert words in refused.value.message and str(path) in refused.value.message, refused.value.message
    assert _projects(context) == before == 9


def test_a_backup_of_the_other_engine_is_refused(made: tuple[AppContext, Path], tmp_path: Path) -> None:
    context, good = made
    with tarfile.open(good) as archive:
        database = archive.extractfile("database.sqlite3").read()  # type: ignore[union-attr]
    import hashlib

    manifest = {**read_manifest(good), "engine": "postgresql", "database": "database.pgdump",
                "sha256": hashlib.sha256(database).hexdigest()}
    forged = tmp_path / "pg.tar.gz"
    with tarfile.open(forged, "w:gz") as out:
        for name, data in ((MANIFEST, json.dumps(manifest).encode()), ("database.pgdump", database)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="PostgreSQL 数据库的备份，不能恢复到当前的 SQLite"):
        restore(context, forged)


def test_a_backup_is_for_its_owner_only(made: tuple[AppContext, Path]) -> None:
    _context, good = made
    assert good.stat().st_mode & 0o777 == 0o600  # password and token hashes are in it
    with tarfile.open(good) as archive:
        assert {member.name: member.mode for member in archive.getmembers()} == {
            MANIFEST: 0o600, "database.sqlite3": 0o600}


def test_backup_never_replaces_a_file(made: tuple[AppContext, Path]) -> None:
    context, good = made
    with pytest.raises(BackupError, match="备份文件已存在，未覆盖"):
        backup(context, good)
    with pytest.raises(BackupError, match="备份目录不存在"):
        backup(context, good.parent / "nowhere" / "x.tar.gz")


def test_a_missing_postgresql_client_is_said_in_chinese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dump.DumpError, match=r"找不到 PostgreSQL 客户端程序 pg_dump.*postgresql-client"):
        dump.tool("pg_dump")


def test_backup_and_restore_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{database}")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(SEED)]).exit_code == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    done = runner.invoke(app, ["backup", str(folder)])
    assert done.exit_code == 0, done.output
    archive = next(folder.glob("jixiao-backup-*.tar.gz"))
    assert f"已备份到 {archive}" in done.output and "共" in done.output
    context = AppContext.from_url(f"sqlite:///{database}")
    with context.sessions.begin() as session:  # a change after the backup, undone by the restore
        from sqlalchemy import text

        session.execute(text("DELETE FROM audit_log"))
    refused = runner.invoke(app, ["restore", str(archive)], input="n\n")
    assert refused.exit_code == 1 and "未恢复" in refused.output
    done = runner.invoke(app, ["restore", "--yes", str(archive)])
    assert done.exit_code == 0, done.output
    assert "行数已逐表核对" in done.output
    assert dump.table_counts(context.sessions.kw["bind"]).tables == read_manifest(archive)["tables"]
    context.close()
    bad = runner.invoke(app, ["restore", "--yes", str(SEED)])
    assert bad.exit_code == 1 and f"{SEED} 不是 jixiao 备份文件" in bad.output.replace("\n", "")
    assert "Traceback" not in bad.output
    assert runner.invoke(app, ["migrate"]).exit_code == 0
