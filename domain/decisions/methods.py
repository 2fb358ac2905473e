"""What a decision is counted by, and the options it chooses between.

Ballots, counting and the service that creates decisions share this one vocabulary, so
it sits apart from all three.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Method(StrEnum):
    """How ballots become a result; each method has its own ballot shape."""

    MAJORITY = "majority"
    CONSENSUS = "consensus"
    APPROVAL = "approval"
    RANKED_CHOICE = "ranked_choice"
    SCORE = "score"

    @property
    def has_options(self) -> bool:
        """Consensus decides one proposal; every other method chooses among options."""
        return self is not Method.CONSENSUS


@dataclass(frozen=True)
class Option:
    """One choice of a decision. The order of a decision's options is meaningful: it is
    the last tie-break of ranked choice, fixed and visible before anyone votes."""

    id: str
    label: str


def check_option_labels(method: Method, labels: Sequence[str]) -> tuple[str, ...]:
    """Validate the option labels of a new decision and return them trimmed.

    Two options are the least a choice needs; duplicate labels would make ballots and
    explanations ambiguous, so they are refused (ignoring case and surrounding spaces).
    """
    if not method.has_options:
        if labels:
            raise InvalidInput(
                "A consensus decision is about one proposal and takes no options.",
                field="options",
            )
        return ()
    if len(labels) < 2:
        raise InvalidInput(f"A {method} decision needs at least two options.", field="options")
    trimmed: list[str] = []
    seen: set[str] = set()
    for index, label in enumerate(labels):
        text = label.strip()
        if not text:
            raise InvalidInput("An option needs a label.", field=f"options.{index}")
        if text.casefold() in seen:
            raise InvalidInput(f"The option '{text}' is listed twice.", field=f"options.{index}")
        seen.add(text.casefold())
        trimmed.append(text)
    return tuple(trimmed)
