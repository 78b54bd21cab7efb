"""How much of real published tables jixiao's reader recovers (issue 15; ``make bench`` stage ``real``).

    PYTHONPATH=src .venv/bin/python -m bench.real_corpus

Every ``tests/data/real/collected/NNN_*.txt`` with its hand annotation ``expected/NNN.json`` (and, reported
separately, the twelve examples in ``tests/data/real/`` where an annotation is there) is read with jixiao's
normal reader, :func:`jixiao.io.reading.read_path`, exactly as ``jixiao parse`` would read it.

Matching is deliberately simple so the figure is easy to trust: an annotated indicator row is *recovered*
when some indicator read from the file (from any of its tables, each read row used once, first come first
served in reading order) has the same name once both names are width-folded (NFKC) and stripped of every
space. For a recovered row, each of ``FIELDS`` the annotation gives is *compared* — except the keys it lists
in ``ambiguous`` — and is *right* when both sides are blank, equal after the same folding, or numbers that
are equal as ``Decimal`` ("10.00" = "10", "44,561" = "44561"). Annotated rows of ``additional_tables``
count like the main table's. A file *crashes* when reading it raises; that must never happen. The kind is
*recognised* when some table read from the file has the annotated kind (a 部门整体 table counts as a
self-evaluation).

Figures are grouped by the text layout a file's README row names (the first part of its layout column:
``lines``, ``pipes``, ``cell per line``, ``run together``, ``prose`` …; "-" where no row names one) and by the
reader jixiao chose.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "tests" / "data" / "real"
COLLECTED_DIR = SEED_DIR / "collected"
FIELDS = ("level1", "level2", "name", "operator", "target", "unit_of_measure", "weight", "actual", "score")
KIND_OF_TABLE = {"target": "target", "self_evaluation": "selfeval"}  # table.kind → annotation kind
GOAL_ROWS = 0.90  # the goal, on tables that are not in the repository
GOAL_FIELDS = 0.95


@dataclass
class FileScore:
    """The figures of one annotated file."""

    name: str
    group: str  # "collected" or "seed"
    kind: str  # as annotated: target | selfeval | dept
    layout: str  # the reader(s) jixiao chose, "+"-joined
    text_layout: str = "-"  # as the folder's README names it
    rows: int = 0
    recovered: int = 0
    compared: int = 0
    right: int = 0
    tables: int = 0
    diagnostics: int = 0
    kind_recognised: bool = False
    crash: str | None = None
    seconds: float = 0.0  # reading the file, as jixiao parse would
    bytes: int = 0
    missing: list[str] = field(default_factory=list)  # annotated names not recovered
    wrong: list[str] = field(default_factory=list)  # "name.field: read ≠ annotated"


@dataclass
class Totals:
    """Sums over a group of files."""

    files: int = 0
    rows: int = 0
    recovered: int = 0
    compared: int = 0
    right: int = 0
    crashes: int = 0
    kinds_recognised: int = 0

    def add(self, score: FileScore) -> None:
        self.files += 1
        self.rows += score.rows
        self.recovered += score.recovered
        self.compared += score.compared
        self.right += score.right
        self.crashes += score.crash is not None
        self.kinds_recognised += score.kind_recognised

    @property
    def row_share(self) -> float:
        return self.recovered / self.rows if self.rows else 0.0

    @property
    def field_share(self) -> float:
        return self.right / self.compared if self.compared else 0.0


def fold(text: str) -> str:
    """Width-folded, space-free text: how names and values are compared."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def same(read: str | None, annotated: str | None) -> bool:
    """Blank = blank, equal folded text, or Decimal-equal numbers."""
    left = fold(read) if read is not None else ""
    right = fold(annotated) if annotated is not None else ""
    if left == right:
        return True
    a, b = as_decimal(left), as_decimal(right)
    return a is not None and b is not None and a.is_finite() and b.is_finite() and a == b


