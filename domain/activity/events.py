"""Every event type the domain records, declared once: name, payload fields, meaning.

A feature records an event by passing one of these objects to
`domain.activity.service.record`, which refuses anything not declared here. The hooks
(webhooks, MQTT), the OpenAPI `webhooks` section and the catalog endpoint are generated
from `CATALOG`. A payload always has the common fields (`COMMON_FIELDS`) and the fields
listed here; a feature may add fields later, so receivers must ignore unknown ones.

Adding an event: declare it below (a constant named after it), add it to `CATALOG`'s
tuple, and pass the constant to `record` where it happens. `tests/contract/
test_event_catalog.py` fails if a declared event is recorded nowhere.

Field types: `string`, `integer`, `boolean`, `date`, `datetime`, `string[]`, `object`; a
trailing `?` means the value may be null or absent.
"""

from dataclasses import dataclass, field

Fields = dict[str, tuple[str, str]]

COMMON_FIELDS: Fields = {
    "id": ("string", "The event's id (the same as in the activity feed); ids sort by time."),
    "household_id": ("string", "The household the event belongs to."),
    "subject_id": ("string?", "The id of the thing the event is about (see the event type)."),
    "actor_member_id": ("string?", "The member who made the change; null for the system."),
    "on_behalf_of_member_id": (
        "string?",
        "The managed member an admin acted for, when an admin acted for one.",
    ),
}


