"""Peak memory of reading and reviewing the first LIMIT tables of a file, in a fresh interpreter.

    .venv/bin/python -m bench.memprobe [--audit] PATH LIMIT      # prints one JSON object

:mod:`bench.run` starts one probe per size. A fresh process per size means the figures are
not coloured by whatever an earlier stage allocated, cached or left to the garbage collector.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import tracemalloc

from jixiao import profiles
from jixiao.io.reading import read_path
from jixiao.rules.engine import active_rules, review_table


def max_rss_bytes() -> int:
    """Peak resident set size of this process image so far.

    On Linux, ``ru_maxrss`` survives ``fork`` + ``exec``: a probe started by a big parent
    would report the parent's size. ``VmHWM`` in ``/proc/self/status`` belongs to the
    process image after ``exec``, so it is read first; ``ru_maxrss`` is the fallback.
    """
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS bytes, Linux KiB


def probe(path: str, limit: int, *, audit: bool = False) -> dict[str, int]:
    """Read and review up to ``limit`` tables under tracemalloc; return counts and peaks in bytes.

    ``traced_peak`` counts only what Python allocated *during the read* (imports happen
    before tracing starts), so it is the figure to compare between sizes. ``max_rss`` is
    the whole process (interpreter, imported modules, tracemalloc's own bookkeeping) and is
    reported as a cross-check: it should not grow with the number of tables either.
    """
    from jixiao.domain import SelfEvaluationTable
    from jixiao.rules.selfeval_audit import active_audit_rules, audit_self_evaluation

    profile = profiles.load().rules
    rules = active_audit_rules(profile) if audit else active_rules(profile)
    rss_before = max_rss_bytes()
    tracemalloc.start()
    tables = results = findings = 0
    for result in read_path(path):
        results += 1
        if result.table is not None:
            tables += 1
            table = result.table
            if isinstance(table, SelfEvaluationTable):  # read and audit (--audit)
                findings += len(audit_self_evaluation(table, profile, rules=rules).findings)
            else:  # read and review
                findings += len(review_table(table, profile, rules).findings)
            if tables >= limit:
                break
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tables": tables, "results": results, "traced_peak": peak,
            "max_rss": max_rss_bytes(), "rss_before": rss_before}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    audit = args[:1] == ["--audit"]
    args = args[1:] if audit else args
    if len(args) != 2:
        print("usage: python -m bench.memprobe [--audit] PATH LIMIT", file=sys.stderr)
        return 2
    print(json.dumps(probe(args[0], int(args[1]), audit=audit)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
