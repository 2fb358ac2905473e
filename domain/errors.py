"""Domain errors. They know no HTTP: api/ maps each to a status and a problem type."""

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""


class Conflict(DomainError):
    """The request is valid but clashes with the current state."""


class InvalidInput(DomainError):
    """A value is well-formed but breaks a rule of the domain."""


class Unauthenticated(DomainError):
    """No valid credentials: wrong password, unknown, expired or revoked token."""


class Forbidden(DomainError):
    """Valid credentials that lack the permission for this action."""


class PreconditionFailed(DomainError):
    """An If-Match that no longer matches: someone changed the resource meanwhile."""


class Gone(DomainError):
    """The thing existed but can no longer be used (an expired invitation)."""
