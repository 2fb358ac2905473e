"""Each variation point has one registry, and the registry covers every variant."""

import ast
import inspect
from typing import get_args

from api.schemas.imports import Provider
from domain.imports.booking import BOOKINGS
from domain.imports.rules import Outcome
from integrations.connectors import OPTIONAL, PROVIDERS, REQUIRED
from integrations.files import detect
from integrations.files.formats import BY_EXTENSION, FORMATS, HELP, REGISTRY


def test_every_provider_the_api_accepts_has_a_connector_line() -> None:
    assert set(get_args(Provider)) - {"file"} == set(PROVIDERS)
    assert set(REQUIRED) == set(OPTIONAL) == set(PROVIDERS)


def test_every_format_detection_can_answer_has_a_registry_line() -> None:
    tree = ast.parse(inspect.getsource(detect.detect_format))
    answers = {
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Return)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    assert answers, "detect_format returns format names as literals"
    assert answers <= set(REGISTRY)
    assert set(BY_EXTENSION.values()) <= set(REGISTRY)
    assert all(name in HELP for name in FORMATS)


def test_every_import_outcome_says_what_it_books() -> None:
    assert set(BOOKINGS) == set(Outcome)
