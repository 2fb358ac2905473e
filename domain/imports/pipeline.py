"""The import service: one batch of rows in, deduplicated, decided and booked.

Each row that becomes a ledger entry runs in its own SAVEPOINT, so a row the ledger refuses
(an unknown currency, no exchange rate for its day) is reported with its line and reason and
leaves nothing behind, while the good rows of the same batch still land. A refused row is
not remembered either: importing the file again, after adding the rate, books it. Rows that
make no ledger entry are inserted in chunks (see `_Step.flush`).

The batch is booked in short transactions when the caller passes a `checkpoint` (which
commits): after a few hundred rows written (duplicates write nothing and do not count), or a
tenth of a second, whichever comes first. SQLite
has one write lock for the whole database; one transaction over a 100,000-row file would hold
it for half a minute while every other household's writes wait and time out. Each committed
chunk is final: a crash leaves the run `running` with the rows booked so far, and importing
the file again books the rest, the rows already stored being duplicates by their keys.

Idempotency rests on the unique (household, scope, key) constraint: a row is inserted and
the constraint says whether it was already there, so two imports of one file running at the
same time cannot both book it. The keys already present are read up front only to skip the
work for rows that are plainly duplicates.
"""

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.bulk import insert_rows
from domain.calendar import RANGE, on_calendar
from domain.errors import DomainError
from domain.households.members import household_members
from domain.households.models import Household
from domain.ids import new_id
from domain.imports.booking import Booker
from domain.imports.keys import content_hash, normalise_payee, row_keys, similar_payees
from domain.imports.lookups import (
    Known,
    KnownKeys,
    Lookalikes,
    children,
    known_keys,
    lookalikes,
)
from domain.imports.models import IMPORTED_ROWS, ImportRun
from domain.imports.pots.booking import recorded_from_other_side
from domain.imports.records import Batch, ImportedTransaction
from domain.imports.rule_store import load_rules
from domain.imports.rules import Context, Decision, Outcome, category_text, decide
from domain.imports.runs import Tally
from domain.ledger.expenses import ExpenseRows, insert_expenses, money_weights
from domain.money import is_known_currency

CHUNK = 500
COMMIT_ROWS = 300  # rows written per transaction when booking in short transactions
COMMIT_SECONDS = 0.1  # … or fewer, when they take longer than this
MAX_AMOUNT = 10**15  # minor units, as the API accepts
Progress = Callable[[int], None]
Checkpoint = Callable[[], None]  # commits what is booked so far; the session goes on
_LOOKALIKE_OUTCOMES = (Outcome.SHARED, Outcome.NEEDS_REVIEW)
_BOOKED = (
    Outcome.SHARED,
    Outcome.SETTLEMENT,
    Outcome.GOAL_CONTRIBUTION,
    Outcome.CONTRIBUTION,
    Outcome.INCOME,
)
_INSERT = IMPORTED_ROWS.insert()
_known_currency = lru_cache(maxsize=256)(is_known_currency)  # a file has one or a few
_JSON_SCALARS = (str, int, bool)


@dataclass(frozen=True)
class Source:
    """Where a batch comes from, and how its accounts and people map to members."""

    scope: str  # the connection id, or FILE_SCOPE for uploads without a connection
    connection_id: str | None = None
    account_map: dict[str, str] = field(default_factory=dict)
    member_map: dict[str, str] = field(default_factory=dict)
    default_member: str | None = None  # the payer when there is no account map
    account_scoped_ids: bool = True  # file ids (FITIDs) are unique per account only


def import_batch(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    run: ImportRun,
    source: Source,
    batch: Batch,
    now: datetime,
    progress: Progress | None = None,
    checkpoint: Checkpoint | None = None,
) -> Tally:
    """With `checkpoint`, rows are committed a few hundred at a time (see the module's
    docstring); without it, the whole batch is the caller's one transaction."""
    tally = Tally()
    for error in batch.errors:
        tally.counts.read += 1
        tally.fail(error.reason, line=error.line, source_id=error.source_id)
    rows = batch.transactions
    keys = row_keys(rows, account_scoped_ids=source.account_scoped_ids)
    digests = [content_hash(row) for row in rows]
    known = known_keys(session, household.id, source.scope, keys, {row.date for row in rows})
    booker = Booker(
        session=session,
        household=household,
        actor=actor,
        weights=money_weights(household_members(session, household.id)),
        now=now,
    )
    step = _Step(
        session=session,
        household=household,
        run=run,
        source=source,
        tally=tally,
        booker=booker,
        now=now,
        context=Context(
            rules=load_rules(session, household_id=household.id),
            account_map=source.account_map,
            member_map=source.member_map,
            default_member=source.default_member,
        ),
        known=known,
        lookalikes=lookalikes(session, household.id, _to_decide(rows, keys, digests, known)),
    )
    since, started = 0, time.monotonic()
    for index, (row, key, digest) in enumerate(zip(rows, keys, digests, strict=True)):
        duplicates = tally.counts.duplicates
        step.run_row(row, key, digest)
        # A duplicate writes nothing: only the time bound commits a run of them (a re-import
        # would otherwise commit, and wait with the lock free, every few milliseconds).
        since += tally.counts.duplicates == duplicates
        if checkpoint is not None and (
            since >= COMMIT_ROWS or time.monotonic() - started >= COMMIT_SECONDS
        ):
            step.flush()
            run.counts = asdict(tally.counts)  # what a crash after this commit leaves shown
            checkpoint()
            since, started = 0, time.monotonic()
        if progress is not None and (index + 1) % CHUNK == 0:
            progress(index + 1)
    step.flush()
    if progress is not None:
        progress(len(rows))
    return tally


