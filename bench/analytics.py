"""The ``analytics`` stage of ``make bench``: the 统计分析 pages, the library page and the editor's suggestions on
100,000 projects over three years, on SQLite and PostgreSQL, under 50 browser users.

    .venv/bin/python -m bench.analytics                                   # 100,000 projects, 50 users, 30 s
    .venv/bin/python -m bench.analytics --projects 20000 --seconds 20     # smaller
    .venv/bin/python -m bench.run --stages analytics

The projects are the generated demo region (:mod:`jixiao.demo.region`, about 5.5 indicators a table: 100,000
projects hold about 550,000 indicators), bulk-loaded (``services/bulk.BulkLoader``) with their workflow states,
their self-evaluations (the figures the analytics read: total, grade, execution; not the explanations) and, for
the last past year, the published 自评表 with the audit jixiao runs on them (the audit's findings; the table's
content is not stored). Then, timed and printed: the analytics rows filled from those stored rows
(``analytics_facts.refresh_missing``, as ``migrate`` runs it), the library build (observations, grouping and
the comparable ranges) and the rate of the 跨年度 flags (computed for 20 s). ``jixiao serve --workers 2``
serves the database on 127.0.0.1 and Locust's ``Analyst``
(``bench/locustfile.py``: every view with random filters, the library page, a suggestion as the editor asks for
one; 0.5–2 s think time) runs 50 users. Goals: each view and the library page p95 < 300 ms, the suggestion
p95 < 50 ms. Only 127.0.0.1 is ever contacted; the PostgreSQL schema is the run's own and is dropped after.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select, update

from bench import store
from jixiao import profiles
from jixiao.demo.region import region
from jixiao.rules.selfeval_audit import audit_self_evaluation
from jixiao.services.bulk import BulkLoader, analyze, batches, version_row
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.storage.models import Project, PublishedSelfEvaluation, SelfEvaluation, TableVersion

VIEW_P95_GOAL_MS = 300.0
SUGGEST_P95_GOAL_MS = 50.0
VIEWS = ("money", "grades", "execution", "credibility", "ranges", "trends")
NAMES = ("analytics money", "analytics grades", "analytics execution", "analytics credibility", "analytics ranges",
         "analytics trends", "library page", "suggest")
CHUNK = 2_000
HISTORY_SECONDS = 20.0  # how long the 跨年度 flags are computed for their rate
PORT = 8772


def _finding(found: Any) -> dict[str, Any]:
    return {"code": found.code, "severity": found.severity.value, "title": found.title, "message": found.message}


def load(url: str, projects: int, seed: int = 2026) -> dict[str, float]:
    """Bulk-load the region into ``url``; seconds of each step."""
    engine = make_engine(url)
    upgrade(engine)
    loader = BulkLoader(engine, defer_indexes=True)
    rules = profiles.load().rules
    times = {"tables": 0.0, "states and self-evaluations": 0.0}
    indicators = 0
    for chunk in batches(region(projects, seed), CHUNK):
        started = time.perf_counter()
        loader.load([version_row(item.table) for item in chunk])
        times["tables"] += time.perf_counter() - started
        indicators += sum(len(item.table.indicators) for item in chunk)
        started = time.perf_counter()
        _story(engine, chunk, rules)
        times["states and self-evaluations"] += time.perf_counter() - started
    started = time.perf_counter()
    loader.finish()
    analyze(engine)
    times["tables"] += time.perf_counter() - started
    times["indicators"] = indicators
    engine.dispose()
    return times


def _story(engine: Engine, chunk: list[Any], rules: Any) -> None:
    codes = [item.table.project_code for item in chunk]
    with engine.begin() as connection:
        found = {code: (project_id, version_id) for code, project_id, version_id in connection.execute(
            select(Project.code, Project.id, TableVersion.id).join(TableVersion, TableVersion.project_id == Project.id)
            .where(Project.code.in_(codes)))}
        connection.execute(update(Project).where(Project.id == bindparam("pid")).values(
            state=bindparam("state"), published_version=bindparam("published")), [
            {"pid": found[item.table.project_code][0], "state": item.state,
             "published": 1 if item.state == "approved" else None} for item in chunk])
        evaluations = [{"version_id": found[item.table.project_code][1], "reported": {}, "state": "approved",
                        "result": {"total": format(item.score.total, "f"), "grade": item.score.grade, "execution": {
                            "rate": None if item.score.execution.rate is None else format(item.score.execution.rate,
                                                                                          "f")}},
                        "total": item.score.total, "grade": item.score.grade, "profile": "chongqing"}
                       for item in chunk if item.score is not None]
        if evaluations:
            connection.execute(insert(SelfEvaluation), evaluations)
        published = []
        for item in chunk:
            if item.published is None:
                continue
            review = audit_self_evaluation(item.published, rules, item.table)
            published.append({"project_id": found[item.table.project_code][0], "number": 1, "year": item.year,
                              "content": {"kind": "self_evaluation"}, "content_hash": item.table.project_code,
                              "total_score": item.published.published_total_score,
                              "grade": item.published.published_grade, "matched_by": "code",
                              "audit": {"key": {}, "findings": [_finding(f) for f in review.findings]}})
        if published:
            connection.execute(insert(PublishedSelfEvaluation), published)


def derive(url: str) -> dict[str, float]:
    """The analytics rows and the library, as an installation fills them (timed)."""
    from jixiao.services import analytics_facts, library_build

    sessions = session_factory(make_engine(url))
    times = {}
    started = time.perf_counter()
    rows = analytics_facts.refresh_missing(sessions)
    times["analytics rows"] = time.perf_counter() - started
    times["rows"] = rows
    policy = profiles.load().rules
    started = time.perf_counter()
    library_build.build(sessions, policy.name, policy.library_min_projects)
    times["library build"] = time.perf_counter() - started
    times |= _history_rate(sessions, policy)
    return times


def _history_rate(sessions: Any, policy: Any, budget_s: float = HISTORY_SECONDS) -> dict[str, float]:
    """The 跨年度 flags of the last year, computed for ``budget_s`` seconds: projects a second (``jixiao refresh``
    computes them all; the page what is stale within its budget)."""
    from jixiao.services import history_flags

    with sessions() as session:
        year = session.scalar(select(Project.fiscal_year).order_by(Project.fiscal_year.desc()).limit(1))
        of_year = session.scalar(select(func.count()).select_from(Project).where(Project.fiscal_year == year)) or 0
    started = time.perf_counter()
    done, _left = history_flags.refresh(sessions, policy, year=year, budget_s=budget_s)
    spent = time.perf_counter() - started
    return {"history projects": float(done), "history seconds": spent, "history year": float(of_year)}


def _users(url: str, users: int) -> tuple[list[str], list[str]]:
    """Login sessions of the region's finance reviewer (one per simulated user) and the department codes."""
    from jixiao.demo.region import REGION_CODE
    from jixiao.domain.workflow import Role
    from jixiao.services.accounts import add_user, login
    from jixiao.storage.models import Organization

    sessions = session_factory(make_engine(url))
    with sessions.begin() as session:
        if session.scalar(select(Organization.id).where(Organization.code == REGION_CODE)) is None:
            finance = Organization(code=REGION_CODE, name="示例区财政局（示例数据）", kind="finance")
            session.add(finance)
            session.flush()
            for department in session.scalars(select(Organization).where(Organization.kind == "department")):
                department.parent_id = finance.id
        codes = list(session.scalars(select(Organization.code).where(Organization.kind == "department")))
    name = f"bench-{uuid.uuid4().hex[:6]}"
    add_user(sessions, name, store.PAGE_PASSWORD, Role.FINANCE_REVIEWER, REGION_CODE)
    made = [login(sessions, name, store.PAGE_PASSWORD) for _ in range(users)]
    return [found[0] for found in made if found is not None], codes


