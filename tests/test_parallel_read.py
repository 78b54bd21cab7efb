"""``jixiao parse --format json`` on several processes writes what one process writes, byte for byte,
with the same diagnostics in the same order and the same exit code (jixiao.io.parallel_read)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.generate import iter_tables

from jixiao.cli.parse_run import run_parse
from jixiao.io import parallel_read


@pytest.fixture(autouse=True)
def _cut_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel_read, "MIN_BYTES", 0)  # cut test-sized files too


def _corpus(count: int, *, seed: int = 7) -> list[str]:
    return [text for _table, text in iter_tables(count, seed)]


def _write(path: Path, texts: list[str], *, prefix: str = "") -> Path:
    path.write_bytes((prefix + "\n".join(texts)).encode("utf-8"))
    return path


def _run(path: Path, out: Path, jobs: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, bytes, str]:
    code = run_parse([path], "json", out, None, jobs)
    return code, out.read_bytes(), capsys.readouterr().err


def _same_as_one_process(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         jobs: tuple[int, ...] = (2, 3)) -> tuple[int, str]:
    one = _run(path, tmp_path / "one.json", 1, capsys)
    for n in jobs:
        assert _run(path, tmp_path / f"{n}.json", n, capsys) == one, f"{n} processes differ from one"
    return one[0], one[2]


def test_the_file_is_really_cut(tmp_path: Path) -> None:
    path = _write(tmp_path / "corpus.txt", _corpus(60))
    cuts = parallel_read._plan(path, None, 3)
    assert cuts is not None and len(cuts) == 4
    data = path.read_bytes()
    for cut in cuts[1:-1]:  # each cut is the start of a title line
        line = data[cut:data.index(b"\n", cut)].decode("utf-8")
        assert data[cut - 1:cut] == b"\n" and line.strip().endswith("绩效目标表")


def test_clean_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _same_as_one_process(_write(tmp_path / "corpus.txt", _corpus(60)), tmp_path, capsys)
    assert code == 0 and "60 张表" in err


def test_defects_in_every_piece_and_text_outside_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = _corpus(60)
    texts[5] = texts[5].replace("项目总额：", "项目总额：约", 1)  # a bad amount in the first piece
    texts[40] = texts[40].replace("年度目标：", "年度目标：\u200b", 1)  # an odd character in a later piece
    texts[50] = texts[50].replace("项目总额：", "项目总额：abc", 1)
    texts[-1] = texts[-1][: len(texts[-1]) // 2]  # the last table cut off
    path = _write(tmp_path / "corpus.txt", texts, prefix="某区财政局2022年部门预算公开\n附件3\n")
    code, err = _same_as_one_process(path, tmp_path, capsys)
    assert code == 1
    assert "不属于任何绩效目标表的文字" in err  # the file-level news, once, at the end as read through
    assert err.count("不属于任何绩效目标表的文字") == 2


def test_no_table_counted_in_the_first_piece(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A long preamble: the first piece holds text only; "no table" must not be said, since later pieces have them
    path = _write(tmp_path / "corpus.txt", _corpus(20), prefix="说明文字\n" * 20_000)
    cuts = parallel_read._plan(path, None, 2)
    assert cuts is not None
    _code, err = _same_as_one_process(path, tmp_path, capsys, jobs=(2,))
    assert "没有找到绩效目标表" not in err


@pytest.mark.parametrize("damage", [b"\r\n", b"\xff\xfe"])
def test_what_may_read_differently_in_pieces_is_read_through(tmp_path: Path, damage: bytes,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Universal newlines or undecodable bytes in a later piece: that file is read through, the same output
    data = "\n".join(_corpus(40)).encode("utf-8")
    middle = data.index(b"\n", len(data) * 3 // 4)
    path = tmp_path / "corpus.txt"
    path.write_bytes(data[:middle] + damage + data[middle:])
    _same_as_one_process(path, tmp_path, capsys)


def test_a_child_that_dies_has_its_piece_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def dies(conn: object, path: Path, start: int, stop: int) -> None:
        conn.send(True)  # type: ignore[attr-defined]
        os._exit(3)

    monkeypatch.setattr(parallel_read, "_child", dies)
    texts = _corpus(40)
    texts[30] = texts[30].replace("项目总额：", "项目总额：abc", 1)
    _same_as_one_process(_write(tmp_path / "corpus.txt", texts), tmp_path, capsys)


def test_to_a_pipe(tmp_path: Path) -> None:
    # Standard output a pipe: the children's JSON comes through this process (not written in place)
    path = _write(tmp_path / "corpus.txt", _corpus(30))
    script = ("import sys\nfrom jixiao.io import parallel_read\nparallel_read.MIN_BYTES = 0\n"
              "from jixiao.cli.main import main\nsys.exit(main())\n")
    outputs = [subprocess.run([sys.executable, "-c", script, "parse", str(path), "-f", "json", "-j", jobs],
                              capture_output=True, check=True).stdout for jobs in ("1", "2")]
    assert outputs[0] == outputs[1] and outputs[0].count(b'"format_version"') == 30


def test_small_files_and_other_layouts_are_not_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel_read, "MIN_BYTES", 4 << 20)
    assert parallel_read.read_path_json(_write(tmp_path / "small.txt", _corpus(5)), None, 2) is None
    monkeypatch.setattr(parallel_read, "MIN_BYTES", 0)
    json_file = tmp_path / "tables.json"
    json_file.write_text("[]", encoding="utf-8")
    assert parallel_read.read_path_json(json_file, None, 2) is None
    assert parallel_read.read_path_json(_write(tmp_path / "c.txt", _corpus(5)), None, 1) is None
