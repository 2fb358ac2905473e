"""Token scopes and what each one allows.

`write` implies `read`, and `admin` implies both: a token that may change things may also see
them. `automation` stands alone: a button or NFC tag gets exactly the endpoints marked
*automation* and nothing else, so a leaked tag token cannot read a household's finances.
"""

from enum import StrEnum


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"
    AUTOMATION = "automation"


_IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset({Scope.READ}),
    Scope.WRITE: frozenset({Scope.READ, Scope.WRITE}),
    Scope.ADMIN: frozenset({Scope.READ, Scope.WRITE, Scope.ADMIN}),
    Scope.AUTOMATION: frozenset({Scope.AUTOMATION}),
}

DEFAULT_SCOPES = (Scope.READ, Scope.WRITE, Scope.ADMIN)


def effective(granted: frozenset[Scope]) -> frozenset[Scope]:
    out: set[Scope] = set()
    for scope in granted:
        out |= _IMPLIED[scope]
    return frozenset(out)
