"""The large fuzz run: every case of tests/fuzz_cases.py, scaled up to ``--cases`` in all (default 100,000).

    .venv/bin/python -m bench.fuzz                       # 100,000 cases, in proportion to the CI counts
    .venv/bin/python -m bench.fuzz --cases 5000 --only fuzz.xlsx,fuzz.docx

Unlike the CI test, a failing case does not stop the run: each exception is counted, and the input that
caused it is written to ``build/fuzz-crashes/`` (case name, then a digest) to be replayed. Prints the
cases and time per reader and a JSON summary line; exit status 1 when any case crashed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from tests.fuzz_cases import CASES, Case, check

CRASHES = Path("build/fuzz-crashes")


def run_case(case: Case, examples: int) -> dict[str, object]:
    counts = {"cases": 0, "crashes": 0}
    first: list[str] = []

    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case.strategy())
    def run(data: bytes) -> None:
        counts["cases"] += 1
        try:
            check(data, case.name)
        except Exception:  # counted and kept, so that one crash does not hide the next
            counts["crashes"] += 1
            CRASHES.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(data).hexdigest()[:16]
            (CRASHES / f"{case.name}-{digest}").write_bytes(data)
            if len(first) < 3:
                first.append(traceback.format_exc(limit=3))

    started = time.perf_counter()
    run()
    return {"case": case.name, **counts, "seconds": round(time.perf_counter() - started, 1), "first": first}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in all (default 100,000)")
    parser.add_argument("--only", default="", help="comma-separated case names (default: all)")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns on every damaged operator; counts matter here
    chosen = [case for case in CASES if not args.only or case.name in args.only.split(",")]
    scale = args.cases / sum(case.ci_examples for case in chosen)
    started = time.perf_counter()
    results = []
    for case in chosen:
        result = run_case(case, math.ceil(case.ci_examples * scale))
        results.append(result)
        print(f"{case.name:18} {result['cases']:>8,} cases {result['crashes']:>4} crashes {result['seconds']:>8} s",
              flush=True)
        for trace in result["first"]:  # type: ignore[attr-defined]
            print(trace, file=sys.stderr)
    total = sum(int(r["cases"]) for r in results)  # type: ignore[call-overload]
    crashes = sum(int(r["crashes"]) for r in results)  # type: ignore[call-overload]
    summary = {"cases": total, "crashes": crashes, "seconds": round(time.perf_counter() - started, 1),
               "per_case": {r["case"]: {"cases": r["cases"], "seconds": r["seconds"]} for r in results}}
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
