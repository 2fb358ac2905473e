"""Every list, map and text in every request body declares its maximum in the OpenAPI
document (OWASP API4), so clients know the limits and no endpoint added later can take an
unbounded one. Walked from the document itself: nothing to keep in sync by hand."""

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "put", "post", "patch", "delete"}


def unbounded(document: dict[str, Any]) -> list[str]:
    schemas = document["components"]["schemas"]
    found: list[str] = []

    def walk(schema: dict[str, Any], where: str, seen: frozenset[str]) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas[name], where, seen | {name})
            return
        kind = schema.get("type")
        if kind == "array":
            if "maxItems" not in schema:
                found.append(f"{where}: a list without maxItems")
            walk(schema.get("items", {}), f"{where}[]", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            if "maxProperties" not in schema and "propertyNames" not in schema:
                found.append(f"{where}: a map without maxProperties")
            walk(extra, f"{where}{{}}", seen)
        if kind == "string" and not ({"maxLength", "enum", "format", "const"} & schema.keys()):
            found.append(f"{where}: text without maxLength")
        for name, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        for combined in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(combined, []):
                walk(sub, where, seen)

    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if method in METHODS else None
            for media_type, content in (body or {}).get("content", {}).items():
                if media_type == "multipart/form-data":
                    continue  # a file upload: bounded by FAIRSTEAD_IMPORT_MAX_BYTES (413)
                walk(content["schema"], f"{method.upper()} {path} body", frozenset())
    return found


def test_every_list_map_and_text_in_a_request_body_declares_its_maximum() -> None:
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    assert unbounded(document) == []


def test_the_check_finds_an_unbounded_list() -> None:
    document = {
        "components": {"schemas": {"In": {"properties": {"ids": {"type": "array"}}}}},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/In"}}
                        }
                    }
                }
            }
        },
    }
    assert unbounded(document) == ["POST /x body.ids: a list without maxItems"]


def test_every_paged_list_caps_its_limit() -> None:
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    schemas = document["components"]["schemas"]
    paged = 0
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        ref = ok.get("schema", {}).get("$ref", "")
        shape = schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
        if not {"data", "next_cursor"} <= shape.keys():
            continue
        [limit] = [p for p in operation.get("parameters", []) if p["name"] == "limit"]
        assert limit["schema"]["maximum"] <= 1000, path
        assert limit["schema"]["minimum"] == 1, path
        paged += 1
    assert paged >= 20  # the walk found the lists
