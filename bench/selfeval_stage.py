"""The ``selfeval`` stage of ``make bench``: published self-evaluation tables parsed and audited.

Issue 14's speed goal: 100,000 generated 自评表 (``bench/generate_selfeval.py``, the form's text) read with
the reader registry and audited with every audit rule of the default profile; the audit costs at most as
much as the parse, and memory stays flat (peak at N within 1.5x of N/10, each in a fresh interpreter).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

AUDIT_PARSE_RATIO_GOAL = 1.0
BATCH = 1_000


def corpus(out_dir: Path, tables: int, seed: int) -> Path:
    """The cached corpus of ``tables`` self-evaluation tables (written under a temporary name first)."""
    from bench.generate_selfeval import write_selfeval_corpus

    path = out_dir / f"selfeval-{tables}-seed{seed}.txt"
    if not path.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        write_selfeval_corpus(partial, tables, seed)
        os.replace(partial, path)
    return path


def _parse_seconds(path: Path) -> tuple[float, int, int]:
    from jixiao.io.reading import read_path

    started, tables, diagnostics = time.perf_counter(), 0, 0
    for result in read_path(path):
        diagnostics += len(result.diagnostics)
        tables += result.table is not None
    return time.perf_counter() - started, tables, diagnostics


def _audit_seconds(path: Path) -> tuple[float, int, Counter[str]]:
    from jixiao import profiles
    from jixiao.domain import SelfEvaluationTable
    from jixiao.io.reading import read_path
    from jixiao.rules.selfeval_audit import active_audit_rules, audit_self_evaluation
    from jixiao.services.review import long_lived_objects

    profile = profiles.load().rules
    rules = active_audit_rules(profile)
    seconds, findings = 0.0, 0
    by_code: Counter[str] = Counter()
    batch: list[SelfEvaluationTable] = []

    def audit(tables: list[SelfEvaluationTable]) -> None:
        nonlocal seconds, findings
        started = time.perf_counter()
        with long_lived_objects():
            reviews = [audit_self_evaluation(table, profile, rules=rules) for table in tables]
        seconds += time.perf_counter() - started
        for review in reviews:
            findings += len(review.findings)
            by_code.update(f.code for f in review.findings)

    for result in read_path(path):
        if isinstance(result.table, SelfEvaluationTable):
            batch.append(result.table)
            if len(batch) == BATCH:
                audit(batch)
                batch = []
    if batch:
        audit(batch)
    by_code["(findings)"] = findings
    return seconds, len(rules), by_code


def _probe(path: Path, limit: int) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parent.parent
    return subprocess.Popen([sys.executable, "-m", "bench.memprobe", "--audit", str(path), str(limit)],
                            cwd=root, stdout=subprocess.PIPE, text=True)


def stage_selfeval(ctx: Any, out_dir: Path, memory_flat_ratio: float) -> None:
    tables = ctx.options.tables or 100_000
    started = time.perf_counter()
    path = corpus(out_dir, tables, ctx.options.seed)
    ctx.note("selfeval", f"corpus {path.name}: {path.stat().st_size / 1e6:.1f} MB "
                         f"(ready in {time.perf_counter() - started:.1f} s)")
    parse, read, diagnostics = _parse_seconds(path)
    ctx.check(read == tables, f"self-evaluation corpus read {read:,} tables, expected {tables:,}")
    ctx.record("selfeval", "parse", parse, f"{parse:.2f} s, {read:,} tables, {diagnostics:,} diagnostics "
                                           f"({parse / max(read, 1) * 1e6:.0f} µs per table)")
    audit, rule_count, by_code = _audit_seconds(path)
    findings = by_code.pop("(findings)")
    ctx.record("selfeval", "audit", audit, f"{audit:.2f} s ({rule_count} audit rules, {findings:,} findings; "
                                           f"{audit / max(read, 1) * 1e6:.0f} µs per table)")
    ctx.note("selfeval", "by code: " + (", ".join(f"{c} {n:,}" for c, n in by_code.most_common(6)) or "none"))
    ratio = audit / parse if parse else float("inf")
    ctx.record("selfeval", "ratio audit/parse", ratio, f"{ratio:.2f}x")
    ctx.goal(f"audit within {AUDIT_PARSE_RATIO_GOAL:g}x of parse (self-evaluation tables)",
             ratio <= AUDIT_PARSE_RATIO_GOAL, f"{ratio:.2f}x")
    sizes = (max(1, tables // 10), tables)
    probes = [_probe(path, size) for size in sizes]
    peaks = []
    for size, process in zip(sizes, probes, strict=True):
        out, _ = process.communicate()
        if process.returncode != 0:
            ctx.check(False, f"self-evaluation memory probe for {size:,} tables exited {process.returncode}")
            return
        figure = json.loads(out)
        ctx.check(figure["tables"] == size, f"memory probe read {figure['tables']:,} tables, expected {size:,}")
        peaks.append(figure["traced_peak"])
        ctx.record("selfeval", f"traced peak @ {size:,}", figure["traced_peak"],
                   f"{figure['traced_peak'] / 2**20:.2f} MB (process {figure['max_rss'] / 2**20:.1f} MB)")
    flat = peaks[1] / peaks[0] if peaks[0] else float("inf")
    ctx.goal(f"self-evaluation memory flat (peak at N within {memory_flat_ratio:g}x of N/10)",
             flat <= memory_flat_ratio, f"{flat:.2f}x")
