"""``jixiao --version`` and usage errors as a command-line user expects them: Chinese, exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from jixiao import __version__
from jixiao.cli.main import main
from tests.test_cli import SEED, run

# What Click and Typer write in English; none of it may reach a user of jixiao.
ENGLISH = re.compile(r"No such|Missing|Invalid value|Got unexpected|Try '|Error:|Did you mean|Possible options|"
                     r"requires (an )?argument|is not one of|is not a valid|does not exist|Usage:|for help|"
                     r"Choose from|takes \d+ values|does not take")


def usage_error(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """Run the command in this process; return what it wrote to stderr (it must exit with 2)."""
    monkeypatch.setattr(sys, "argv", ["jixiao", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    assert exited.value.code == 2, captured
    assert captured.out == ""
    assert not ENGLISH.search(captured.err), captured.err
    assert captured.err.startswith("用法错误："), captured.err
    assert "运行 jixiao --help 或 jixiao 命令 --help 查看用法。" in captured.err
    return captured.err.splitlines()[0].removeprefix("用法错误：")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag_prints_the_version_and_exits_0_without_the_web_stack(flag: str) -> None:
    done = run(flag)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"jixiao {__version__}\n", "")
    assert __version__ == "0.1.0"
    probe = ("import sys; sys.argv = ['jixiao', '--version']\n"
             "from jixiao.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette', "
             "'sqlalchemy', 'jinja2', 'weasyprint') or m.startswith(('jixiao.web', 'jixiao.storage')))\n"
             "print(code, loaded)")
    checked = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert checked.stdout == f"jixiao {__version__}\n0 []\n", checked


def test_parse_loads_neither_the_engines_nor_the_web_nor_the_office_writers() -> None:
    """``jixiao parse`` reaches the readers through ``services.tables``; rules, scoring, profiles, reports,
    storage and the web stack stay unloaded (the other commands import their services when they run)."""
    probe = (f"import sys; sys.argv = ['jixiao', 'parse', '-f', 'json', '-o', '-', {str(SEED)!r}]\n"
             "from jixiao.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
             "loaded = sorted({m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette', "
             "'sqlalchemy', 'jinja2', 'weasyprint', 'openpyxl', 'xlsxwriter', 'docx')} | {'.'.join(m.split('.')[:2]) "
             "for m in sys.modules if m.startswith(('jixiao.web', 'jixiao.storage', 'jixiao.rules', "
             "'jixiao.scoring', 'jixiao.profiles', 'jixiao.reports'))})\n"
             "print(code, 'jixiao.services.tables' in sys.modules, loaded, file=sys.stderr)")
    checked = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert checked.stdout.startswith("[\n"), checked.stdout[:200]  # the tables were read and written
    assert checked.stderr.splitlines()[-1] == "0 True []", checked.stderr


# What only another layout or format needs: imported when such a file is read, never to read the 重庆 layout.
OTHER_READERS = ("jixiao.io.readers.grid", "jixiao.io.readers.selfeval_grid", "jixiao.io.readers.selfeval.form",
                 "jixiao.io.readers.selfeval.cells", "jixiao.io.readers.anylayout.cutting",
                 "jixiao.io.readers.selfeval_html_grid", "jixiao.io.readers.selfeval_text_lines",
                 "jixiao.io.office.docx_rows", "jixiao.io.office.xlsx_rows", "jixiao.io.office.pdf_rows",
                 "jixiao.io.office.xml_scan", "jixiao.io.bounded", "opencc")


def test_parse_of_the_chongqing_layout_loads_no_other_reader_internals() -> None:
    """Start-up counts in the whole-process parse goal (issue 11): registering a reader costs only its sniff,
    and sniffing a file compares words, without OpenCC (its dictionary takes 50 ms to load)."""
    probe = (f"import sys; sys.argv = ['jixiao', 'parse', '-f', 'json', '-o', '-', {str(SEED)!r}]\n"
             "from jixiao.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
             f"print(code, sorted(m for m in {OTHER_READERS!r} if m in sys.modules), file=sys.stderr)")
    checked = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert checked.stdout.startswith("[\n"), checked.stdout[:200]
    assert checked.stderr.splitlines()[-1] == "0 []", checked.stderr


def test_version_command_stays() -> None:
    done = run("version")
    assert (done.returncode, done.stdout) == (0, f"jixiao {__version__}\n")


def test_unknown_option_in_a_real_process() -> None:
    done = run("parse", "--bogus", str(SEED))
    assert done.returncode == 2 and not ENGLISH.search(done.stderr), done.stderr
    assert "没有这个选项：--bogus" in done.stderr


def test_unknown_option_and_its_close_match(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert usage_error(capsys, monkeypatch, "--x") == "没有这个选项：--x"
    assert (usage_error(capsys, monkeypatch, "check", "--selct", "T", str(SEED))
            == "没有这个选项：--selct；是否为：--select？")


def test_missing_argument(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert usage_error(capsys, monkeypatch, "parse") == "缺少参数 FILES"
    assert usage_error(capsys, monkeypatch, "user", "add") == "缺少参数 USERNAME"


def test_option_without_its_value(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert usage_error(capsys, monkeypatch, "parse", str(SEED), "--format") == "选项 --format 需要一个值"


def test_invalid_values(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert (usage_error(capsys, monkeypatch, "parse", "--format", "xml", str(SEED))
            == "--format / -f 的值无效：“xml” 不是可选的值（可选：table、json、text）")
    assert usage_error(capsys, monkeypatch, "serve", "--port", "abc") == "--port 的值无效：“abc”不是有效的整数"
    assert usage_error(capsys, monkeypatch, "parse", str(SEED), "--jobs", "0") == "--jobs / -j 的值无效：“0”应不小于 1"


def test_extra_arguments_and_unknown_commands(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert usage_error(capsys, monkeypatch, "version", "extra", "more") == "多余的参数：extra more"
    assert usage_error(capsys, monkeypatch, "pars", str(SEED)) == "没有这个命令：pars；是否为：parse？"
    assert usage_error(capsys, monkeypatch, "nosuch") == "没有这个命令：nosuch"


def test_messages_without_a_command_that_raises_them_today() -> None:
    """Click's other usage errors, built directly (no jixiao command triggers them yet)."""
    from typer._click import exceptions as click_errors

    from jixiao.cli.usage_errors import explain

    cases = {
        click_errors.BadOptionUsage("--flag", "Option '--flag' does not take a value."): "选项 --flag 不接受值",
        click_errors.BadOptionUsage("--pair", "Option '--pair' requires 2 arguments."): "选项 --pair 需要 2 个值",
        click_errors.BadArgumentUsage("Argument 'range' takes 2 values."): "参数 range 需要 2 个值",
        click_errors.UsageError("Missing command."): "缺少子命令",
        click_errors.BadParameter("File 'a.txt' does not exist.", param_hint="FILE"):
            "FILE 的值无效：文件“a.txt”不存在",
        click_errors.BadParameter("Directory 'out' is a directory.", param_hint=["--output", "-o"]):
            "--output / -o 的值无效：目录“out”是目录，不是文件",
        click_errors.BadParameter("Value 'x' is not a valid float."): "值无效：“x” 不是有效的数字",
        click_errors.MissingParameter(param_hint="'--role'", param_type="option"): "缺少选项 --role",
        click_errors.FileError("a.txt", "Permission denied"): "无法打开文件“a.txt”：Permission denied",
        click_errors.NoSuchOption("--colour", possibilities=["--color"]): "没有这个选项：--colour；是否为：--color？",
    }
    for error, expected in cases.items():
        assert explain(error) == expected
    assert explain(click_errors.UsageError("某个命令自己的中文说明")) == "某个命令自己的中文说明"


# What Typer and Click write on help pages in English.
HELP_ENGLISH = re.compile(r"Usage:|\bOptions\b|\bArguments\b|\bCommands\b|Show this message|\[default:|\[required\]|"
                          r"\[OPTIONS\]|COMMAND \[ARGS\]")


@pytest.mark.parametrize("args", [(), ("--help",), ("parse", "--help"), ("check", "--help"), ("user",),
                                  ("user", "add", "--help"), ("selfeval", "--help")])
def test_help_pages_are_in_chinese(args: tuple[str, ...]) -> None:
    done = run(*args)
    page = done.stdout + done.stderr
    assert "用法：jixiao" in page and "显示本帮助并退出。" in page, page
    assert "选项" in page
    assert not HELP_ENGLISH.search(page), page