def field_text(indicator: Any, key: str) -> str | None:
    """A read indicator's field as text (``Value`` by its printed text, ``Decimal`` by ``str``)."""
    value = getattr(indicator, key, None)
    if value is None:
        return None
    text = getattr(value, "text", value)
    return str(text)


def annotated_rows(expected: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from expected.get("indicators", [])
    for extra in expected.get("additional_tables", []):
        yield from extra.get("indicators", [])


def text_layouts(folder: Path) -> dict[str, str]:
    """File number → the first part of the layout column of the folder's README table (if it has one)."""
    readme = folder / "README.md"
    if not readme.exists():
        return {}
    layouts: dict[str, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]
        if len(cells) >= 6 and re.fullmatch(r"\d{3}", cells[1]) and cells[4]:
            layouts[cells[1]] = cells[4].split(",")[0].strip()
    return layouts


def pairs(group: str) -> Iterator[tuple[Path, Path]]:
    """(text file, annotation) for every annotated file of ``group``."""
    folder = COLLECTED_DIR if group == "collected" else SEED_DIR
    for path in sorted(folder.glob("*.txt")):
        expected = folder / "expected" / f"{path.name[:3]}.json"
        if expected.exists():
            yield path, expected


def score_file(path: Path, expected_path: Path, group: str) -> FileScore:
    """Read ``path`` as jixiao does and compare what was read with the annotation."""
    from jixiao.io.reading import read_path

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    readers: list[str] = []
    score = FileScore(path.name, group, expected["kind"], "")
    indicators: list[Any] = []
    kinds: set[str] = set()
    started = time.perf_counter()
    score.bytes = path.stat().st_size
    try:
        for result in read_path(path, on_reader=lambda reader: readers.append(reader.name)):
            score.diagnostics += len(result.diagnostics)
            if result.table is not None:
                score.tables += 1
                kinds.add(KIND_OF_TABLE.get(result.table.kind, result.table.kind))
                indicators.extend(result.table.indicators)
    except Exception as error:
        score.crash = f"{type(error).__name__}: {error}"
    score.seconds = time.perf_counter() - started
    score.layout = "+".join(dict.fromkeys(readers)) or "-"
    wanted = "selfeval" if score.kind == "dept" else score.kind
    score.kind_recognised = wanted in kinds
    unused = list(indicators)
    for row in annotated_rows(expected):
        score.rows += 1
        name = fold(row.get("name") or "")
        match = next((i for i in unused if fold(i.name or "") == name), None) if name else None
        if match is None:
            score.missing.append(row.get("name") or "?")
            continue
        unused.remove(match)
        score.recovered += 1
        ambiguous = set(row.get("ambiguous", ()))
        for key in FIELDS:
            if key not in row or key in ambiguous:
                continue
            score.compared += 1
            read = field_text(match, key)
            if same(read, row[key]):
                score.right += 1
            else:
                score.wrong.append(f"{row.get('name')}.{key}: {read!r} ≠ {row[key]!r}")
    return score


def score_all(groups: Iterable[str] = ("collected", "seed")) -> list[FileScore]:
    scores = []
    for group in groups:
        layouts = text_layouts(COLLECTED_DIR if group == "collected" else SEED_DIR)
        for path, expected in pairs(group):
            score = score_file(path, expected, group)
            score.text_layout = layouts.get(path.name[:3], "-")
            scores.append(score)
    return scores


def totals(scores: Iterable[FileScore]) -> Totals:
    total = Totals()
    for score in scores:
        total.add(score)
    return total


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "0/0"


def report(scores: list[FileScore], out: Any = sys.stdout, verbose: bool = False) -> None:
    """Per file, per group × annotated kind × reader, and totals per group."""
    print(f"{'file':<58} {'kind':<8} {'read as':<22} {'rows':>9} {'fields':>9} crash", file=out)
    for s in scores:
        kind = s.kind + ("" if s.kind_recognised else "?")
        print(f"{s.name[:58]:<58} {kind:<8} {s.layout[:22]:<22} {s.recovered:>4}/{s.rows:<4} "
              f"{s.right:>4}/{s.compared:<4} {'CRASH ' + s.crash if s.crash else ''}", file=out)
        if verbose:
            for name in s.missing:
                print(f"      missing: {name}", file=out)
            for wrong in s.wrong:
                print(f"      wrong:   {wrong}", file=out)
    groups: dict[tuple[str, str, str, str], Totals] = defaultdict(Totals)
    for s in scores:
        groups[(s.group, s.kind, s.text_layout, s.layout)].add(s)
    print(f"\n{'group':<10} {'kind':<8} {'layout':<14} {'read as':<22} {'files':>5} {'rows recovered':>18} "
          f"{'fields right':>18}", file=out)
    for (group, kind, text_layout, layout), t in sorted(groups.items()):
        print(f"{group:<10} {kind:<8} {text_layout[:14]:<14} {layout[:22]:<22} {t.files:>5} "
              f"{_share(t.recovered, t.rows):>18} {_share(t.right, t.compared):>18}", file=out)
    for group in dict.fromkeys(s.group for s in scores):
        t = totals(s for s in scores if s.group == group)
        print(f"\nTOTAL {group}: {t.files} files, rows recovered {_share(t.recovered, t.rows)}, "
              f"fields right {_share(t.right, t.compared)}, kind recognised {t.kinds_recognised}/{t.files}, "
              f"crashes {t.crashes}", file=out)


def stage_real(ctx: Any) -> None:
    """The ``real`` stage of ``make bench``: the figures above on the committed real tables (well under a second).

    ``ctx`` is ``bench.run.Context`` (not imported, so this module stays usable on its own).
    """
    scores = score_all()
    for group in dict.fromkeys(s.group for s in scores):
        t = totals(s for s in scores if s.group == group)
        ctx.record("real", f"{group} rows recovered", t.row_share,
                   f"{_share(t.recovered, t.rows)} of the annotated rows in {t.files} files")
        ctx.record("real", f"{group} fields right", t.field_share,
                   f"{_share(t.right, t.compared)} of the fields of recovered rows")
        ctx.record("real", f"{group} kind recognised", t.kinds_recognised, f"{t.kinds_recognised}/{t.files} files")
    layouts: dict[tuple[str, str, str], Totals] = defaultdict(Totals)
    for s in scores:
        if s.group == "collected":
            layouts[(s.kind, s.text_layout, s.layout)].add(s)
    for (kind, text_layout, layout), t in sorted(layouts.items()):
        ctx.note("real", f"{kind}, {text_layout}, read as {layout}: {t.files} files, "
                         f"rows {_share(t.recovered, t.rows)}, fields {_share(t.right, t.compared)}")
    speed: dict[str, list[FileScore]] = defaultdict(list)
    for s in scores:
        speed[s.text_layout].append(s)
    for text_layout, group_scores in sorted(speed.items()):  # rough text costs more than the clean layouts
        seconds = sum(s.seconds for s in group_scores) or 1e-9
        size = sum(s.bytes for s in group_scores)
        ctx.note("real", f"throughput, {text_layout}: {len(group_scores)} files in {seconds:.2f} s "
                         f"({len(group_scores) / seconds:.0f} files/s, {size / 1024 / seconds:.0f} KB/s)")
    collected = totals(s for s in scores if s.group == "collected")
    ctx.goal(f"real tables: ≥ {GOAL_ROWS:.0%} of annotated rows recovered", collected.row_share >= GOAL_ROWS,
             f"{collected.row_share:.0%} on the collected corpus (the goal is measured on held-out tables)")
    ctx.goal(f"real tables: ≥ {GOAL_FIELDS:.0%} of their fields right", collected.field_share >= GOAL_FIELDS,
             f"{collected.field_share:.0%} on the collected corpus")
    crashed = [s.name for s in scores if s.crash]
    ctx.check(not crashed, f"reading real tables raised: {', '.join(crashed)}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    scores = score_all()
    report(scores, verbose="-v" in args or "--verbose" in args)
    return 1 if any(s.crash for s in scores) else 0


if __name__ == "__main__":
    raise SystemExit(main())
