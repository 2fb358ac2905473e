"""Every event type a webhook or MQTT subscriber can receive, and what its data holds.

The features that record events own their payloads; this catalog describes them, so that a
subscription can be checked for typos and the OpenAPI document's `webhooks` section gives
SDK users typed payloads. A payload always has the common fields (`COMMON_FIELDS`) and the
fields listed here; a feature may add fields later, so receivers must ignore unknown ones.

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
    name: str
    summary: str
    subject: str
    fields: Fields = field(default_factory=dict)

    @property
    def resource(self) -> str:
        return self.name.split(".", 1)[0]


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

CATALOG: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            "household.created",
            "A household was created.",
            "the household",
            {"name": ("string", "Its name.")},
        ),
        EventType(
            "household.updated", "A household's settings changed.", "the household", _CHANGED
        ),
        EventType(
            "member.created",
            "A member was added, or joined by invitation.",
            "the member",
            {
                "display_name": ("string", "The member's name."),
                "invitation_id": ("string?", "The invitation used, when they joined."),
            },
        ),
        EventType(
            "member.claimed",
            "A user took over a managed member by invitation.",
            "the member",
            {
                "display_name": ("string", "The member's name."),
                "invitation_id": ("string", "The invitation used."),
            },
        ),
        EventType("member.updated", "A member changed.", "the member", _CHANGED),
        EventType(
            "member.income_recorded",
            "A dated monthly income was recorded for a member (the amount stays private).",
            "the member",
            {"effective_from": ("date", "The day the income takes effect.")},
        ),
        EventType(
            "member.deleted",
            "A member was removed.",
            "the member",
            {"display_name": ("string", "The member's name.")},
        ),
        EventType(
            "member.account_deleted",
            "The member's user deleted their account: the member stays, managed, under a "
            "pseudonym, so the household's books still balance.",
            "the member",
            {"display_name": ("string", "The member's pseudonym.")},
        ),
        EventType(
            "member.data_exported",
            "The member's user exported everything Fairstead holds about them.",
            "the member",
        ),
        EventType(
            "invitation.created",
            "An invitation was issued.",
            "the invitation",
            {
                "role": ("string", "`admin` or `member`."),
                "member_id": ("string?", "The managed member the invitation is for, if any."),
            },
        ),
        EventType(
            "expense.created",
            "An expense was recorded.",
            "the expense",
            {
                "description": ("string", "What it was for."),
                **_MONEY,
            },
        ),
        EventType(
            "expense.updated",
            "An expense changed.",
            "the expense",
            {
                "description": ("string", "What it is for."),
                **_MONEY,
            },
        ),
        EventType(
            "expense.deleted",
            "An expense was deleted.",
            "the expense",
            {
                "description": ("string", "What it was for."),
                "amount": _MONEY["amount"],
            },
        ),
        EventType(
            "settlement.created",
            "A payment between two members was recorded.",
            "the settlement",
            {
                "from_member_id": ("string", "Who paid."),
                "to_member_id": ("string", "Who was paid."),
                **_MONEY,
            },
        ),
        EventType(
            "recurring_expense.created",
            "A recurring expense was set up.",
            "the recurring expense",
            {
                "description": ("string", "What it is for."),
                "rrule": ("string", "Its RFC 5545 recurrence rule."),
            },
        ),
        EventType(
            "recurring_expense.updated",
            "A recurring expense changed.",
            "the recurring expense",
            {
                "rrule": ("string", "Its recurrence rule."),
                "active": ("boolean", "Whether it still makes expenses."),
            },
        ),
        EventType(
            "recurring_expense.paused",
            "A recurring expense could not be applied and was paused.",
            "the recurring expense",
            {
                "reason": ("string", "Why (for example, a participant has left)."),
                "occurrence_date": ("date", "The occurrence that failed."),
            },
        ),
        EventType(
            "recurring_expense.deleted",
            "A recurring expense was stopped.",
            "the recurring expense",
            {"rrule": ("string", "Its recurrence rule.")},
        ),
        EventType(
            "exchange_rates.updated",
            "The household's exchange rates were set.",
            "nothing (null)",
            {"count": ("integer", "How many rates were written.")},
        ),
        EventType(
            "chore.created",
            "A chore was defined.",
            "the chore",
            {
                "name": ("string", "The chore's name."),
                "recurrence": ("string?", "Its RRULE, null for a one-off."),
                "strategy": ("string", "How it is assigned."),
            },
        ),
        EventType("chore.updated", "A chore changed.", "the chore", _CHANGED),
        EventType(
            "chore.deleted",
            "A chore was deleted.",
            "the chore",
            {"name": ("string", "The chore's name.")},
        ),
        EventType(
            "chore.assigned",
            "A chore occurrence was assigned or reassigned.",
            "the chore occurrence",
            {
                **_OCCURRENCE,
                "member_id": ("string?", "Who it is assigned to now."),
                "previous_member_id": ("string?", "Who had it before."),
                "reason": ("string?", "Why it moved."),
            },
        ),
        EventType(
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
        ),
        EventType(
            "chore.skipped", "A chore occurrence was skipped.", "the chore occurrence", _OCCURRENCE
        ),
        EventType(
            "chore_preference.updated",
            "A member said how they feel about a chore.",
            "the chore",
            {
                "member_id": ("string", "The member."),
                "preference": ("string", "`prefer`, `neutral` or `avoid`."),
            },
        ),
        EventType(
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
        ),
        EventType(
            "absence.created",
            "A member was marked away.",
            "the absence",
            {
                **_ABSENCE,
                "moved_occurrences": ("integer?", "How many occurrences were moved to others."),
            },
        ),
        EventType("absence.deleted", "An absence was removed.", "the absence", _ABSENCE),
        EventType(
            "decision.created",
            "A decision was opened.",
            "the decision",
            {
                "title": ("string", "What is being decided."),
                "method": ("string", "The voting method."),
                "ballot": ("string", "`open` or `secret`."),
            },
        ),
        EventType(
            "decision.vote_cast",
            "A ballot was cast or changed.",
            "the decision",
            {
                "member_id": ("string", "Who voted."),
                "ballot": ("object?", "The ballot; absent on a secret ballot."),
                "replaced": ("boolean?", "Whether it replaced an earlier ballot (open ballots)."),
            },
        ),
        EventType(
            "decision.closed",
            "A decision was tallied.",
            "the decision",
            {
                "title": ("string", "What was decided."),
                "status": ("string", "`passed`, `rejected`, `blocked`, `tied` or `no_quorum`."),
                "winner_option_ids": ("string[]", "The winning options."),
                "closed_by": ("string", "`member` or `deadline`."),
            },
        ),
        EventType(
            "webhook.created",
            "A webhook was added.",
            "the webhook",
            {"host": ("string", "The host it delivers to.")},
        ),
        EventType(
            "webhook.updated",
            "A webhook changed (or its secret was rotated).",
            "the webhook",
            _CHANGED,
        ),
        EventType(
            "webhook.disabled",
            "A webhook was turned off because its receiver answered 410 Gone.",
            "the webhook",
            {"reason": ("string", "Why it was turned off.")},
        ),
        EventType(
            "webhook.deleted",
            "A webhook was removed.",
            "the webhook",
            {"host": ("string", "The host it delivered to.")},
        ),
        EventType(
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
        ),
        EventType(
            "proposal.accepted", "A member accepted a fairness proposal.", "the proposal", _RESPONSE
        ),
        EventType(
            "proposal.rejected",
            "A member rejected a fairness proposal, which closes it.",
            "the proposal",
            _RESPONSE,
        ),
        EventType(
            "proposal.applied",
            "Every affected member accepted and the proposal took effect.",
            "the proposal",
            {"kind": ("string", "The proposal's kind.")},
        ),
        EventType(
            "agreement.updated",
            "A new version of the fairness agreement took effect.",
            "the household",
            {
                "version": ("integer", "The version number."),
                "effective_from": ("date", "The day it took effect."),
                "proposal_id": ("string?", "The agreement_change proposal it came from."),
            },
        ),
        EventType(
            "check_in.created",
            "A member said how fair it feels and how heard they feel (the note is never sent).",
            "the check-in",
            {
                "member_id": ("string", "The member."),
                "fairness": ("integer", "1 to 5."),
                "heard": ("integer", "1 to 5."),
            },
        ),
        EventType(
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
        ),
        EventType(
            "imported_transaction.revised",
            "An imported transaction changed at its source and was revised.",
            "the imported transaction",
            {
                "revision": ("integer", "Its revision number."),
                "outcome": ("string", "What it became."),
                "changes": ("object", "Each changed field: `[before, after]`."),
            },
        ),
        EventType(
            "import_review.resolved",
            "An imported transaction waiting for review was decided.",
            "the imported transaction",
            {
                "action": ("string", "What the reviewer chose."),
                "outcome": ("string", "What it became."),
            },
        ),
        EventType("goal.created", "A shared goal was set up.", "the goal", _GOAL),
        EventType("goal.updated", "A goal's fields changed.", "the goal", _CHANGED),
        EventType("goal.archived", "A goal was archived (it keeps its contributions).", "the goal"),
        EventType("goal.unarchived", "An archived goal was brought back.", "the goal"),
        EventType("goal.deleted", "A goal with no contributions was deleted.", "the goal", _GOAL),
        EventType(
            "goal.contribution_added",
            "A member put money into a goal, or took some out (a negative amount).",
            "the goal",
            {
                "contribution_id": ("string", "The contribution."),
                "member_id": ("string", "The member whose money it is."),
                **_MONEY,
                "saved": ("integer", "What the goal holds now, minor units."),
            },
        ),
        EventType(
            "goal.reached",
            "What is saved reached the goal's target (again, after a withdrawal took it under).",
            "the goal",
            {**_GOAL, "saved": _SAVED, "target": ("integer", "The target, minor units.")},
        ),
        EventType(
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
        ),
        EventType("fairness.changed", "The household's fairness scores changed.", "the household"),
        EventType(
            "pot.created",
            "A pot (joint account or shared wallet) was opened.",
            "the pot",
            {
                "name": ("string", "Its name."),
                "currency": ("string", "ISO 4217 code of the pot's currency."),
            },
        ),
        EventType("pot.updated", "A pot was renamed, archived or unarchived.", "the pot", _CHANGED),
        EventType(
            "pot.deleted",
            "An unused pot was deleted.",
            "the pot",
            {"name": ("string", "Its name.")},
        ),
        EventType(
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
        ),
    )
}

ALL = "*"


def is_known_pattern(pattern: str) -> bool:
    """`*`, a catalogued type, or `<resource>.*` for a catalogued resource."""
    if pattern == ALL or pattern in CATALOG:
        return True
    resource, _, rest = pattern.partition(".")
    return rest == "*" and any(e.resource == resource for e in CATALOG.values())


def matches(patterns: list[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern in (ALL, event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False
