"""Security headers: every response is nosniff, unframeable and sends no referrer; API
responses under /v1 are not stored by caches and may not render anything; the docs pages
get a policy that lets exactly their own assets (served by the app: no CDN) and their own
inline script run."""

import base64
import hashlib
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Caller

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def policy(response: Any) -> dict[str, list[str]]:
    directives = [d.split() for d in response.headers["content-security-policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def assert_common(response: Any) -> None:
    for name, value in COMMON.items():
        assert response.headers[name] == value, name
    assert policy(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect"])
def test_swagger_ui_may_run_its_inline_script_and_nothing_else_inline(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert_common(response)
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline, "the page has no inline script to allow"
    allowed = policy(response)["script-src"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
    assert "'self'" in allowed
    sources = re.findall(r'<script src="([^"]+)"', response.text)
    assert all(src.startswith("/docs-assets/") for src in sources), sources


def test_redoc_may_load_its_own_bundle_and_worker_and_nothing_from_elsewhere(
    client: TestClient,
) -> None:
    response = client.get("/redoc")
    assert_common(response)
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert "'self'" in directives["script-src"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["worker-src"] == ["blob:"]
    assert directives["connect-src"] == ["'self'"]  # fetching /openapi.json
    assert "https:" not in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_nothing_from_another_host(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert re.findall(r'(?:src|href)="(https?:[^"]*)"', page) == []
    for asset in re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', page):
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served.headers["content-type"].split(";")[0] in {
            "text/javascript",
            "application/javascript",
            "text/css",
            "image/png",
        }


def test_the_openapi_document_and_probes_carry_the_common_headers(client: TestClient) -> None:
    for path in ("/openapi.json", "/healthz", "/metrics"):
        response = client.get(path)
        assert_common(response)
        assert policy(response)["default-src"] == ["'none'"]


def test_api_responses_and_errors_are_never_stored_or_rendered(
    client: TestClient, sam: Caller
) -> None:
    home = sam.household()
    responses = [
        sam.get("/v1/me"),
        sam.get(f"/v1/households/{home['id']}/export", params={"format": "csv"}),
        client.get("/v1/me"),  # 401
        sam.get("/v1/households/nope"),  # 404
        sam.post("/v1/households", json={"name": 1}),  # 422
    ]
    for response in responses:
        assert_common(response)
        assert response.headers["cache-control"] == "no-store", response.request.url
        assert policy(response)["default-src"] == ["'none'"]


def test_idempotent_replays_carry_the_headers_too(sam: Caller) -> None:
    body = {"name": "Flat", "currency": "EUR", "timezone": "Europe/Berlin"}
    headers = {"Idempotency-Key": "k-1"}
    first = sam.post("/v1/households", json=body, headers=headers)
    again = sam.post("/v1/households", json=body, headers=headers)
    assert again.headers["idempotency-replayed"] == "true"
    assert again.json() == first.json()
    assert_common(again)
    assert again.headers["cache-control"] == "no-store"
