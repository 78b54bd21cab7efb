"""Locust users for ``bench.run --stages store``: list with filters, detail, findings (loopback only).

Two user classes, chosen on Locust's command line:

- ``Officer`` (the goal): a finance officer working through a list, who looks at a page for
  0.5–2 s before the next click. 50 of them are busier than a whole district's reviewers.
- ``Saturating`` (capacity, for information): the same requests with no think time, so 50 users
  keep 50 requests in flight; latency is then queueing behind the machine's two cores, which
  Locust itself shares with the server, and requests per second is the capacity figure.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, constant, task

TOKEN = os.environ.get("JIXIAO_BENCH_TOKEN", "")
SESSIONS = os.environ.get("JIXIAO_BENCH_SESSIONS", "").split(",")


class Officer(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"
        page = self.client.get("/api/v1/projects?per_page=200&page=7", name="setup").json()
        self.codes = [item["code"] for item in page["items"]] or ["none"]

    @task(3)
    def list_filtered(self) -> None:
        page = random.randint(1, 400)
        self.client.get(f"/api/v1/projects?state=draft&year=2022&per_page=50&page={page}&sort=-code",
                        name="list (filters)")

    @task(3)
    def detail(self) -> None:
        self.client.get(f"/api/v1/projects/{random.choice(self.codes)}", name="detail")

    @task(1)
    def findings(self) -> None:
        self.client.get(f"/api/v1/projects/{random.choice(self.codes)}/findings", name="findings")


class Saturating(Officer):
    wait_time = constant(0)


class PageReader(HttpUser):
    """A reviewer in the browser: the project list with a filter, and project pages (HTML)."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        import re

        # signed in before the run (argon2 costs ~0.1 s a login: not what this measures)
        self.client.cookies.set("jixiao_session", random.choice(SESSIONS))
        listing = self.client.get("/projects?page=7", name="setup").text
        self.codes = re.findall(r'href="/projects/([0-9A-Za-z]+)"', listing) or ["none"]

    @task(1)
    def list_page(self) -> None:
        page = random.randint(1, 400)
        self.client.get(f"/projects?state=draft&year=2022&page={page}&sort=-code", name="list page (filters)")

    @task(1)
    def project_page(self) -> None:
        self.client.get(f"/projects/{random.choice(self.codes)}", name="project page")


ANALYTICS_VIEWS = ("money", "grades", "execution", "credibility", "ranges", "trends")
TYPED = ("满意", "服务对象满意度", "培训", "完成率", "覆盖", "及时", "验收合格率", "群众满意", "人次", "设备")


class Analyst(HttpUser):
    """A finance bureau's analyst in the browser (bench/analytics.py): the 统计分析 views with random filters, the
    indicator library page, and the suggestion the editor asks for while a name is typed."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.cookies.set("jixiao_session", random.choice(SESSIONS))
        self.departments = [code for code in os.environ.get("JIXIAO_BENCH_DEPARTMENTS", "").split(",") if code]

    @task(6)
    def view(self) -> None:
        key = random.choice(ANALYTICS_VIEWS)
        filters = []
        if random.random() < 0.5:
            filters.append(f"year={random.choice((2024, 2025, 2026))}")
        if self.departments and random.random() < 0.3:
            filters.append(f"department={random.choice(self.departments)}")
        if random.random() < 0.2:
            filters.append(f"category={random.choice('RT')}")
        self.client.get(f"/analytics/{key}" + ("?" + "&".join(filters) if filters else ""), name=f"analytics {key}")

    @task(1)
    def library(self) -> None:
        self.client.get("/library", name="library page")

    @task(2)
    def suggest(self) -> None:
        self.client.get(f"/library/suggest?name={random.choice(TYPED)}", name="suggest",
                        headers={"HX-Request": "true"})  # as the editor asks for it (htmx)
