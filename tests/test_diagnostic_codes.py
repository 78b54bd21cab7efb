"""Every diagnostic code the code can emit is in the catalogue, with its severity, and documented.

Three views of the same promise: a static scan of ``src/jixiao`` for the codes passed to
``Diagnostic(`` and to the helpers that forward a code; a run of the reader corpus the other tests
use, checking each emitted code and severity; and the generated docs/diagnostics.md.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jixiao.cli.docgen import generate_diagnostics
from jixiao.domain import Diagnostic, Severity, TargetTable
from jixiao.domain.diagnostic_codes import DIAGNOSTICS
from jixiao.io.inputs import (
    read_actuals,
    read_actuals_csv,
    read_budget_csv,
    read_monitor_budget_csv,
    read_progress_csv,
    write_selfeval_template,
)
from jixiao.io.reading import read_bytes, read_path
from jixiao.scoring.matching import match_actuals, match_progress

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "jixiao"
DATA = ROOT / "tests" / "data"
SEED = SRC / "data" / "seed_changshou_2022.txt"


# -- static: the codes written in the source -------------------------------------------------
@dataclass(frozen=True)
class Helper:
    """A callable that takes a diagnostic code: where the code (and the severity) are among its arguments."""

    position: int  # among the positional arguments of a call (``self`` not counted)
    keyword: str  # the parameter's name, for keyword calls and for forwarding inside the helper
    severity: int | Severity  # the severity argument's position, or the severity the helper always gives
    default: Severity | None = None  # the severity when that argument is left out
    receivers: frozenset[str] = frozenset()  # for common method names: the objects it is called on


E, W = Severity.ERROR, Severity.WARNING
_COLLECTOR = frozenset({"self", "out", "self.out", "_Collector", "Collector"})  # io selfeval inputs' _Collector
HELPERS: dict[str, Helper] = {
    "Diagnostic": Helper(0, "code", 1),
    "note": Helper(0, "code", 1),  # readers.table_builder.TableBuilder.note
    "refuse": Helper(2, "code", E),  # io.limits.refuse (default "file-refused")
    "_note": Helper(1, "code", 2),  # scoring.matching
    "_row_error": Helper(1, "code", 5, E),  # scoring.matching
    "indicator": Helper(2, "duplicate_code", E),  # scoring.matching._Index.indicator
    "missing": Helper(2, "error_code", E),  # scoring.matching._Index.missing
    "add": Helper(0, "code", 1, None, _COLLECTOR),  # the selfeval input readers' _Collector
    "error": Helper(0, "code", E, None, _COLLECTOR),
    "warning": Helper(0, "code", W, None, _COLLECTOR),
    "_fail": Helper(0, "code", E),  # the selfeval input readers' _Row._fail
    "IndexProblem": Helper(0, "code", E),  # an index system's or a score entry file's problems (always refused)
    "index_problem": Helper(0, "code", E),  # profiles.index_systems: records an IndexProblem
}
# Functions that return (code, message, column) tuples: the function that forwards them, its name for
# the code, and the severity it gives them (or the tuple's own ``Severity.X`` after the code).
_SAID = ("diagnostic", "code", W)  # io.readers.selfeval_wording: the row grammar's (code, severity, message)
PRODUCERS = {"_columns_for": ("set_columns", "code", W),
             **dict.fromkeys(("stray_row", "unknown_column", "extra_cells", "unknown_operator", "orphan_subrow",
                              "bad_number", "bad_block_weight", "empty_table", "no_indicator_table",
                              "empty_indicator_table", "no_budget_row", "amount_in_yuan"), _SAID)}
_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


def _name(call: ast.Call) -> tuple[str | None, str]:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id, ""
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
            return func.attr, receiver.func.id
        return func.attr, ast.unparse(receiver)
    return None, ""


def _code_argument(call: ast.Call, helper: Helper) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == helper.keyword:
            return keyword.value
    return call.args[helper.position] if len(call.args) > helper.position else None


def _severities(call: ast.Call, helper: Helper) -> set[Severity] | None:
    """The severities a call gives (``Severity.X`` or a choice between two); ``None`` if not written there."""
    if isinstance(helper.severity, Severity):
        return {helper.severity}
    node = next((k.value for k in call.keywords if k.arg == "severity"), None)
    if node is None and len(call.args) > helper.severity:
        node = call.args[helper.severity]
    if node is None:
        return {helper.default} if helper.default else None
    options = [node.body, node.orelse] if isinstance(node, ast.IfExp) else [node]
    found = {Severity[o.attr] for o in options if isinstance(o, ast.Attribute) and o.attr in Severity.__members__}
    return found if len(found) == len({ast.unparse(o) for o in options}) else None


def _literals(node: ast.expr) -> list[str] | None:
    """The codes a literal (or a choice between literals) stands for; ``None`` for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _functions(tree: ast.AST) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, list[ast.Call]]]:
    """Each function with the calls made directly in its body (not in nested functions)."""
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            calls: list[ast.Call] = []
            stack: list[ast.AST] = list(function.body)
            while stack:
                node = stack.pop()
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    continue
                if isinstance(node, ast.Call):
                    calls.append(node)
                stack.extend(ast.iter_child_nodes(node))
            yield function, calls


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    args = function.args
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


