"""Every event the code records is described for subscribers, and the OpenAPI `webhooks`
section describes exactly the catalog."""

import re
from pathlib import Path

from api.app import create_app
from api.webhook_events import data_model
from domain.hooks.catalog import CATALOG, COMMON_FIELDS, is_known_pattern, matches
from domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'type="([a-z_]+\.[a-z_]+)"')


def recorded_types() -> set[str]:
    found = set()
    for path in (ROOT / "domain").rglob("*.py"):
        found |= set(RECORDED.findall(path.read_text()))
    return found


def test_every_recorded_event_type_is_in_the_catalog() -> None:
    types = recorded_types()
    assert {"expense.created", "settlement.created", "member.created"} <= types
    missing = types - CATALOG.keys()
    assert not missing, f"describe these in domain/hooks/catalog.py: {sorted(missing)}"


def test_the_openapi_webhooks_section_describes_each_catalogued_type() -> None:
    document = create_app(Settings(database_url="sqlite:///never-opened.db")).openapi()
    webhooks = document["webhooks"]
    assert set(webhooks) == set(CATALOG)
    operation = webhooks["expense.created"]["post"]
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
