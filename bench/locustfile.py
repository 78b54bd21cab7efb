"""Locust users for ``bench.run --stages api``: list with filters, detail, findings (loopback only)."""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

TOKEN = os.environ.get("JIXIAO_BENCH_TOKEN", "")


class Reviewer(HttpUser):
    wait_time = between(0.01, 0.05)

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
