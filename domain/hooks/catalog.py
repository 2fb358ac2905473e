"""Which declared events a subscription pattern names (`*`, `<type>`, `<resource>.*`).

The event types themselves are declared in `domain.activity.events`.
"""

from domain.activity.events import CATALOG

ALL = "*"


def is_known_pattern(pattern: str) -> bool:
    """`*`, a catalogued type, or `<resource>.*` for a catalogued resource."""
    if pattern == ALL or pattern in CATALOG:
        return True
    resource, _, rest = pattern.partition(".")
    return rest == "*" and any(e.resource == resource for e in CATALOG.values())


def matches(patterns: list[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern in (ALL, event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False
