"""Instructions per table of the review, counted by callgrind (repeatable where seconds are not).

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \\
        --toggle-collect='CPyPy_engine___review_table' .venv/bin/python -m bench.callgrind_review CORPUS
    callgrind_annotate /tmp/cg.out | head        # the total, divided by the tables printed here

Reads the corpus (not counted: collection is toggled on only inside the compiled ``review_table``),
reviews every table with the default profile and prints the number of tables and findings.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from jixiao import profiles
from jixiao.io.reading import read_path
from jixiao.rules.engine import active_rules, review_table


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else Path(__file__).parent / "out" / "corpus-2000.txt"
    tables = [result.table for result in read_path(corpus) if result.table is not None]
    profile = profiles.load().rules
    rules = active_rules(profile)
    gc.freeze()
    findings = sum(len(review_table(table, profile, rules).findings) for table in tables)
    print(f"tables={len(tables)} findings={findings}")


if __name__ == "__main__":
    main(sys.argv[1:])
