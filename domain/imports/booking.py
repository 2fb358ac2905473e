"""The ledger side of an import: book a decided row, revise it, or undo it when deleted.

Ledger rows are only ever made through the ledger's own services, so an imported expense is
validated, converted, split and recorded in the activity feed exactly like a typed one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.households.models import Household
from domain.imports.entries import description, expense_input, revised_input
from domain.imports.goal_booking import book_contribution, contribution_of
from domain.imports.models import IMPORTED_ROWS, ImportedRow
from domain.imports.pots.booking import book_contribution as book_pot_contribution
from domain.imports.pots.booking import book_income
from domain.imports.records import ImportedTransaction
from domain.imports.rules import Decision, Outcome
from domain.ledger.expense_input import input_of
from domain.ledger.expenses import (
    ExpenseRows,
    ExpenseWriter,
    create_expense,
    delete_expense,
    update_expense,
)
from domain.ledger.models import Expense
from domain.ledger.settlements import SettlementInput, create_settlement

_TRACKED = ("account", "date", "amount", "currency", "payee", "memo", "category")


Links = dict[str, str]  # ImportedRow column -> id of what the row became


@dataclass
class Booker:
    session: Session
    household: Household
    actor: Actor
    weights: dict[str, int | Fraction]
    now: datetime
    _writer: ExpenseWriter | None = None

    def book(self, row_id: str, row: ImportedTransaction, decision: Decision) -> None:
        """Make the ledger entry a new (or newly decided) row calls for, and link it."""
        booker = BOOKINGS[decision.outcome]
        links = {} if booker is None else booker(self, row_id, row, decision)
        if links:
            table = IMPORTED_ROWS
            self.session.execute(
                table.update().where(table.c.id == bindparam("row_id")),
                {"row_id": row_id, **links},
            )

    def expense_rows(self, row: ImportedTransaction, decision: Decision) -> ExpenseRows | None:
        """A shared row's expense as rows to insert with others (`insert_expenses`), checked
        as `create_expense` checks it; None when it is paid from a pot (booked one by one,
        as the pot's replay needs). Raises the ledger's DomainError, writing nothing."""
        data = expense_input(row, decision, self.weights)
        if data.paid_by_pot is not None:
            return None
        if self._writer is None:
            self._writer = ExpenseWriter(self.session, self.household, self.actor)
        return self._writer.rows(data)

    def _shared(self, row_id: str, row: ImportedTransaction, decision: Decision) -> Links:
        expense = create_expense(
            self.session,
            household=self.household,
            actor=self.actor,
            data=expense_input(row, decision, self.weights),
        )
        return {"expense_id": expense.id}

    def _settlement(self, row_id: str, row: ImportedTransaction, decision: Decision) -> Links:
        plan = decision.settlement
        if plan is None:
            return {}
        settlement = create_settlement(
            self.session,
            household=self.household,
            actor=self.actor,
            data=SettlementInput(
                from_member_id=plan.from_member_id,
                to_member_id=plan.to_member_id,
                amount=plan.amount,
                currency=row.currency,
                date=row.date,
                note=description(row),
            ),
        )
        return {"settlement_id": settlement.id}

    def _contribution(self, row_id: str, row: ImportedTransaction, decision: Decision) -> Links:
        return {
            "pot_contribution_id": book_pot_contribution(
                self.session, household=self.household, actor=self.actor, row=row, decision=decision
            )
        }

    def _income(self, row_id: str, row: ImportedTransaction, decision: Decision) -> Links:
        return {
            "member_income_id": book_income(
                self.session,
                household=self.household,
                actor=self.actor,
                row=row,
                decision=decision,
                now=self.now,
            )
        }

    def _goal_contribution(
        self, row_id: str, row: ImportedTransaction, decision: Decision
    ) -> Links:
        if decision.paid_by is not None:
            # Linked from the contribution's side (imported_row_id), like a goal's own table.
            book_contribution(
                self.session,
                household=self.household,
                actor=self.actor,
                row_id=row_id,
                row=row,
                member_id=decision.paid_by,
                goal_id=decision.goal_id,
                now=self.now,
            )
        return {}

    def revise(
        self,
        row_id: str,
        row: ImportedTransaction,
        decision: Decision,
        *,
        values: dict[str, Any],
        twin: str | None,
    ) -> None:
        """The source changed a row under the same key: follow it, and record a revision.

        An expense made from it takes the new amount, currency and date (what people edited
        here stays); a row still undecided is decided again; a row someone reviewed keeps
        their decision; a settlement or a goal contribution is never rewritten behind
        anyone's back, it goes to review instead.
        """
        stored = self.session.get(ImportedRow, row_id)
        assert stored is not None
        changes = {
            name: [_plain(getattr(stored, name)), _plain(values[name])]
            for name in _TRACKED
            if getattr(stored, name) != values[name]
        }
        expense = self.session.get(Expense, stored.expense_id) if stored.expense_id else None
        decided = {name: values.pop(name) for name in ("outcome", "reason", "rule_id")}
        booked_elsewhere = (
            stored.settlement_id is not None
            or stored.pot_contribution_id is not None
            or stored.member_income_id is not None
            or contribution_of(self.session, row_id)
        )
        # Decide again only what nobody decided yet: not a row someone reviewed, and not one
        # whose expense someone deleted here (that would bring it back).
        redecide = (
            expense is None
            and not booked_elsewhere
            and stored.reviewed_by_member_id is None
            and stored.outcome not in (Outcome.SHARED, Outcome.SETTLEMENT)
        )
        if expense is not None:
            update_expense(
                self.session,
                household=self.household,
                actor=self.actor,
                expense=expense,
                data=revised_input(input_of(expense), row, decision, self.weights),
                now=self.now,
            )
        elif booked_elsewhere:
            values["outcome"] = Outcome.NEEDS_REVIEW.value
            values["reason"] = f"changed at the source after its {_recorded(stored)} was recorded"
        elif redecide:
            values |= decided | {"duplicate_of_id": twin}
        for name, value in values.items():
            setattr(stored, name, value)
        stored.revision += 1
        stored.version += 1
        stored.updated_at = self.now
        self.session.flush()
        if redecide:
            self.book(row_id, row, decision)
        self._record_revision(stored, changes)

    def delete(self, row_id: str, run_id: str) -> None:
        """Deleted at the source: its expense goes too; a settlement goes to review."""
        stored = self.session.get(ImportedRow, row_id)
        assert stored is not None
        expense = self.session.get(Expense, stored.expense_id) if stored.expense_id else None
        stored.expense_id = None
        if (
            stored.settlement_id is not None
            or stored.pot_contribution_id is not None
            or stored.member_income_id is not None
            or contribution_of(self.session, row_id)
        ):
            stored.outcome = Outcome.NEEDS_REVIEW.value
            stored.reason = f"deleted at the source; its {_recorded(stored)} is still recorded"
        else:
            stored.outcome = Outcome.DELETED.value
            stored.reason = "deleted at the source"
        stored.run_id = run_id
        stored.revision += 1
        stored.version += 1
        stored.updated_at = self.now
        self.session.flush()
        if expense is not None:
            delete_expense(self.session, actor=self.actor, expense=expense)
        self._record_revision(stored, {"deleted": [False, True]})

    def _record_revision(self, stored: ImportedRow, changes: dict[str, list[Any]]) -> None:
        record(
            self.session,
            household_id=self.household.id,
            type=events.IMPORTED_TRANSACTION_REVISED,
            subject_id=stored.id,
            actor=self.actor,
            data={"revision": stored.revision, "outcome": stored.outcome, "changes": changes},
        )


def _recorded(stored: ImportedRow) -> str:
    """What a row that is never rewritten behind anyone's back made in the ledger."""
    if stored.settlement_id is not None:
        return "settlement"
    if stored.pot_contribution_id is not None:
        return "pot contribution"
    if stored.member_income_id is not None:
        return "income"
    return "goal contribution"


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | str) else str(value)


# What each outcome books: one line per outcome; None books nothing (the row is kept, and
# shown, as it was decided). An outcome without a line fails at import time.
BOOKINGS: dict[Outcome, Callable[[Booker, str, ImportedTransaction, Decision], Links] | None] = {
    Outcome.SHARED: Booker._shared,
    Outcome.SETTLEMENT: Booker._settlement,
    Outcome.PERSONAL: None,
    Outcome.IGNORED: None,
    Outcome.TRANSFER: None,
    Outcome.NEEDS_REVIEW: None,
    Outcome.DELETED: None,
    Outcome.GOAL_CONTRIBUTION: Booker._goal_contribution,
    Outcome.CONTRIBUTION: Booker._contribution,
    Outcome.INCOME: Booker._income,
}
if set(BOOKINGS) != set(Outcome):  # pragma: no cover - fails at import
    raise RuntimeError(f"import outcomes without a booking line: {set(Outcome) - set(BOOKINGS)}")
