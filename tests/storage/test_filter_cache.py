"""The list pages' filter choices are cached per process but invalidated through the database: a project that
another process (here: another engine on the same database) imports shows in this process's choices at once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jixiao.services.imports import import_files
from jixiao.services.permissions import Actor
from jixiao.services.queries import CountCache, cached_filter_options
from jixiao.storage.db import session_factory
from tests.test_cli import SEED


def _one_table_with_new_unit(folder: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    first = text[:text.index("绩效目标表", text.index("绩效目标表") + 1)]
    changed = (first.replace("145001-重庆市长寿区政务服务管理办公室（本级）", "145077-另一进程导入的单位")
               .replace("50011522T000000157087", "50011522T000000999077"))
    path = folder / "new-unit.txt"
    path.write_text(changed, encoding="utf-8")
    return path


def test_choices_follow_a_change_made_elsewhere(engine: Engine, sessions: sessionmaker[Session],
                                                actors: dict[str, Actor], tmp_path: Path) -> None:
    finance = actors["finance"]
    cache = CountCache(seconds=3600)  # so only the database stamp can invalidate it
    with sessions() as session:
        first = cached_filter_options(session, finance, cache, ("finance",))
        again = cached_filter_options(session, finance, cache, ("finance",))
    assert again is first  # served from the cache while nothing changed
    assert "145077" not in dict(first["units"])
    elsewhere = session_factory(engine.engine)  # another connection pool: what another process would hold
    [result] = import_files(elsewhere, [_one_table_with_new_unit(tmp_path)])
    assert result.status == "imported", result.diagnostics
    with sessions() as session:
        after = cached_filter_options(session, finance, cache, ("finance",))
    assert dict(after["units"])["145077"] == "另一进程导入的单位"
