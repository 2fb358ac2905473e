"""Token scopes and what each one allows.

`write` implies `read`, and `admin` implies both: a token that may change things may also see
them. `automation` stands alone: a button or NFC tag gets exactly the endpoints marked
*automation* and nothing else, so a leaked tag token cannot read a household's finances.
`feed` stands alone too: it reads a household's calendar feeds and nothing else, since a
calendar app keeps it in a URL that ends up in logs and shared calendars.
"""

from enum import StrEnum


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"
    AUTOMATION = "automation"
    FEED = "feed"


_IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset({Scope.READ}),
    Scope.WRITE: frozenset({Scope.READ, Scope.WRITE}),
    Scope.ADMIN: frozenset({Scope.READ, Scope.WRITE, Scope.ADMIN}),
    Scope.AUTOMATION: frozenset({Scope.AUTOMATION}),
    Scope.FEED: frozenset({Scope.FEED}),
}

DEFAULT_SCOPES = (Scope.READ, Scope.WRITE, Scope.ADMIN)


def effective(granted: frozenset[Scope]) -> frozenset[Scope]:
    out: set[Scope] = set()
    for scope in granted:
        out |= _IMPLIED[scope]
    return frozenset(out)