@dataclass
class Scan:
    found: dict[str, list[str]]  # code → where it is written
    severities: dict[str, set[Severity | None]]  # code → the severities written with it (None: not known there)
    unfollowed: list[str]  # places that pass a code the scan cannot follow


def scan(root: Path = SRC) -> Scan:
    """Every code written in the modules under ``root``, with its severities."""
    found: dict[str, list[str]] = {}
    severities: dict[str, set[Severity | None]] = {}
    unfollowed: list[str] = []

    def add(code: str, where: str, given: set[Severity] | None) -> None:
        found.setdefault(code, []).append(where)
        severities.setdefault(code, set()).update(given if given is not None else {None})

    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        relative = path.relative_to(root.parent).as_posix()
        for function, calls in _functions(tree):
            if function.name in HELPERS:  # a default code, e.g. refuse(..., code="file-refused")
                defaults = dict(zip(reversed(function.args.args), reversed(function.args.defaults), strict=False))
                for parameter, default in defaults.items():
                    codes = _literals(default) if parameter.arg == HELPERS[function.name].keyword else None
                    helper = HELPERS[function.name]
                    fixed = {helper.severity} if isinstance(helper.severity, Severity) else None
                    for code in codes or []:
                        add(code, f"{relative}:{default.lineno}", fixed)
            if function.name in PRODUCERS:
                for node in ast.walk(function):
                    if isinstance(node, ast.Tuple) and node.elts and (codes := _literals(node.elts[0])):
                        given = node.elts[1] if len(node.elts) > 1 else None
                        severity = Severity[given.attr] if isinstance(given, ast.Attribute) and \
                            given.attr in Severity.__members__ else PRODUCERS[function.name][2]
                        for code in codes:
                            add(code, f"{relative}:{node.lineno}", {severity})
            forwarded = {p.arg for p in _parameters(function)} & {
                HELPERS[function.name].keyword} if function.name in HELPERS else set()
            forwarded |= {name for consumer, name, _ in PRODUCERS.values() if consumer == function.name}
            for call in calls:
                name, receiver = _name(call)
                helper = HELPERS.get(name or "")
                if helper is None or (helper.receivers and receiver not in helper.receivers):
                    continue
                argument = _code_argument(call, helper)
                if argument is None:
                    continue
                codes = _literals(argument)
                where = f"{relative}:{call.lineno}"
                if codes is not None:
                    for code in codes:
                        if helper.receivers and not _CODE_RE.match(code):
                            continue  # a common method name used for something else
                        add(code, where, _severities(call, helper))
                elif not (isinstance(argument, ast.Name) and argument.id in forwarded):
                    unfollowed.append(f"{where}: {name}({ast.unparse(argument)}, …)")
    return Scan(found, severities, unfollowed)


def test_every_code_written_in_the_source_is_registered() -> None:
    scanned = scan()
    found, unfollowed = scanned.found, scanned.unfollowed
    assert not unfollowed, ("a code reaches a diagnostic through a helper this test does not know: "
                            f"add it to HELPERS or PRODUCERS: {unfollowed}")
    missing = {code: places for code, places in found.items() if code not in DIAGNOSTICS}
    assert not missing, f"codes emitted but not in jixiao.domain.diagnostic_codes.DIAGNOSTICS: {missing}"
    # the scan sees what it should: codes from each kind of helper (a broken scan finds nothing)
    assert {"no-table", "stray-line", "file-refused", "unknown-column", "missing-actual", "duplicate-progress",
            "blank-cell", "extra-column", "bad-organization", "import-refused", "sheet-skipped"} <= set(found)


def test_the_catalogue_lists_only_codes_the_source_emits() -> None:
    assert set(DIAGNOSTICS) - set(scan().found) == set(), "registered codes nothing emits: remove them or emit them"


def test_the_catalogue_gives_the_severities_the_source_writes() -> None:
    """Each code's severities as written at its call sites are exactly those the catalogue lists."""
    written = scan().severities
    wrong = {code: given for code, given in written.items()
             if code in DIAGNOSTICS and not given - {None} <= DIAGNOSTICS[code].severities}
    assert not wrong, f"written with a severity the catalogue does not list: {wrong}"
    unused = {code: DIAGNOSTICS[code].severities - given for code, given in written.items()
              if code in DIAGNOSTICS and None not in given and DIAGNOSTICS[code].severities - given}
    assert not unused, f"the catalogue lists severities no call site writes: {unused}"
    assert written["stray-line"] == {Severity.INFO, Severity.WARNING}
    assert written["sheet-skipped"] == {Severity.INFO, Severity.ERROR}
    assert written["unknown-column"] == {Severity.WARNING}


