"""Web processes on several machines that start at once all migrate the same PostgreSQL database: the migrations
must run one after the other (an advisory lock), not collide on the tables the first one is creating."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from jixiao.storage.db import make_engine
from jixiao.storage.migrate import upgrade
from tests.storage.conftest import _postgres_engine


def test_concurrent_upgrades_of_a_new_database_all_succeed() -> None:
    for engine in _postgres_engine():
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        url = engine.url.render_as_string(hide_password=False)
        engines = [make_engine(url, connect_args={"options": f"-csearch_path={schema}"}) for _ in range(3)]
        try:
            with ThreadPoolExecutor(max_workers=3) as pool:
                list(pool.map(upgrade, engines))  # each as its own process would: own pool, own connection
            with engine.connect() as connection:
                versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                tables = connection.execute(text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"), {"s": schema}).scalar()
        finally:
            for each in engines:
                each.dispose()
        assert len(versions) == 1 and tables and tables > 10
