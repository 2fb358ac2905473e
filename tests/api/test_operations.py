"""/healthz, /readyz and /metrics: no auth, no data."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from domain.db import make_engine
from domain.settings import Settings
from migrations.runner import downgrade, upgrade
from tests.api.conftest import Caller, assert_problem


def test_healthz_answers_without_auth(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_is_503_when_the_schema_is_behind(
    client: TestClient, database_url: str, engine: Engine
) -> None:
    engine.dispose()
    downgrade(database_url, "base")
    try:
        problem = assert_problem(client.get("/readyz"), 503)
        assert "migration" in problem["detail"]
    finally:
        upgrade(database_url)
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'fairstead.db'}"
    app = create_app(Settings(database_url=url), engine=make_engine(url))
    with TestClient(app, raise_server_exceptions=False) as client:
        problem = assert_problem(client.get("/readyz"), 503)
        assert "unreachable" in problem["detail"]
        assert client.get("/healthz").status_code == 200


def test_a_request_to_an_unreachable_database_is_a_503_problem(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'fairstead.db'}"
    app = create_app(Settings(database_url=url), engine=make_engine(url))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/households", headers={"Authorization": "Bearer fst_x"})
        problem = assert_problem(response, 503)
        assert problem["type"] == "urn:fairstead:problem:unavailable"
        assert response.headers["retry-after"] == "1"


def test_metrics_count_requests_by_route_template_in_prometheus_text(sam: Caller) -> None:
    home = sam.household()
    sam.get(f"/v1/households/{home['id']}")
    sam.client.get("/no/such/path")
    response = sam.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    text = response.text
    assert "# TYPE fairstead_http_requests_total counter" in text
    assert (
        'fairstead_http_requests_total{method="GET",route="/v1/households/{household_id}",'
        'status="200"} 1.0'
    ) in text
    assert (
        'fairstead_http_requests_total{method="POST",route="/v1/households",status="201"}' in text
    )
    assert 'route="unmatched",status="404"' in text
    assert "fairstead_http_request_duration_seconds_bucket" in text
    # Labels are templates, never raw paths: no ids, no data.
    assert home["id"] not in text and sam.email not in text
