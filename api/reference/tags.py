"""One line per tag (one tag per router): what the resource is, for the docs' sidebar."""

TAGS: dict[str, str] = {
    "operations": "Liveness, readiness and Prometheus metrics for whoever runs the server.",
    "users": "Sign up. Each person has one user account and may belong to several households.",
    "tokens": "Bearer tokens: sign in with email and password, list and revoke your tokens.",
    "me": "Your own account: profile, password, a full export of your data, and deletion.",
    "households": "A household is the unit everything else belongs to: members, money, "
    "chores, decisions and the agreement they are measured against.",
    "members": "People in a household: members with accounts, and managed members (a child, "
    "a flatmate without an account) whom an admin records for.",
    "invitations": "Single-use codes that let a person with an account join a household, or "
    "take over a managed member.",
    "activity": "What happened in the household, newest first: every recorded event.",
    "expenses": "Shared expenses and how they are split (equal, shares, percentages, exact "
    "amounts, or the agreement).",
    "settlements": "Payments between members, balances, and the fewest transfers that settle up.",
    "recurring-expenses": "Templates (rent, subscriptions) that become expenses as they come due.",
    "exchange-rates": "Rates for expenses in another currency than the household's.",
    "export": "Expenses as CSV or JSON for a spreadsheet or an accountant.",
    "decisions": "Proposals the household votes on: majority, consensus, approval, ranked "
    "choice or score; open or secret ballots.",
    "chores": "Recurring housework with effort, load type and assignment rules.",
    "chore-preferences": "Which chores each member likes or avoids; assignment takes them in.",
    "chore-occurrences": "The dated instances of chores: complete, skip or reassign them.",
    "time-entries": "Housework no chore describes, logged in minutes.",
    "absences": "Days a member is away: no chores are assigned, targets are scaled.",
    "agreement": "The household's own terms: target shares of money and time, weights, "
    "period and tolerance. Changes need the members' acceptance.",
    "fairness": "The report against the agreement, the summary for a dashboard, and "
    "proposals that take effect only when the members affected accept.",
    "check-ins": "Each member's own sense of fairness and of being heard, beside the numbers.",
    "imports": "Bank files (OFX/QFX, QIF, CSV, CAMT.053) booked through the import rules.",
    "connections": "Budgeting apps and saved bank-file layouts that transactions come from.",
    "import-rules": "What an imported transaction becomes: shared, personal, a goal or pot "
    "contribution, or ignored.",
    "import-reviews": "Imported rows no rule decided, waiting for a person.",
    "webhooks": "Signed Standard Webhooks for every event, with delivery history and redelivery.",
    "pots": "Joint accounts and shared wallets: who put in what and what was paid from them.",
    "pot-contributions": "Money members put into a pot, or took out of it.",
    "incomes": "Monthly incomes, for income-proportional agreements; private unless shared.",
    "goals": "Shared savings goals with a target, a due date and who carries what share.",
    "goal-contributions": "Money members put towards a goal.",
    "calendars": "iCalendar feeds of chores, decision deadlines and goal dates, for calendar "
    "apps (a `feed` token may come as `?token=`).",
    "notification-targets": "Where a member's reminders go: Apprise URLs (ntfy, e-mail, "
    "Matrix, Telegram…), stored encrypted and shown masked.",
}
