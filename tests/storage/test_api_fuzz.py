"""Schemathesis: requests generated from our own OpenAPI schema never cause a server error.

The operations are driven through Hypothesis directly (schemathesis' pytest plug-in does not
support pytest 9 yet), as the public and as the administrator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import response_schema_conformance

from jixiao.services.context import AppContext
from jixiao.services.demo import load_demo
from jixiao.services.job_queue import JobQueue
from jixiao.storage.db import make_engine, session_factory
from jixiao.storage.migrate import upgrade
from jixiao.web.app import create_app


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "jixiao.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = session_factory(engine)
    accounts = load_demo(sessions).accounts
    headers = {"Authorization": f"Bearer {accounts[0][3]}"}  # the administrator: every route is reachable
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(
        AppContext(sessions, jobs=JobQueue.open("memory://")))), headers  # jobs are queued, never run


def test_no_server_errors(api: tuple[Any, dict[str, str]]) -> None:
    schema, admin = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        for headers in ({}, admin):  # as the public and as the administrator
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
            else:  # every success body matches its documented read model
                case.validate_response(response, checks=[response_schema_conformance])

    run()
