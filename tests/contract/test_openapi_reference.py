"""The hand-written parts of the OpenAPI document are complete and true: every operation has
a summary and a description a person wrote, every tag is described, and every example of a
JSON request body or 2xx JSON response validates against its schema. A new route fails here
until it has its line in api/reference/operations.py (and, if the written-out example does
not validate, one in api/reference/examples.py)."""

import json
from importlib.metadata import version
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.app import create_app
from api.openapi import render
from api.reference.operations import OPERATIONS
from domain.settings import Settings

METHODS = {"get", "put", "post", "patch", "delete"}
JSON = "application/json"
BASE = "urn:fairstead:openapi"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(render(create_app(Settings(database_url="sqlite:///never-opened.db"))))


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in document["paths"].values() for m, op in item.items() if m in METHODS]


def fastapi_title(operation_id: str) -> str:
    return operation_id.replace("_", " ").title()


def test_every_operation_has_a_written_summary_and_a_description(
    document: dict[str, Any],
) -> None:
    missing = []
    for op in operations(document):
        summary = op.get("summary", "")
        if op["operationId"] not in OPERATIONS or summary == fastapi_title(op["operationId"]):
            missing.append(op["operationId"])
        elif not op.get("description", "").strip():
            missing.append(op["operationId"] + " (description)")
    assert not missing, f"add to api/reference/operations.py: {missing}"


def test_no_summary_is_written_for_an_operation_that_does_not_exist(
    document: dict[str, Any],
) -> None:
    assert set(OPERATIONS) - {op["operationId"] for op in operations(document)} == set()


def test_every_tag_is_described(document: dict[str, Any]) -> None:
    described = {tag["name"] for tag in document["tags"] if tag["description"]}
    used = {op["tags"][0] for op in operations(document)}
    assert used <= described, used - described


def test_info_names_the_package_version_a_licence_a_contact_and_servers(
    document: dict[str, Any],
) -> None:
    assert document["info"]["version"] == version("fairstead")
    assert document["info"]["license"]["identifier"]
    assert document["info"]["contact"]["name"]
    assert document["servers"][0]["url"].startswith("http://127.0.0.1")


def examples_of(media: dict[str, Any]) -> list[Any]:
    if "examples" in media:
        return [named["value"] for named in media["examples"].values()]
    return [media["example"]] if "example" in media else []


def test_every_json_body_and_success_response_has_a_valid_example(
    document: dict[str, Any],
) -> None:
    registry = registry_of(document)
    problems = []
    checked = 0
    for op in operations(document):
        media = [("request", op.get("requestBody", {}).get("content", {}).get(JSON))]
        media += [
            (status, response.get("content", {}).get(JSON))
            for status, response in op["responses"].items()
            if status.startswith("2")
        ]
        for where, content in media:
            if content is None:
                continue
            found = examples_of(content)
            if not found:
                problems.append(f"{op['operationId']} {where}: no example")
            validator = Draft202012Validator(_rebased(content["schema"]), registry=registry)
            for value in found:
                checked += 1
                errors = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
                problems += [
                    f"{op['operationId']} {where} at {list(e.path)}: {e.message[:160]}"
                    for e in errors[:3]
                ]
    assert checked > 100
    assert not problems, "\n".join(problems)


def registry_of(document: dict[str, Any]) -> Registry:
    return Registry().with_resource(BASE, Resource(contents=document, specification=DRAFT202012))


def _rebased(node: Any) -> Any:
    """`#/components/...` references, resolved against the whole document."""
    if isinstance(node, dict):
        return {
            k: (BASE + v if k == "$ref" and v.startswith("#/") else _rebased(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebased(v) for v in node]
    return node


def test_an_optional_body_is_optional_and_not_nullable(document: dict[str, Any]) -> None:
    chore = document["paths"]["/v1/households/{household_id}/chores/{chore_id}/complete"]
    body = chore["post"]["requestBody"]
    assert body["required"] is False
    assert body["content"][JSON]["schema"] == {"$ref": "#/components/schemas/CompletionIn"}


def test_uploads_are_binary(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert "contentMediaType" not in text
    upload = document["components"]["schemas"]["Body_create_import"]["properties"]["file"]
    assert upload["format"] == "binary"


def test_ballots_are_one_of_a_schema_per_method(document: dict[str, Any]) -> None:
    ballot = document["components"]["schemas"]["Ballot"]
    assert len(ballot["oneOf"]) == 6
    validator = Draft202012Validator(
        _rebased({"$ref": "#/components/schemas/Ballot"}),
        registry=registry_of(document),
    )
    for ballot_body in (
        {"option_id": "a"},
        {"abstain": True},
        {"position": "agree"},
        {"approved": []},
        {"ranking": ["a"]},
        {"scores": {"a": 5}},
    ):
        assert validator.is_valid(ballot_body), ballot_body
    assert not validator.is_valid({"option_id": "a", "abstain": True})


def test_request_schemas_require_nothing_the_server_defaults(document: dict[str, Any]) -> None:
    member = document["components"]["schemas"]["MemberCreate"]
    assert member["required"] == ["display_name"]
    assert all("default" not in p for p in member["properties"].values())
    assert "Default: `member`." in member["properties"]["role"]["description"]


def test_webhooks_are_references_to_path_items(document: dict[str, Any]) -> None:
    """Inline webhooks give typescript-fetch an API class with empty imports."""
    items = document["components"]["pathItems"]
    for event, webhook in document["webhooks"].items():
        assert list(webhook) == ["$ref"], event
        assert webhook["$ref"].rsplit("/", 1)[1] in items
