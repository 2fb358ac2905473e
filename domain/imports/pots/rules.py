"""Money moving between a member and a pot, as the account map shows it (pure).

An account mapped to `pot:<id>` is a joint account. Money coming into it from a member
(the other account of a transfer is the member's, or the payer's name is in the member
map) is that member's contribution; money going out of it to a member is a withdrawal.
Seen from the member's own account, a transfer to the joint account is the same
contribution: the import service records it once, whichever side is imported first.
Everything else on a joint account (card payments, refunds) goes through the rules and,
when shared, becomes an expense paid from the pot.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from domain.imports.records import ImportedTransaction

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

POT_PREFIX = "pot:"
JOINT = "joint"


@dataclass(frozen=True, slots=True)
class PotMovement:
    pot_id: str
    member_id: str
    amount: int  # the contribution: positive in, negative out, in the row's currency
    reason: str


def pot_of(target: str | None) -> str | None:
    """The pot id of an account-map target `pot:<id>`, or None."""
    if target is None or not target.startswith(POT_PREFIX) or len(target) == len(POT_PREFIX):
        return None
    return target[len(POT_PREFIX) :]


def _member(target: str | None) -> str | None:
    if target is None or target == JOINT or target.startswith(POT_PREFIX):
        return None
    return target


def pot_movement(
    row: ImportedTransaction, account_map: Mapping[str, str], member_map: Mapping[str, str]
) -> PotMovement | None:
    if row.amount == 0:
        return None
    own = account_map.get(row.account)
    other = account_map.get(row.counterparty) if row.counterparty else None
    pot_id = pot_of(own)
    if pot_id is not None:
        member = _member(other) or _named(row.payee, member_map)
        if member is None:
            return None
        way = "into" if row.amount > 0 else "out of"
        return PotMovement(pot_id, member, row.amount, f"a member's transfer {way} the pot")
    other_pot = pot_of(other)
    member = _member(own)
    if other_pot is not None and member is not None:
        way = "into" if row.amount < 0 else "out of"
        return PotMovement(other_pot, member, -row.amount, f"a member's transfer {way} the pot")
    return None


def _named(payee: str | None, member_map: Mapping[str, str]) -> str | None:
    """The member whose name on the statement (a member_map key) is the payer's."""
    if not payee:
        return None
    wanted = " ".join(payee.split()).casefold()
    for name, member_id in member_map.items():
        if " ".join(name.split()).casefold() == wanted:
            return member_id
    return None
