"""Every event the code records is described for subscribers, and the OpenAPI `webhooks`
section describes exactly the catalog."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from api.app import create_app
from api.webhook_events import data_model
from domain.activity import events
from domain.activity.events import CATALOG, COMMON_FIELDS, EventType
from domain.activity.service import Actor, record
from domain.hooks.catalog import is_known_pattern, matches
from domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DECLARATIONS = ROOT / "domain" / "activity" / "events.py"


def _declared_constants() -> dict[str, str]:
    """Constant name -> event name, read from the declarations' own values."""
    return {
        name: value.name
        for name, value in vars(events).items()
        if isinstance(value, EventType)
    }


def _referenced_constants() -> set[str]:
    """Every declaration the code outside the declarations module uses (to record it):
    `events.X`, or `X` imported from `domain.activity.events`."""
    found: set[str] = set()
    for folder in ("domain", "api", "integrations"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == DECLARATIONS:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "events"
                ):
                    found.add(node.attr)
                elif isinstance(node, ast.ImportFrom) and node.module == "domain.activity.events":
                    found |= {alias.name for alias in node.names}
    return found


def test_every_declared_event_is_catalogued_and_recorded_somewhere() -> None:
    declared = _declared_constants()
    assert set(declared.values()) == set(CATALOG), "add the declaration to CATALOG's tuple"
    unused = set(declared) - _referenced_constants()
    assert not unused, f"declared but recorded nowhere: {sorted(unused)}"


def test_event_types_are_declared_only_in_the_declarations_module() -> None:
    for folder in ("domain", "api", "integrations"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == DECLARATIONS:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    assert ast.unparse(node.func) not in ("EventType", "events.EventType"), path


def test_recording_an_undeclared_event_fails() -> None:
    engine = create_engine("sqlite://")
    undeclared = EventType("expense.created", "A copy, not the declaration.", "the expense")
    with Session(engine) as session, pytest.raises(LookupError, match="not declared"):
        record(
            session,
            household_id=None,
            type=undeclared,
            subject_id=None,
            actor=Actor(user_id=None, member_id=None),
        )


def test_the_openapi_webhooks_section_describes_each_catalogued_type() -> None:
    document = create_app(Settings(database_url="sqlite:///never-opened.db")).openapi()
    webhooks = document["webhooks"]
    assert set(webhooks) == set(CATALOG)
    reference = webhooks["expense.created"]["$ref"]  # see api/reference/document.py
    operation = document["components"]["pathItems"][reference.rsplit("/", 1)[1]]["post"]
    assert operation["operationId"] == "expense_created"
    schema_name = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_name.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"type", "timestamp", "data"}
    assert set(operation["responses"]) == {"2XX", "410", "default"}


def test_event_fields_never_shadow_the_common_fields() -> None:
    for event_type in CATALOG.values():
        assert not set(event_type.fields) & set(COMMON_FIELDS), event_type.name
        data_model(event_type)  # every field type is one the schema builder knows


def test_patterns_match_types_resources_or_everything() -> None:
    assert matches(["*"], "chore.completed")
    assert matches(["chore.*"], "chore.completed")
    assert not matches(["chore.*"], "chore_preference.updated")
    assert not matches(["expense.created"], "expense.updated")
    assert is_known_pattern("recurring_expense.*")
    assert not is_known_pattern("expense")
    assert not is_known_pattern("nothing.*")
