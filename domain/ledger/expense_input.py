"""An expense as its client describes it (`ExpenseInput`), and that description as JSON: what
PATCH starts from and what a recurring template stores."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.ledger.models import Expense
from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount


@dataclass(frozen=True)
class ExpenseInput:
    """An expense as a client describes it, before conversion and splitting."""

    description: str
    amount: int
    currency: str
    date: date
    paid_by: str | None = None
    payers: Sequence[MemberAmount] | None = None
    split_method: SplitMethod = SplitMethod.AGREEMENT
    participants: Sequence[Participant] = field(default_factory=tuple)
    exchange_rate: Decimal | None = None
    category: str | None = None
    notes: str | None = None
    paid_by_pot: str | None = None


def participant_json(p: Participant) -> dict[str, object]:
    out: dict[str, object] = {"member_id": p.member_id}
    if p.shares is not None:
        out["shares"] = p.shares
    if p.percent is not None:
        out["percent"] = str(p.percent)
    if p.amount is not None:
        out["amount"] = p.amount
    return out


def input_of(expense: Expense) -> ExpenseInput:
    """The expense as its client last described it (original currency), for PATCH."""
    return input_from_json(
        {
            "description": expense.description,
            "amount": expense.original_amount,
            "currency": expense.original_currency,
            "split_method": expense.split_method,
            "participants": expense.split_participants,
            "exchange_rate": expense.exchange_rate,
            "category": expense.category,
            "notes": expense.notes,
            **expense.payment,
        },
        on=expense.date,
    )


def input_to_json(data: ExpenseInput) -> dict[str, Any]:
    """An expense description as plain JSON (no date): a recurring template's body."""
    return {
        "description": data.description,
        "amount": data.amount,
        "currency": data.currency,
        **payment_json(data),
        "split_method": data.split_method.value,
        "participants": [participant_json(p) for p in data.participants],
        "exchange_rate": str(data.exchange_rate) if data.exchange_rate is not None else None,
        "category": data.category,
        "notes": data.notes,
    }


def input_from_json(raw: dict[str, Any], *, on: date) -> ExpenseInput:
    payers = raw.get("payers")
    rate = raw.get("exchange_rate")
    return ExpenseInput(
        description=raw["description"],
        amount=raw["amount"],
        currency=raw["currency"],
        date=on,
        paid_by=raw.get("paid_by"),
        payers=[MemberAmount(p["member_id"], p["amount"]) for p in payers]
        if payers is not None
        else None,
        split_method=SplitMethod(raw["split_method"]),
        participants=[
            Participant(
                p["member_id"],
                shares=p.get("shares"),
                amount=p.get("amount"),
                percent=Decimal(p["percent"]) if "percent" in p else None,
            )
            for p in raw["participants"]
        ],
        exchange_rate=Decimal(rate) if rate else None,
        category=raw.get("category"),
        notes=raw.get("notes"),
        paid_by_pot=raw.get("paid_by_pot"),
    )


def payment_json(data: ExpenseInput) -> dict[str, Any]:
    if data.paid_by_pot is not None:
        return {"paid_by_pot": data.paid_by_pot}
    if data.paid_by is not None:
        return {"paid_by": data.paid_by}
    return {"payers": [{"member_id": p.member_id, "amount": p.amount} for p in data.payers or ()]}