def _to_decide(
    rows: list[ImportedTransaction],
    keys: list[str],
    digests: list[str],
    known: KnownKeys,
) -> list[ImportedTransaction]:
    """The rows `_Step._decide` may see (new or changed, neither pending nor deleted): only
    their days' look-alikes are read, so a file imported again reads none."""
    needed = []
    for row, key, digest in zip(rows, keys, digests, strict=True):
        if row.pending or row.deleted:
            continue
        if known.hashes.get(key) != digest:
            needed.append(row)
    return needed


@dataclass
class _Step:
    session: Session
    household: Household
    run: ImportRun
    source: Source
    tally: Tally
    booker: Booker
    now: datetime
    context: Context
    known: KnownKeys
    lookalikes: Lookalikes
    unbooked: list[tuple[ImportedTransaction, dict[str, Any], Decision]] = field(
        default_factory=list
    )
    shared: list[tuple[ImportedTransaction, dict[str, Any], Decision, ExpenseRows]] = field(
        default_factory=list
    )

    def run_row(self, row: ImportedTransaction, key: str, digest: str) -> None:
        counts = self.tally.counts
        counts.read += 1
        reason = None
        if not _known_currency(row.currency):
            reason = f"'{row.currency}' is not an ISO 4217 currency"
        elif abs(row.amount) > MAX_AMOUNT:
            reason = f"the amount {row.amount} is out of range"
        elif not on_calendar(row.date):
            reason = f"the date {row.date.isoformat()} is not {RANGE}"
        if reason is not None:
            self.tally.fail(reason, line=row.line, source_id=row.source_id)
            return
        stored = self.known.hashes.get(key)
        if stored is not None and not row.deleted and (stored == digest or row.pending):
            counts.duplicates += 1
            return
        known = self.known.get(key)
        if row.deleted:
            self._delete(row, known)
        elif known is None:
            if row.pending:
                counts.skipped += 1
            else:
                self._new(row, key, digest)
        elif self._guarded(row, lambda: self._revise(known.id, row, digest)):
            counts.updated += 1

    def _delete(self, row: ImportedTransaction, known: Known | None) -> None:
        """A row deleted at the source; a deleted split may come as its parent's id alone."""
        counts = self.tally.counts
        if known is not None and known.outcome == Outcome.DELETED:
            counts.duplicates += 1
            return
        ids = (
            [known.id]
            if known is not None
            else children(self.session, self.household.id, self.source.scope, row.source_id)
        )
        if not ids:
            counts.skipped += 1
            return

        def work() -> None:
            for row_id in ids:
                self.booker.delete(row_id, self.run.id)

        if self._guarded(row, work):
            counts.deleted += 1

    def _guarded(self, row: ImportedTransaction, work: Callable[[], None]) -> bool:
        try:
            with self.session.begin_nested():
                work()
        except DomainError as exc:
            self.tally.fail(exc.detail, line=row.line, source_id=row.source_id)
            return False
        return True

    def _decide(self, row: ImportedTransaction) -> tuple[Decision, str | None]:
        """The rules' decision, unless the row looks like one already stored: the same day,
        amount and currency and a similar payee, from another source — or from this one,
        on the same account, with the payee spelled differently (a bank that corrects a
        payee changes a row without an id into a new one). Such a row waits for review."""
        decision = decide(row, self.context)
        if twin := recorded_from_other_side(self.session, self.household.id, row, decision):
            return Decision(Outcome.TRANSFER, f"the other side of {twin}, already recorded"), twin
        if decision.outcome not in _LOOKALIKE_OUTCOMES or decision.payers:
            return decision, None
        for other in self.lookalikes.get((row.date, row.amount, row.currency), ()):
            if other.scope == self.source.scope and (
                row.source_id is not None
                or other.account != row.account
                or normalise_payee(other.payee) == normalise_payee(row.payee)
            ):
                continue
            if similar_payees(row.payee, other.payee):
                where = "another source" if other.scope != self.source.scope else "this account"
                reason = f"looks like imported transaction {other.id} from {where}"
                return Decision(Outcome.NEEDS_REVIEW, reason), other.id
        return decision, None

    def _new(self, row: ImportedTransaction, key: str, digest: str) -> None:
        decision, twin = self._decide(row)
        values = self._values(row, decision) | {
            "id": new_id(),
            "household_id": self.household.id,
            "scope": self.source.scope,
            "key": key,
            "content_hash": digest,
            "connection_id": self.source.connection_id,
            "source_id": row.source_id[:255] if row.source_id else None,
            "parent_id": row.parent_id[:255] if row.parent_id else None,
            "raw": _plain(row.raw),
            "duplicate_of_id": twin,
            "revision": 1,
            "version": 1,
            "created_at": self.now,
        }
        if decision.outcome is Outcome.SHARED:
            try:
                expense = self.booker.expense_rows(row, decision)
            except DomainError as exc:
                self.tally.fail(exc.detail, line=row.line, source_id=row.source_id)
                return
            if expense is not None:
                self.shared.append((row, values, decision, expense))
                if len(self.shared) >= CHUNK:
                    self.flush()
                return
        if decision.outcome in _BOOKED:
            self._insert(row, values, decision)
            return
        self.unbooked.append((row, values, decision))
        if len(self.unbooked) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Rows go in many to a statement: those that make no ledger entry, and shared rows
        whose expense (computed and checked in `_new`) is not paid from a pot, with their
        expenses, payers, shares and events. Then only an insert can fail, and only on a key
        a concurrent import (or an earlier row of the same file) stored first; then they are
        inserted one by one, as any other booked row, to find which."""
        self._flush_shared()
        pending, self.unbooked = self.unbooked, []
        if not pending:
            return
        try:
            with self.session.begin_nested():
                insert_rows(self.session, IMPORTED_ROWS, [values for _, values, _ in pending])
        except IntegrityError:
            for row, values, decision in pending:
                self._insert(row, values, decision)
            return
        for _, _, decision in pending:
            self._count(decision.outcome)

    def _flush_shared(self) -> None:
        pending, self.shared = self.shared, []
        if not pending:
            return
        try:
            with self.session.begin_nested():
                insert_expenses(self.session, [expense for *_, expense in pending])
                insert_rows(
                    self.session,
                    IMPORTED_ROWS,
                    [values | {"expense_id": expense.id} for _, values, _, expense in pending],
                )
        except IntegrityError:
            for row, values, decision, _ in pending:
                self._insert(row, values, decision)
            return
        for *_, decision, _ in pending:
            self._count(decision.outcome)

    def _insert(self, row: ImportedTransaction, values: dict[str, Any], decision: Decision) -> None:
        inserted = False

        def work() -> None:
            nonlocal inserted
            self.session.execute(_INSERT, values)
            inserted = True
            self.booker.book(values["id"], row, decision)

        try:
            ok = self._guarded(row, work)
        except IntegrityError:
            if inserted:
                raise
            self.tally.counts.duplicates += 1  # a concurrent import stored it first
            return
        if ok:
            self._count(decision.outcome)

    def _revise(self, row_id: str, row: ImportedTransaction, digest: str) -> None:
        decision, twin = self._decide(row)
        values = self._values(row, decision) | {"content_hash": digest}
        self.booker.revise(row_id, row, decision, values=values, twin=twin)

    def _values(self, row: ImportedTransaction, decision: Decision) -> dict[str, Any]:
        return {
            "account": row.account[:200],
            "date": row.date,
            "amount": row.amount,
            "currency": row.currency,
            "kind": str(row.kind),
            "payee": row.payee[:500] if row.payee else None,
            "memo": row.memo[:2000] if row.memo else None,
            "category": category_text(row.category)[:500] or None,
            "line": row.line,
            "outcome": decision.outcome.value,
            "reason": decision.reason[:500],
            "rule_id": decision.rule_id,
            "run_id": self.run.id,
        }

    def _count(self, outcome: Outcome) -> None:
        counts = self.tally.counts
        if outcome in _BOOKED:
            counts.created += 1
        elif outcome is Outcome.NEEDS_REVIEW:
            counts.needs_review += 1
        else:
            counts.skipped += 1


def _plain(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The source's fields as JSON can hold them; a file's are text already, so only other
    values (a connector's dates, decimals, nested objects) go through a JSON round trip."""
    values = dict(raw)
    if all(type(k) is str and (v is None or type(v) in _JSON_SCALARS) for k, v in values.items()):
        return values
    plain: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return plain
