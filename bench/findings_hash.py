"""A fingerprint of every finding on a corpus, per shipped profile: speed work must not change it.

``python -m bench.findings_hash [CORPUS] [PROFILE,...]`` reads the corpus once, reviews it with each
profile and prints the number of findings and a SHA-256 over every finding (code, severity, category,
title, message, project, location) and every table's score, grade and deductions, in order. Compare
the output before and after a change to the rules; the CPU seconds of the review are printed too.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from pathlib import Path

from jixiao import profiles
from jixiao.domain import TargetTable
from jixiao.io.reading import read_path
from jixiao.rules.engine import active_rules, review_table

DEFAULT_CORPUS = Path(__file__).parent / "out" / "corpus-100000.txt"


def fingerprint(tables: list[TargetTable], name: str) -> tuple[int, str, float]:
    """(findings, hex digest, review CPU seconds) of ``tables`` reviewed with profile ``name``."""
    profile = profiles.load(name).rules
    rules = active_rules(profile)
    started = time.process_time()
    reviews = [review_table(table, profile, rules) for table in tables]
    seconds = time.process_time() - started
    digest = hashlib.sha256()
    count = 0
    for review in reviews:
        for finding in review.findings:
            where = finding.location
            digest.update(repr((finding.code, str(finding.severity), str(finding.category), finding.title,
                                finding.message, finding.project_code, where.field, where.indicator,
                                where.indicator_name, where.file, where.line)).encode())
            count += 1
        digest.update(repr((review.score, review.grade, review.deductions)).encode())
    return count, digest.hexdigest(), seconds


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    names = argv[1].split(",") if len(argv) > 1 else profiles.shipped_profiles()
    tables = [result.table for result in read_path(corpus) if result.table is not None]
    gc.freeze()  # as jixiao check does: the tables live on, the collector need not walk them
    for name in names:
        count, digest, seconds = fingerprint(tables, name)
        print(f"{name}: tables={len(tables)} findings={count} sha256={digest[:16]} "
              f"review cpu={seconds:.2f}s ({seconds / len(tables) * 1e6:.1f} µs/table)")


if __name__ == "__main__":
    main(sys.argv[1:])
