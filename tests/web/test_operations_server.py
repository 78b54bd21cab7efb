"""Behind a TLS proxy, as docs/deployment.md runs it: a real ``jixiao serve`` that trusts X-Forwarded-Proto from
127.0.0.1 (Secure cookies and HSTS over HTTPS only), echoes the proxy's X-Request-ID and logs it as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.web.conftest import _free_port


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()


def test_serve_behind_a_proxy(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'jixiao.sqlite3'}",
           "JIXIAO_LOG_FORMAT": "json", "JIXIAO_LOG_LEVEL": "INFO"}
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "jixiao.cli.main", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=sink)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):  # up to 60 s: a loaded machine starts the server slowly
                try:
                    _get(f"{url}/healthz", {})
                    break
                except OSError:
                    assert process.poll() is None, log.read_text("utf-8")
                    time.sleep(0.1)
            status, plain, _ = _get(f"{url}/readyz", {"X-Request-ID": "0123abcd"})
            assert status == 200 and plain["x-request-id"] == "0123abcd"
            assert "strict-transport-security" not in plain  # plain http://localhost keeps working
            status, proxied, _ = _get(f"{url}/login", {"X-Forwarded-Proto": "https", "X-Request-ID": "from-nginx"})
            assert status == 200 and proxied["strict-transport-security"].startswith("max-age=")
            assert "secure" in proxied["set-cookie"].lower()  # the login form's CSRF cookie, over HTTPS only
            status, _, body = _get(f"{url}/metrics", {})
            assert b'jixiao_http_requests_total{method="GET",route="/login",status="200"} 1.0' in body
        finally:
            process.terminate()
            process.wait(timeout=10)
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines() if line.startswith("{")]
    requests = {r["request_id"]: r for r in records if r["logger"] == "jixiao.web.request"}
    assert requests["0123abcd"]["route"] == "/readyz" and requests["from-nginx"]["path"] == "/login"
    assert any(r["logger"].startswith("uvicorn") for r in records)  # the server's own lines are JSON too