def drive(url: str, label: str, seconds: int, users: int) -> dict[str, dict[str, float]]:
    """Serve ``url`` with two workers and run the ``Analyst`` users; Locust's figures by request name."""
    cookies, departments = _users(url, users)
    env = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_BENCH_SESSIONS": ",".join(cookies),
           "JIXIAO_BENCH_DEPARTMENTS": ",".join(departments)}
    server = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1",
                               "--port", str(PORT), "--workers", str(store.WORKERS)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as out:
            prefix = str(Path(out) / label)
            subprocess.run([sys.executable, "-m", "locust", "-f", str(store.ROOT / "bench" / "locustfile.py"),
                            "Analyst", "--headless", "-u", str(users), "-r", str(max(1, users // 5)),
                            "--reset-stats", "-t", f"{seconds + 5}s", "--host", f"http://127.0.0.1:{PORT}",
                            "--csv", prefix, "--only-summary"], env=env, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stats: dict[str, dict[str, float]] = {}
            with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    stats[row["Name"]] = {"rps": float(row["Requests/s"]), "p50": float(row["50%"]),
                                          "p95": float(row["95%"]), "p99": float(row["99%"]),
                                          "failures": float(row["Failure Count"]),
                                          "requests": float(row["Request Count"])}
            return stats
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def run(ctx: Any, options: argparse.Namespace) -> None:
    """Load, derive and drive on each database; record every figure and the goals in ``ctx``."""
    with tempfile.TemporaryDirectory(prefix="jixiao-analytics-") as folder:
        schema, pg_url = store.pg_schema_url()
        try:
            for label, url in (("sqlite", f"sqlite:///{Path(folder) / 'analytics.sqlite3'}"), ("postgresql", pg_url)):
                loaded = load(url, options.projects)
                ctx.record("analytics", f"{label} load", loaded["tables"],
                           f"{options.projects:,} projects, {loaded['indicators']:,.0f} indicators: tables "
                           f"{loaded['tables']:.1f} s, states and self-evaluations "
                           f"{loaded['states and self-evaluations']:.1f} s")
                derived = derive(url)
                ctx.record("analytics", f"{label} analytics rows", derived["analytics rows"],
                           f"{derived['rows']:,.0f} rows in {derived['analytics rows']:.1f} s")
                ctx.record("analytics", f"{label} library build", derived["library build"],
                           f"{derived['library build']:.1f} s")
                rate = derived["history projects"] / max(derived["history seconds"], 1e-9)
                ctx.record("analytics", f"{label} history flags", rate,
                           f"{derived['history projects']:,.0f} projects in {derived['history seconds']:.1f} s: "
                           f"{rate:,.0f} projects/s (the year's {derived['history year']:,.0f}: about "
                           f"{derived['history year'] / max(rate, 1e-9) / 60:.0f} min for jixiao refresh)")
                stats = drive(url, label, options.seconds, options.users)
                for name in NAMES:
                    figure = stats.get(name)
                    if figure is None:
                        ctx.check(False, f"no Locust figures for {label} {name}")
                        continue
                    ctx.record("analytics", f"{label} {name}", figure["p95"],
                               f"{figure['requests']:.0f} requests, p50 {figure['p50']:.0f} ms, "
                               f"p95 {figure['p95']:.0f} ms, p99 {figure['p99']:.0f} ms, "
                               f"{figure['failures']:.0f} failures")
                    ctx.check(figure["failures"] == 0, f"{label} {name}: {figure['failures']:.0f} failed")
                    goal = SUGGEST_P95_GOAL_MS if name == "suggest" else VIEW_P95_GOAL_MS
                    ctx.goal(f"{label} {name} p95 below {goal:g} ms ({options.users} users)", figure["p95"] < goal,
                             f"{figure['p95']:.0f} ms")
        finally:
            store.drop_pg_schema(schema)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics", description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100_000, help="projects over the three years")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="Locust run length per database")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from bench.run import Context, Corpus, summary

    options = parse_args(argv)
    ctx = Context(Corpus(Path(os.devnull), 0, None), options)
    run(ctx, options)
    return summary(ctx)


if __name__ == "__main__":
    raise SystemExit(main())