def test_the_scan_catches_an_unregistered_code_and_an_unknown_helper(tmp_path: Path) -> None:
    package = tmp_path / "jixiao"
    package.mkdir()
    (package / "reader.py").write_text(
        "def read(builder, out, kind):\n"
        "    builder.note('made-up-code', None, '消息', 1)\n"
        "    out.warning('another-made-up-code', '消息')\n"
        "    Diagnostic(kind, None, '消息')\n"
        "    seen.add('not-a-code-of-ours')\n", "utf-8")
    scanned = scan(package)
    assert set(scanned.found) == {"made-up-code", "another-made-up-code"}
    assert scanned.severities == {"made-up-code": {None}, "another-made-up-code": {Severity.WARNING}}
    assert [u.split(": ", 1)[1] for u in scanned.unfollowed] == ["Diagnostic(kind, …)"]


# -- dynamic: the codes the readers emit on the test corpus ----------------------------------
def _read(path: Path) -> tuple[list[TargetTable], list[Diagnostic]]:
    results = list(read_path(path))
    return [r.table for r in results if r.table is not None], [d for r in results for d in r.diagnostics]


def _emitted(tmp_path: Path) -> list[Diagnostic]:
    emitted: list[Diagnostic] = []
    seed, notes = _read(SEED)
    emitted += notes
    for folder in ("robustness", "real"):
        for path in sorted((DATA / folder).glob("*.txt")):
            emitted += _read(path)[1]
    readers = {"actuals_": read_actuals_csv, "budget_": read_budget_csv, "progress_": read_progress_csv,
               "monitor_budget": read_monitor_budget_csv}
    rows: dict[str, list[object]] = {}
    for path in sorted((DATA / "selfeval").glob("*.csv")):
        prefix = next(p for p in readers if path.name.startswith(p))
        read, notes = readers[prefix](path)
        rows.setdefault(path.stem, []).extend(read)
        emitted += notes
    for actuals, budgets in (("actuals_good", "budget_good"), ("actuals_matching", "budget_bad")):
        emitted += match_actuals(seed, rows[actuals], rows[budgets])[2]  # type: ignore[arg-type]
    emitted += match_progress(seed, rows["progress_bad"], rows["monitor_budget"])[2]  # type: ignore[arg-type]
    emitted += match_actuals([*seed, seed[0], TargetTable()], [], [])[2]  # a repeated table, one without code
    template = tmp_path / "自评填报.xlsx"
    emitted += write_selfeval_template([*seed, TargetTable()], template)
    emitted += read_actuals(template)[2]
    emitted += read_actuals(tmp_path / "absent.xlsx")[2]
    emitted += read_actuals(tmp_path / "old.xls")[2]
    emitted += _read(tmp_path / "absent.txt")[1]
    lines = SEED.read_text("utf-8").splitlines()
    inside = [*lines[:3], "？？？", *lines[3:60]]  # an unreadable line inside a table, not between tables
    for name, data in (("inside.txt", "\n".join(inside).encode()), ("empty.json", b"[]"),
                       ("bad.json", b'{"format_version": 1'),
                       ("schema.json", json.dumps({"format_version": 1, "total_wan": "x"}).encode()),
                       ("zip.xlsx", b"PK\x03\x04 not really a zip")):
        emitted += [d for r in read_bytes(data, name) for d in r.diagnostics]
    return emitted


def test_every_code_the_corpus_emits_is_registered_with_its_severity(tmp_path: Path) -> None:
    emitted = _emitted(tmp_path)
    seen = {d.code for d in emitted}
    assert len(seen) >= 35, sorted(seen)  # the corpus is broad: most of the catalogue is exercised
    unregistered = sorted(seen - set(DIAGNOSTICS))
    assert not unregistered, f"emitted but not registered: {unregistered}"
    wrong = sorted({(d.code, str(d.severity)) for d in emitted if d.severity not in DIAGNOSTICS[d.code].severities})
    assert not wrong, f"emitted with a severity the catalogue does not list: {wrong}"
    stray = {d.severity for d in emitted if d.code == "stray-line"}
    assert stray == {Severity.INFO, Severity.WARNING} == DIAGNOSTICS["stray-line"].severities


# -- docs -------------------------------------------------------------------------------------------
def test_diagnostics_reference_is_up_to_date_and_lists_every_code() -> None:
    committed = (ROOT / "docs" / "diagnostics.md").read_text("utf-8")
    assert committed == generate_diagnostics(), "docs/diagnostics.md is stale: run `make docs`"
    for kind in DIAGNOSTICS.values():
        assert f"| {kind.code} |" in committed and f"### {kind.code} {kind.title}" in committed, kind.code
        assert re.search(r"[\u4e00-\u9fff]", kind.template + kind.title + kind.description), kind.code
