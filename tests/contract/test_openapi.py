"""The committed OpenAPI document is the contract SDKs are generated from: it must match the
code, and every operation must be usable by a generated client."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.openapi import render
from domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite:///never-opened.db"))
    return json.loads(render(app))


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_committed_openapi_document_matches_the_code() -> None:
    app = create_app(Settings(database_url="sqlite:///never-opened.db"))
    committed = (ROOT / "openapi" / "openapi.json").read_text()
    assert committed == render(app), "run `fairstead openapi` and commit openapi/openapi.json"


def test_operation_ids_are_unique_snake_case_verbs(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    verbs = (
        "list_",
        "get_",
        "create_",
        "update_",
        "delete_",
        "put_",
        "accept_",
        "complete_",
        "skip_",
        "reassign_",
        "close_",
        "cast_",
        "export_",
        "sync_",
        "respond_",
        "rotate_",
        "redeliver_",
        "import_",
        "generate_",
        "set_",
        "record_",
        "resolve_",
    )
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", operation_id), operation_id
        assert operation_id.startswith(verbs), operation_id


def test_every_operation_has_exactly_one_tag(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        assert len(operation.get("tags", [])) == 1, (method, path)


def test_every_error_response_is_a_problem_document(document: dict[str, Any]) -> None:
    assert "Problem" in document["components"]["schemas"]
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)


def test_authenticated_operations_declare_401_403_and_503(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if operation.get("security"):
            assert {"401", "403", "503"} <= operation["responses"].keys(), (method, path)


def test_operations_with_a_body_declare_413_and_422(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if "requestBody" in operation:
            assert {"413", "422"} <= operation["responses"].keys(), (method, path)


def test_household_paths_declare_404(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if "{household_id}" in path:
            assert "404" in operation["responses"], (method, path)


def test_the_api_description_states_its_mit_licence() -> None:
    text = (ROOT / "openapi" / "README.md").read_text()
    assert "MIT" in text and "openapi.json" in text
