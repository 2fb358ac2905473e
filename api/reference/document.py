"""Makes the generated document one that SDK generators and the docs pages read well.

FastAPI's document is correct but generic; this adds what only people know (summaries,
descriptions, tags, examples from this package) and reshapes four things generators
stumble on:
- an optional body is `anyOf [X, null]` with no `required`: openapi-python-client then
  serialises its `Unset`; the body is the schema itself with `required: false`;
- an upload is `contentMediaType`, which generators read as a string: `format: binary`;
- a property with a `default` comes out required in openapi-typescript (it treats defaults
  as "always present"); in request bodies the server fills it in, so the default moves
  into the description and the property is plainly optional;
- the ballot is an open object: it becomes a `oneOf` of one schema per method;
- each webhook is a reference to a path item in `components.pathItems`: openapi-generator's
  typescript-fetch turns inline webhooks into an API class whose imports it leaves empty
  (hundreds of compile errors); referenced ones it leaves to the receiver, as it should.
"""

from importlib.metadata import version
from typing import Any

from api.reference.examples import OPERATION_EXAMPLES, example
from api.reference.operations import OPERATIONS
from api.reference.tags import TAGS
from api.schemas.ballots import BALLOT

JSON = "application/json"
_METHODS = {"get", "put", "post", "delete", "patch"}
_BALLOT_REF = {"$ref": "#/components/schemas/Ballot"}
SERVERS = [
    {"url": "http://127.0.0.1:8000", "description": "`fairstead serve` on this machine"},
    {
        "url": "{scheme}://{host}",
        "description": "Your own server",
        "variables": {
            "scheme": {"default": "https", "enum": ["https", "http"]},
            "host": {"default": "fairstead.example.org"},
        },
    },
]
CONTACT = {"name": "The Fairstead authors", "url": "https://fairstead.example.org"}


def package_version() -> str:
    """The one version: the installed package's metadata (pyproject.toml)."""
    return version("fairstead")


def complete(schema: dict[str, Any]) -> None:
    schema["info"]["contact"] = CONTACT
    schema["servers"] = SERVERS
    used = {op.get("tags", [""])[0] for _, _, op in _operations(schema)}
    schema["tags"] = [
        {"name": name, "description": text} for name, text in TAGS.items() if name in used
    ]
    components = schema["components"]["schemas"]
    _ballots(schema, components)
    for _, _, operation in _operations(schema):
        _texts(operation)
        body = operation.get("requestBody")
        if body:
            _optional_body(body)
            _binary_uploads(body, components)
    for name in _request_schemas(schema):
        _defaults_to_descriptions(components[name])
    for _, _, operation in _operations(schema):
        _examples(operation, schema)
    _webhooks_by_reference(schema)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema.get("paths", {}).items()
        for method, operation in item.items()
        if method in _METHODS
    ]


def _texts(operation: dict[str, Any]) -> None:
    summary, description = OPERATIONS.get(operation["operationId"], (None, None))
    if summary:
        operation["summary"] = summary
    if description:
        operation["description"] = description


def _optional_body(body: dict[str, Any]) -> None:
    for media in body["content"].values():
        branches = media["schema"].get("anyOf", [])
        if len(branches) == 2 and {"type": "null"} in branches and not body.get("required"):
            (media["schema"],) = [b for b in branches if b != {"type": "null"}]
            body["required"] = False


def _binary_uploads(body: dict[str, Any], components: dict[str, Any]) -> None:
    for media in body["content"].values():
        ref = media["schema"].get("$ref", "")
        target = components.get(ref.rsplit("/", 1)[-1], media["schema"])
        for prop in target.get("properties", {}).values():
            if prop.pop("contentMediaType", None) is not None:
                prop["format"] = "binary"


def _request_schemas(schema: dict[str, Any]) -> set[str]:
    """Component schemas reachable from a request body (and not from any response)."""
    components = schema["components"]["schemas"]

    def reach(node: Any, found: set[str]) -> set[str]:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    reach(components[name], found)
            for value in node.values():
                reach(value, found)
        elif isinstance(node, list):
            for value in node:
                reach(value, found)
        return found

    requests: set[str] = set()
    responses: set[str] = set()
    for _, _, operation in _operations(schema):
        reach(operation.get("requestBody", {}), requests)
        reach(operation.get("responses", {}), responses)
    reach(schema.get("webhooks", {}), responses)
    return requests - responses


def _defaults_to_descriptions(component: dict[str, Any]) -> None:
    for prop in component.get("properties", {}).values():
        if "default" not in prop:
            continue
        default = prop.pop("default")
        if default in (None, [], {}):
            continue
        shown = str(default).lower() if isinstance(default, bool) else default
        note = f"Default: `{shown}`."
        prop["description"] = f"{prop['description']} {note}" if prop.get("description") else note


def _ballots(schema: dict[str, Any], components: dict[str, Any]) -> None:
    ballot = BALLOT.json_schema(ref_template="#/components/schemas/{model}")
    for name, shape in ballot.pop("$defs").items():
        for prop in shape.get("properties", {}).values():
            prop.pop("default", None)  # nothing is filled in: absent means absent
        if components.get(name, shape) != shape:
            raise ValueError(f"two different schemas are named {name}")
        components[name] = shape
    components["Ballot"] = {
        "oneOf": ballot["anyOf"],
        "description": "One shape per decision method; the shapes exclude each other by "
        "their required property.",
    }
    for _, _, operation in _operations(schema):
        if operation["operationId"] == "cast_vote":
            media = operation["requestBody"]["content"][JSON]
            description = media["schema"].get("description")
            media["schema"] = {**_BALLOT_REF, "description": description or ""}
    vote = components.get("Vote", {}).get("properties", {})
    if "ballot" in vote:
        vote["ballot"] = {
            "anyOf": [_BALLOT_REF, {"type": "null"}],
            "description": vote["ballot"].get("description", ""),
        }


def _examples(operation: dict[str, Any], document: dict[str, Any]) -> None:
    written = OPERATION_EXAMPLES.get(operation["operationId"], {})
    body = operation.get("requestBody", {}).get("content", {}).get(JSON)
    if body is not None and "examples" not in body:
        body["example"] = (
            written["request"]
            if "request" in written
            else example(body["schema"], document, request=True)
        )
    for status, response in operation["responses"].items():
        media = response.get("content", {}).get(JSON)
        if status.startswith("2") and media is not None and "examples" not in media:
            media["example"] = (
                written[status]
                if status in written
                else example(media["schema"], document, request=False)
            )


def _webhooks_by_reference(schema: dict[str, Any]) -> None:
    items = schema["components"].setdefault("pathItems", {})
    for event, item in schema.get("webhooks", {}).items():
        name = "".join(part.capitalize() for part in event.replace(".", "_").split("_"))
        items[f"{name}Webhook"] = item
        schema["webhooks"][event] = {"$ref": f"#/components/pathItems/{name}Webhook"}