@dataclass(frozen=True)
class EventType:
    """A declared event: its name, what it means, what its subject is, its payload fields.

    `record` (domain.activity.service) takes only these objects, and only the ones declared
    in this module (`CATALOG`); the webhooks section, the catalog endpoint and the MQTT
    topics are built from them."""

    name: str
    summary: str
    subject: str
    fields: Fields = field(default_factory=dict)

    @property
    def resource(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def mqtt_suffix(self) -> str:
        """Where MQTT publishes it, under `<prefix>/<household id>/`."""
        return f"events/{self.name}"


_MONEY: Fields = {
    "amount": ("integer", "Minor units of the household's currency."),
    "currency": ("string", "ISO 4217 code of the household's currency."),
}
_CHANGED: Fields = {"fields": ("string[]", "The names of the fields that changed.")}
_OCCURRENCE: Fields = {
    "chore_id": ("string", "The chore."),
    "due_on": ("date", "The day the occurrence is due."),
}
_ABSENCE: Fields = {
    "member_id": ("string", "The member who is away."),
    "from": ("date", "First day away."),
    "to": ("date", "Last day away."),
}
_GOAL: Fields = {"name": ("string", "The goal's name.")}
_SAVED = ("integer", "What the goal holds, minor units of the household's currency.")

_RESPONSE: Fields = {
    "kind": ("string", "The proposal's kind."),
    "member_id": ("string", "The member who responded."),
    "status": (
        "string",
        "The proposal's status after the response: `open`, `accepted`, "
        "`applied`, `superseded` or `rejected`.",
    ),
}

HOUSEHOLD_CREATED = EventType(
    "household.created",
    "A household was created.",
    "the household",
    {"name": ("string", "Its name.")},
)

HOUSEHOLD_UPDATED = EventType(
    "household.updated", "A household's settings changed.", "the household", _CHANGED
)

MEMBER_CREATED = EventType(
    "member.created",
    "A member was added, or joined by invitation.",
    "the member",
    {
        "display_name": ("string", "The member's name."),
        "invitation_id": ("string?", "The invitation used, when they joined."),
    },
)

MEMBER_CLAIMED = EventType(
    "member.claimed",
    "A user took over a managed member by invitation.",
    "the member",
    {
        "display_name": ("string", "The member's name."),
        "invitation_id": ("string", "The invitation used."),
    },
)

MEMBER_UPDATED = EventType("member.updated", "A member changed.", "the member", _CHANGED)

MEMBER_INCOME_RECORDED = EventType(
    "member.income_recorded",
    "A dated monthly income was recorded for a member (the amount stays private).",
    "the member",
    {"effective_from": ("date", "The day the income takes effect.")},
)

MEMBER_DELETED = EventType(
    "member.deleted",
    "A member was removed.",
    "the member",
    {"display_name": ("string", "The member's name.")},
)

MEMBER_ACCOUNT_DELETED = EventType(
    "member.account_deleted",
    "The member's user deleted their account: the member stays, managed, under a "
    "pseudonym, so the household's books still balance.",
    "the member",
    {"display_name": ("string", "The member's pseudonym.")},
)

MEMBER_DATA_EXPORTED = EventType(
    "member.data_exported",
    "The member's user exported everything Fairstead holds about them.",
    "the member",
)

INVITATION_CREATED = EventType(
    "invitation.created",
    "An invitation was issued.",
    "the invitation",
    {
        "role": ("string", "`admin` or `member`."),
        "member_id": ("string?", "The managed member the invitation is for, if any."),
    },
)

EXPENSE_CREATED = EventType(
    "expense.created",
    "An expense was recorded.",
    "the expense",
    {
        "description": ("string", "What it was for."),
        **_MONEY,
    },
)

EXPENSE_UPDATED = EventType(
    "expense.updated",
    "An expense changed.",
    "the expense",
    {
        "description": ("string", "What it is for."),
        **_MONEY,
    },
)

EXPENSE_DELETED = EventType(
    "expense.deleted",
    "An expense was deleted.",
    "the expense",
    {
        "description": ("string", "What it was for."),
        "amount": _MONEY["amount"],
    },
)

SETTLEMENT_CREATED = EventType(
    "settlement.created",
    "A payment between two members was recorded.",
    "the settlement",
    {
        "from_member_id": ("string", "Who paid."),
        "to_member_id": ("string", "Who was paid."),
        **_MONEY,
    },
)

RECURRING_EXPENSE_CREATED = EventType(
    "recurring_expense.created",
    "A recurring expense was set up.",
    "the recurring expense",
    {
        "description": ("string", "What it is for."),
        "rrule": ("string", "Its RFC 5545 recurrence rule."),
    },
)

RECURRING_EXPENSE_UPDATED = EventType(
    "recurring_expense.updated",
    "A recurring expense changed.",
    "the recurring expense",
    {
        "rrule": ("string", "Its recurrence rule."),
        "active": ("boolean", "Whether it still makes expenses."),
    },
)

RECURRING_EXPENSE_PAUSED = EventType(
    "recurring_expense.paused",
    "A recurring expense could not be applied and was paused.",
    "the recurring expense",
    {
        "reason": ("string", "Why (for example, a participant has left)."),
        "occurrence_date": ("date", "The occurrence that failed."),
    },
)

RECURRING_EXPENSE_DELETED = EventType(
    "recurring_expense.deleted",
    "A recurring expense was stopped.",
    "the recurring expense",
    {"rrule": ("string", "Its recurrence rule.")},
)

EXCHANGE_RATES_UPDATED = EventType(
    "exchange_rates.updated",
    "The household's exchange rates were set.",
    "nothing (null)",
    {"count": ("integer", "How many rates were written.")},
)

CHORE_CREATED = EventType(
    "chore.created",
    "A chore was defined.",
    "the chore",
    {
        "name": ("string", "The chore's name."),
        "recurrence": ("string?", "Its RRULE, null for a one-off."),
        "strategy": ("string", "How it is assigned."),
    },
)

CHORE_UPDATED = EventType("chore.updated", "A chore changed.", "the chore", _CHANGED)

CHORE_DELETED = EventType(
    "chore.deleted",
    "A chore was deleted.",
    "the chore",
    {"name": ("string", "The chore's name.")},
)

CHORE_ASSIGNED = EventType(
    "chore.assigned",
    "A chore occurrence was assigned or reassigned.",
    "the chore occurrence",
    {
        **_OCCURRENCE,
        "member_id": ("string?", "Who it is assigned to now."),
        "previous_member_id": ("string?", "Who had it before."),
        "reason": ("string?", "Why it moved."),
    },
)

CHORE_COMPLETED = EventType(
    "chore.completed",
    "A chore occurrence was done.",
    "the chore occurrence",
    {
        **_OCCURRENCE,
        "member_id": ("string", "Who did it."),
        "assigned_member_id": ("string?", "Who it was assigned to."),
        "minutes": ("integer", "Minutes it took."),
        "completed_at": ("datetime", "When it was done."),
    },
)

CHORE_SKIPPED = EventType(
    "chore.skipped", "A chore occurrence was skipped.", "the chore occurrence", _OCCURRENCE
)

CHORE_PREFERENCE_UPDATED = EventType(
    "chore_preference.updated",
    "A member said how they feel about a chore.",
    "the chore",
    {
        "member_id": ("string", "The member."),
        "preference": ("string", "`prefer`, `neutral` or `avoid`."),
    },
)

TIME_ENTRY_CREATED = EventType(
    "time_entry.created",
    "Unplanned work was logged.",
    "the time entry",
    {
        "member_id": ("string", "Who did it."),
        "minutes": ("integer", "How long it took."),
        "date": ("date", "The day."),
        "load": ("string", "`execution`, `planning` or `conception`."),
        "chore_id": ("string?", "The chore it belongs to, if any."),
    },
)

ABSENCE_CREATED = EventType(
    "absence.created",
    "A member was marked away.",
    "the absence",
    {
        **_ABSENCE,
        "moved_occurrences": ("integer?", "How many occurrences were moved to others."),
    },
)

ABSENCE_DELETED = EventType("absence.deleted", "An absence was removed.", "the absence", _ABSENCE)

DECISION_CREATED = EventType(
    "decision.created",
    "A decision was opened.",
    "the decision",
    {
        "title": ("string", "What is being decided."),
        "method": ("string", "The voting method."),
        "ballot": ("string", "`open` or `secret`."),
    },
)

DECISION_VOTE_CAST = EventType(
    "decision.vote_cast",
    "A ballot was cast or changed.",
    "the decision",
    {
        "member_id": ("string", "Who voted."),
        "ballot": ("object?", "The ballot; absent on a secret ballot."),
        "replaced": ("boolean?", "Whether it replaced an earlier ballot (open ballots)."),
    },
)

DECISION_CLOSED = EventType(
    "decision.closed",
    "A decision was tallied.",
    "the decision",
    {
        "title": ("string", "What was decided."),
        "status": ("string", "`passed`, `rejected`, `blocked`, `tied` or `no_quorum`."),
        "winner_option_ids": ("string[]", "The winning options."),
        "closed_by": ("string", "`member` or `deadline`."),
    },
)

WEBHOOK_CREATED = EventType(
    "webhook.created",
    "A webhook was added.",
    "the webhook",
    {"host": ("string", "The host it delivers to.")},
)

WEBHOOK_UPDATED = EventType(
    "webhook.updated",
    "A webhook changed (or its secret was rotated).",
    "the webhook",
    _CHANGED,
)

WEBHOOK_DISABLED = EventType(
    "webhook.disabled",
    "A webhook was turned off because its receiver answered 410 Gone.",
    "the webhook",
    {"reason": ("string", "Why it was turned off.")},
)

WEBHOOK_DELETED = EventType(
    "webhook.deleted",
    "A webhook was removed.",
    "the webhook",
    {"host": ("string", "The host it delivered to.")},
)

PROPOSAL_CREATED = EventType(
    "proposal.created",
    "The fairness engine proposed a change.",
    "the proposal",
    {
        "kind": (
            "string",
            "`settle_up`, `chore_rebalance`, `time_compensation`, "
            "`agreement_review`, `decision_balance` or `agreement_change`.",
        ),
        "affected_member_ids": ("string[]", "The members who must accept it."),
        "from": ("date?", "First day of the period it was computed for."),
        "to": ("date?", "Last day of that period."),
    },
)

PROPOSAL_ACCEPTED = EventType(
    "proposal.accepted", "A member accepted a fairness proposal.", "the proposal", _RESPONSE
)

PROPOSAL_REJECTED = EventType(
    "proposal.rejected",
    "A member rejected a fairness proposal, which closes it.",
    "the proposal",
    _RESPONSE,
)

PROPOSAL_APPLIED = EventType(
    "proposal.applied",
    "Every affected member accepted and the proposal took effect.",
    "the proposal",
    {"kind": ("string", "The proposal's kind.")},
)

AGREEMENT_UPDATED = EventType(
    "agreement.updated",
    "A new version of the fairness agreement took effect.",
    "the household",
    {
        "version": ("integer", "The version number."),
        "effective_from": ("date", "The day it took effect."),
        "proposal_id": ("string?", "The agreement_change proposal it came from."),
    },
)

CHECK_IN_CREATED = EventType(
    "check_in.created",
    "A member said how fair it feels and how heard they feel (the note is never sent).",
    "the check-in",
    {
        "member_id": ("string", "The member."),
        "fairness": ("integer", "1 to 5."),
        "heard": ("integer", "1 to 5."),
    },
)

IMPORT_FINISHED = EventType(
    "import.finished",
    "An import run finished.",
    "the import run",
    {
        "status": ("string", "How it ended: `succeeded` or `failed`."),
        "source": ("string", "Where the transactions came from."),
        "connection_id": ("string?", "The budgeting-app connection, for a sync."),
        "counts": ("object", "`{read, created, duplicates, skipped, failed}`."),
        "reason": ("string?", "Why it failed."),
    },
)

IMPORTED_TRANSACTION_REVISED = EventType(
    "imported_transaction.revised",
    "An imported transaction changed at its source and was revised.",
    "the imported transaction",
    {
        "revision": ("integer", "Its revision number."),
        "outcome": ("string", "What it became."),
        "changes": ("object", "Each changed field: `[before, after]`."),
    },
)

IMPORT_REVIEW_RESOLVED = EventType(
    "import_review.resolved",
    "An imported transaction waiting for review was decided.",
    "the imported transaction",
    {
        "action": ("string", "What the reviewer chose."),
        "outcome": ("string", "What it became."),
    },
)

_CONNECTION: Fields = {
    "provider": ("string", "The connector: firefly, actual, ynab, lunchmoney or splitwise."),
    "fields": ("string[]", "The settings given or changed (secrets are never shown)."),
}
CONNECTION_CREATED = EventType(
    "connection.created",
    "A connection to a finance app was set up.",
    "the connection",
    _CONNECTION,
)
CONNECTION_UPDATED = EventType(
    "connection.updated", "A connection's settings changed.", "the connection", _CONNECTION
)
CONNECTION_DELETED = EventType(
    "connection.deleted", "A connection was removed.", "the connection", _CONNECTION
)

_IMPORT_RULE: Fields = {
    "name": ("string?", "The rule's name."),
    "action": ("string", "What the rule does with a matching row."),
    "position": ("integer", "Its place in the order rules are tried."),
}
IMPORT_RULE_CREATED = EventType(
    "import_rule.created", "An import rule was added.", "the rule", _IMPORT_RULE
)
IMPORT_RULE_UPDATED = EventType(
    "import_rule.updated", "An import rule changed.", "the rule", _IMPORT_RULE
)
IMPORT_RULE_DELETED = EventType(
    "import_rule.deleted", "An import rule was removed.", "the rule", _IMPORT_RULE
)

GOAL_CREATED = EventType("goal.created", "A shared goal was set up.", "the goal", _GOAL)

GOAL_UPDATED = EventType("goal.updated", "A goal's fields changed.", "the goal", _CHANGED)

GOAL_ARCHIVED = EventType(
    "goal.archived", "A goal was archived (it keeps its contributions).", "the goal"
)

GOAL_UNARCHIVED = EventType("goal.unarchived", "An archived goal was brought back.", "the goal")

GOAL_DELETED = EventType(
    "goal.deleted", "A goal with no contributions was deleted.", "the goal", _GOAL
)

GOAL_CONTRIBUTION_ADDED = EventType(
    "goal.contribution_added",
    "A member put money into a goal, or took some out (a negative amount).",
    "the goal",
    {
        "contribution_id": ("string", "The contribution."),
        "member_id": ("string", "The member whose money it is."),
        **_MONEY,
        "saved": ("integer", "What the goal holds now, minor units."),
    },
)

GOAL_REACHED = EventType(
    "goal.reached",
    "What is saved reached the goal's target (again, after a withdrawal took it under).",
    "the goal",
    {**_GOAL, "saved": _SAVED, "target": ("integer", "The target, minor units.")},
)

GOAL_OFF_TRACK = EventType(
    "goal.off_track",
    "At the last three months' pace, the goal will not reach its target by its due date.",
    "the goal",
    {
        **_GOAL,
        "saved": _SAVED,
        "target": ("integer", "The target, minor units."),
        "due_on": ("date", "The due date."),
        "monthly_needed": ("integer?", "The monthly saving that would still get there."),
        "projected": ("integer?", "What the current pace reaches by the due date."),
    },
)

FAIRNESS_CHANGED = EventType(
    "fairness.changed", "The household's fairness scores changed.", "the household"
)

POT_CREATED = EventType(
    "pot.created",
    "A pot (joint account or shared wallet) was opened.",
    "the pot",
    {
        "name": ("string", "Its name."),
        "currency": ("string", "ISO 4217 code of the pot's currency."),
    },
)

POT_UPDATED = EventType(
    "pot.updated", "A pot was renamed, archived or unarchived.", "the pot", _CHANGED
)

POT_DELETED = EventType(
    "pot.deleted",
    "An unused pot was deleted.",
    "the pot",
    {"name": ("string", "Its name.")},
)

POT_CONTRIBUTION_ADDED = EventType(
    "pot.contribution_added",
    "A member put money into a pot, or took some out (a negative amount).",
    "the contribution",
    {
        "pot_id": ("string", "The pot."),
        "member_id": ("string", "The member whose money it is."),
        "amount": ("integer", "Minor units of the pot's currency; negative to withdraw."),
        "currency": ("string", "ISO 4217 code of the pot's currency."),
        "date": ("date", "The day of the contribution."),
    },
)


# Reminders: the worker records each once (domain.reminders), for one member each.
_REMINDED: Fields = {"member_id": ("string", "The member reminded.")}

CHORE_DUE = EventType(
    "chore.due",
    "Reminder: a chore occurrence is due (by default on the morning of its day).",
    "the chore occurrence",
    {**_OCCURRENCE, **_REMINDED, "chore_name": ("string", "The chore's name.")},
)

CHORE_OVERDUE = EventType(
    "chore.overdue",
    "Reminder: a chore occurrence's day has passed and it is still open.",
    "the chore occurrence",
    {**_OCCURRENCE, **_REMINDED, "chore_name": ("string", "The chore's name.")},
)

DECISION_CLOSING_SOON = EventType(
    "decision.closing_soon",
    "Reminder: a decision closes soon and this member has not voted.",
    "the decision",
    {
        **_REMINDED,
        "title": ("string", "What is being decided."),
        "closes_at": ("datetime", "When voting closes."),
    },
)

PROPOSAL_AWAITING_RESPONSE = EventType(
    "proposal.awaiting_response",
    "Reminder: a fairness proposal waits for this member's answer (again after each quiet "
    "interval while it stays open).",
    "the proposal",
    {
        **_REMINDED,
        "kind": ("string", "The proposal's kind."),
        "open_since": ("datetime", "When it was proposed."),
        "reminder": ("integer", "1 for the first reminder, 2 for the next, …"),
    },
)

CHECK_IN_DUE = EventType(
    "check_in.due",
    "Reminder: the household's check-in rhythm says this member's next check-in is due.",
    "the member",
    {**_REMINDED, "due_on": ("date", "The day it became due (household time).")},
)

CATALOG: dict[str, EventType] = {
    e.name: e
    for e in (
        HOUSEHOLD_CREATED,
        HOUSEHOLD_UPDATED,
        MEMBER_CREATED,
        MEMBER_CLAIMED,
        MEMBER_UPDATED,
        MEMBER_INCOME_RECORDED,
        MEMBER_DELETED,
        MEMBER_ACCOUNT_DELETED,
        MEMBER_DATA_EXPORTED,
        INVITATION_CREATED,
        EXPENSE_CREATED,
        EXPENSE_UPDATED,
        EXPENSE_DELETED,
        SETTLEMENT_CREATED,
        RECURRING_EXPENSE_CREATED,
        RECURRING_EXPENSE_UPDATED,
        RECURRING_EXPENSE_PAUSED,
        RECURRING_EXPENSE_DELETED,
        EXCHANGE_RATES_UPDATED,
        CHORE_CREATED,
        CHORE_UPDATED,
        CHORE_DELETED,
        CHORE_ASSIGNED,
        CHORE_COMPLETED,
        CHORE_SKIPPED,
        CHORE_PREFERENCE_UPDATED,
        TIME_ENTRY_CREATED,
        ABSENCE_CREATED,
        ABSENCE_DELETED,
        DECISION_CREATED,
        DECISION_VOTE_CAST,
        DECISION_CLOSED,
        WEBHOOK_CREATED,
        WEBHOOK_UPDATED,
        WEBHOOK_DISABLED,
        WEBHOOK_DELETED,
        PROPOSAL_CREATED,
        PROPOSAL_ACCEPTED,
        PROPOSAL_REJECTED,
        PROPOSAL_APPLIED,
        AGREEMENT_UPDATED,
        CHECK_IN_CREATED,
        IMPORT_FINISHED,
        IMPORTED_TRANSACTION_REVISED,
        IMPORT_REVIEW_RESOLVED,
        CONNECTION_CREATED,
        CONNECTION_UPDATED,
        CONNECTION_DELETED,
        IMPORT_RULE_CREATED,
        IMPORT_RULE_UPDATED,
        IMPORT_RULE_DELETED,
        GOAL_CREATED,
        GOAL_UPDATED,
        GOAL_ARCHIVED,
        GOAL_UNARCHIVED,
        GOAL_DELETED,
        GOAL_CONTRIBUTION_ADDED,
        GOAL_REACHED,
        GOAL_OFF_TRACK,
        FAIRNESS_CHANGED,
        POT_CREATED,
        POT_UPDATED,
        POT_DELETED,
        POT_CONTRIBUTION_ADDED,
        CHORE_DUE,
        CHORE_OVERDUE,
        DECISION_CLOSING_SOON,
        PROPOSAL_AWAITING_RESPONSE,
        CHECK_IN_DUE,
    )
}


def mqtt_suffix(name: str) -> str:
    """The MQTT topic (under `<prefix>/<household id>/`) of a recorded event's type: its
    declaration's, or the same shape for a row stored before its type was declared."""
    declared = CATALOG.get(name)
    return declared.mqtt_suffix if declared is not None else f"events/{name}"
