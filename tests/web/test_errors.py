"""One error handler, typed errors, documented codes and a described API (no database needed)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jixiao.cli.docgen import generate_api_errors
from jixiao.domain.workflow import WorkflowError
from jixiao.services.api_errors import documented_classes
from jixiao.services.context import AppContext
from jixiao.services.errors import Conflict, NotFound, ServiceError, WorkflowRefused, subclasses_in
from jixiao.services.permissions import PermissionDenied, ProjectNotFound
from jixiao.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api-errors.md"


class Teapot(Conflict):
    code = "teapot_refused"
    summary = "测试用"


def _undocumented(text: str, classes: list[type[ServiceError]]) -> list[str]:
    return [f"{cls.__qualname__}: {cls.code}" for cls in classes if f"| {cls.status} | `{cls.code}` |" not in text]


@pytest.fixture(scope="module")
def client() -> TestClient:
    context = AppContext.from_url("sqlite:///:memory:")
    app = create_app(context)

    @app.get("/api/v1/_test/{kind}", include_in_schema=False)
    @app.get("/_test/{kind}", include_in_schema=False)
    def fail(kind: str) -> dict[str, Any]:
        errors: dict[str, Exception] = {
            "denied": PermissionDenied("不许看"), "missing": ProjectNotFound("没有项目“X”，或无权查看"),
            "workflow": WorkflowError("不能批复"), "teapot": Teapot("茶壶", ["x"]), "crash": RuntimeError("秘密细节")}
        raise errors[kind]

    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def test_error_docs_are_up_to_date() -> None:
    assert DOC.read_text("utf-8") == generate_api_errors(), "docs/api-errors.md is stale: run `make docs`"


def test_every_error_code_is_documented() -> None:
    # every class of the code base is documented with its status and code …
    text = DOC.read_text("utf-8")
    assert _undocumented(text, documented_classes()) == []
    # … and the check can fail: Teapot is defined here, not in the committed file
    assert _undocumented(text, [*documented_classes(), Teapot]) == ["Teapot: teapot_refused"]
    assert Teapot not in documented_classes()  # tests do not leak into the docs
    assert {"forbidden", "workflow_refused", "invalid_submission", "too_many_attempts", "account_error",
            "not_found", "invalid_request", "body_too_large", "internal_error", "http_404"} <= {
        c.code for c in documented_classes()}


def test_the_web_defines_no_error_class_of_its_own() -> None:
    """The API's errors all live under services (the docs are generated from there), so none is left out."""
    assert subclasses_in("jixiao.web") == []
    assert Teapot in subclasses_in("tests.web")  # the check sees a class where there is one


def test_errors_carry_code_and_status_by_class() -> None:
    assert (ProjectNotFound.status, ProjectNotFound.code) == (404, "forbidden")
    assert (PermissionDenied.status, NotFound.status, WorkflowRefused.status) == (403, 404, 409)
    assert issubclass(WorkflowRefused, WorkflowError) and issubclass(ProjectNotFound, PermissionDenied)
    for cls in documented_classes():
        assert issubclass(cls, ServiceError) and cls.code and 400 <= cls.status < 600, cls


@pytest.mark.parametrize(("kind", "status", "code"), [
    ("denied", 403, "forbidden"), ("missing", 404, "forbidden"), ("workflow", 409, "workflow_refused"),
    ("teapot", 409, "teapot_refused"), ("crash", 500, "internal_error")])
def test_one_handler_answers_api_and_pages(client: TestClient, kind: str, status: int, code: str) -> None:
    api = client.get(f"/api/v1/_test/{kind}")
    assert api.status_code == status and api.json()["error"]["code"] == code
    assert set(api.json()["error"]) == {"code", "message", "details"}
    page = client.get(f"/_test/{kind}")
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert "秘密细节" not in api.text + page.text and "Traceback" not in api.text + page.text
    if kind == "teapot":
        assert api.json()["error"]["details"] == ["x"] and "茶壶" in page.text
    for answer in (api, page):  # a crash's 500 too (found by review: it was answered without them)
        assert answer.headers["cache-control"] == "no-store" and "default-src" in answer.headers[
            "content-security-policy"], (kind, dict(answer.headers))


def test_validation_errors_share_the_envelope(client: TestClient) -> None:
    bad = client.get("/api/v1/projects?page=0")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert bad.json()["error"]["details"][0]["location"] == "query.page"
    assert client.delete("/api/v1/organizations").json()["error"]["code"] == "http_405"


def test_every_success_response_is_described(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        return node

    undescribed = []
    count = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                count += 1
                body = resolved(response.get("content", {}).get("application/json", {}).get("schema", {}))
                if body.get("type") == "array":
                    body = resolved(body.get("items", {}))
                if not body.get("properties"):
                    undescribed.append(f"{method.upper()} {path} {status}")
    assert count >= 15 and undescribed == []


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", ["web", "cli"])
def test_web_and_cli_go_through_services(layer: str) -> None:
    offenders = [f"{path.name}: {name}" for path in sorted((ROOT / "src" / "jixiao" / layer).rglob("*.py"))
                 for name in _imports(path) if name.startswith(("jixiao.storage", "sqlalchemy"))]
    assert offenders == []
