"""Write a synthetic corpus of 绩效目标表 for the benchmarks (the tables: :mod:`jixiao.demo.targets`).

    .venv/bin/python -m bench.generate 100000 bench/out/corpus-100000.txt
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from jixiao.demo.catalogue import GIVEN, SURNAMES
from jixiao.demo.targets import DEFAULT_SEED, export_text, iter_tables, make_table, write_corpus

__all__ = ["DEFAULT_SEED", "GIVEN", "SURNAMES", "export_text", "iter_tables", "main", "make_table", "write_corpus"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description="Write a synthetic corpus of 绩效目标表.")
    parser.add_argument("n", type=int, help="number of tables")
    parser.add_argument("out", type=Path, help="output file (UTF-8 text)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    size = write_corpus(args.out, args.n, args.seed)
    elapsed = time.perf_counter() - started
    print(f"{args.n} tables, {size / 1e6:.1f} MB in {elapsed:.1f} s → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
