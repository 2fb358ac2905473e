"""Turn a decision about an imported row into the ledger's own input (no database here).

Amounts flip sign on the way: a bank row of -1250 (money left the account) is an expense of
1250; a refund of +500 is an expense of -500, as the ledger records refunds.
"""

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from domain.imports.records import ImportedTransaction
from domain.imports.rules import Decision
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.splitting import Participant, SplitMethod, split_expense
from domain.ledger.values import MemberAmount
from domain.money import allocate

DESCRIPTION_MAX = 200
NOTES_MAX = 2000


def description(row: ImportedTransaction) -> str:
    text = " ".join((row.payee or row.memo or "").split())
    return (text or "Imported transaction")[:DESCRIPTION_MAX]


def notes(row: ImportedTransaction) -> str | None:
    return row.memo[:NOTES_MAX] if row.payee and row.memo else None


def joint_payers(amount: int, weights: Mapping[str, int | Fraction]) -> list[MemberAmount]:
    """Paid from the joint account: each member paid their agreed part of it, so the expense
    moves nobody's balance and is not counted a second time as someone's own spending."""
    parts = split_expense(
        amount=amount, method=SplitMethod.AGREEMENT, participants=(), agreement_weights=weights
    )
    return [p for p in parts if p.amount != 0]


def expense_input(
    row: ImportedTransaction, decision: Decision, weights: Mapping[str, int | Fraction]
) -> ExpenseInput:
    if decision.payers:
        amount = sum(p.amount for p in decision.payers)
        single = decision.payers[0].member_id if len(decision.payers) == 1 else None
        return ExpenseInput(
            description=description(row),
            amount=amount,
            currency=row.currency,
            date=row.date,
            paid_by=single,
            payers=None if single else list(decision.payers),
            split_method=SplitMethod.EXACT,
            participants=[Participant(s.member_id, amount=s.amount) for s in decision.shares],
            category=decision.category,
            notes=notes(row),
        )
    amount = -row.amount
    return ExpenseInput(
        description=description(row),
        amount=amount,
        currency=row.currency,
        date=row.date,
        paid_by=decision.paid_by,
        payers=joint_payers(amount, weights) if decision.joint else None,
        paid_by_pot=decision.pot_id,
        split_method=decision.split_method,
        participants=decision.participants,
        category=decision.category,
        notes=notes(row),
    )


def revised_input(
    current: ExpenseInput,
    row: ImportedTransaction,
    decision: Decision,
    weights: Mapping[str, int | Fraction],
) -> ExpenseInput:
    """The source changed a row we made an expense of: take its new amount, currency and
    date, and keep what people may have edited here (description, split, category)."""
    if decision.payers:
        fresh = expense_input(row, decision, weights)
        return replace(fresh, description=current.description, category=current.category)
    amount = -row.amount
    changes: dict[str, object] = {"amount": amount, "currency": row.currency, "date": row.date}
    if row.currency != current.currency:
        changes["exchange_rate"] = None
    if current.payers is not None:
        changes["payers"] = [p for p in _rescale(list(current.payers), amount) if p.amount]
    if current.split_method is SplitMethod.EXACT:
        amounts = _rescale(
            [MemberAmount(p.member_id, p.amount or 0) for p in current.participants], amount
        )
        changes["participants"] = [Participant(p.member_id, amount=p.amount) for p in amounts]
    return replace(current, **changes)  # type: ignore[arg-type]


def _rescale(parts: list[MemberAmount], total: int) -> list[MemberAmount]:
    weights = [abs(p.amount) for p in parts]
    if sum(weights) == 0:
        return parts
    sign = -1 if total < 0 else 1
    amounts = allocate(abs(total), weights)
    return [MemberAmount(p.member_id, sign * a) for p, a in zip(parts, amounts, strict=True)]
