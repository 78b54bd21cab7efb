"""``jixiao import`` of published self-evaluation tables: matched to the seed's projects, refused when unmatched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.selfeval_docs import document, filled, unnamed
from tests.test_cli import SEED


def _import(tmp_path: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "jixiao.cli.main", "import", *map(str, paths)], capture_output=True,
                          text=True, env=env, cwd=tmp_path)


def test_import_self_evaluations_after_their_targets(tmp_path: Path) -> None:
    good = tmp_path / "自评表.json"
    good.write_text(json.dumps([document(filled("50011522T000000157087")), unnamed("50011522T000000132369")],
                               ensure_ascii=False), encoding="utf-8")
    lost = tmp_path / "无此项目.json"
    lost.write_text(json.dumps(unnamed("50011522T000000157087", project_name="没有的项目"), ensure_ascii=False),
                    encoding="utf-8")
    first = _import(tmp_path, good)  # no projects yet: nothing to attach them to
    assert first.returncode == 1 and "没有对应的项目" in first.stderr and "整个文件未导入" in first.stderr
    done = _import(tmp_path, SEED, good, lost)
    assert done.returncode == 1, done.stderr
    row = next(line for line in done.stderr.splitlines() if "自评表.json" in line and "已导入" in line)
    assert [cell.strip() for cell in row.split("│")[3:7]] == ["2", "0", "2", "2"]  # 表、新增版本、自评表、新增自评表
    assert "已按项目名称和实施单位" in done.stderr and "没有的项目" in done.stderr
    again = _import(tmp_path, good)
    assert again.returncode == 0 and "已存在，未重复导入" in again.stderr
