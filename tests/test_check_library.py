"""``jixiao check --library``: the review compares each target with what comparable projects set in the configured
database's indicator library (P006), and says nothing of it without the flag."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import msgspec

from jixiao.demo.region import region
from jixiao.domain import ProjectCode, Value
from jixiao.io.writers.published_text import format_table
from jixiao.services.context import AppContext, migrate
from jixiao.services.demo_region import load_region


def test_check_with_the_library_finds_a_target_looser_than_comparable_projects(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jixiao.sqlite3'}"
    context = AppContext.from_url(url)
    migrate(context)
    load_region(context.sessions, 60)  # approved tables of three years, and the library built from them
    context.close()
    table = next(item.table for item in region(60)
                 if any(row.name == "服务对象满意度" for row in item.table.indicators))
    rows = tuple(msgspec.structs.replace(row, target=Value("50"), current_target=None)
                 if row.name == "服务对象满意度" else row for row in table.indicators)
    assert table.project is not None and table.project.code is not None
    new_code = ProjectCode(table.project.code.raw[:8] + "T999999999999")  # a new project: not compared with itself
    fresh = msgspec.structs.replace(table, indicators=rows, project=msgspec.structs.replace(table.project,
                                                                                            code=new_code))
    path = tmp_path / "新项目.txt"
    path.write_text(format_table(fresh), encoding="utf-8")
    env = {"JIXIAO_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}

    def check(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jixiao.cli.main", "check", str(path), "--select", "P006",
                               *flags, "--format", "json"], env=env, capture_output=True, text=True, check=False)

    with_library, without = check("--library"), check()
    found = json.loads(with_library.stdout)["findings"]
    lowered = [f for f in found if f["location"]["indicator_name"] == "服务对象满意度"]
    assert {f["code"] for f in found} == {"P006"} and len(lowered) == 1, with_library.stderr
    assert "目标 50%" in lowered[0]["message"] and "可比项目设定" in lowered[0]["message"]
    assert json.loads(without.stdout)["findings"] == []
