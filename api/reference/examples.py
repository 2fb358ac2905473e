"""Examples for every JSON request body and 2xx JSON response, about one household.

Sam and Robin share a flat in Berlin (EUR). Most examples are written out from the schema
with the values below, chosen by field name so that one id, one date and one amount mean the
same thing everywhere; where that would not read as a real request, an operation has its
own example in `OPERATION_EXAMPLES`. tests/contract/test_openapi_reference.py validates every
example against its schema.

To document a new operation: add its summary to `operations.py`; add an entry here only if
the written-out example is not what a client would really send or get.
"""

from typing import Any

HOUSEHOLD = "0190c6e0-5b1a-7c3e-9f10-4a2b6c8d0e01"
SAM = "0190c6e0-5b1a-7c3e-9f10-4a2b6c8d0e02"
ROBIN = "0190c6e0-5b1a-7c3e-9f10-4a2b6c8d0e03"
USER = "0190c6e0-5b1a-7c3e-9f10-4a2b6c8d0e04"
RECORD = "0190c6e5-7a2b-7d4e-8f60-1b2c3d4e5f01"  # the expense, chore, decision… in question
OPTION_A = "0190c6e2-0d4f-7a1b-8c2d-3e4f5a6b7c01"
OPTION_B = "0190c6e2-0d4f-7a1b-8c2d-3e4f5a6b7c02"
OPTION_C = "0190c6e2-0d4f-7a1b-8c2d-3e4f5a6b7c03"
DAY = "2026-03-01"
MOMENT = "2026-03-01T18:30:00Z"

# A value per field name, used wherever that field appears (and fits its schema);
# `Schema.field` wins over `field`.
BY_FIELD: dict[str, Any] = {
    "Household.id": HOUSEHOLD,
    "Household.name": "Flat on Weserstraße",
    "MeHousehold.id": HOUSEHOLD,
    "MeHousehold.name": "Flat on Weserstraße",
    "Member.id": SAM,
    "User.id": USER,
    "Me.id": USER,
    "Option.id": OPTION_A,
    "Chore.name": "Vacuum the flat",
    "Pot.name": "Joint account",
    "Goal.name": "Flat deposit",
    "Token.name": "Sam's phone",
    "TokenCreated.name": "Sam's phone",
    "Decision.description": None,
    "Decision.proposed_by_member_id": SAM,
    "Vote.cast_by_member_id": None,
    "Expense.original_amount": None,
    "Expense.original_currency": None,
    "Expense.exchange_rate": None,
    "Expense.recurring_id": None,
    "Connection.account_map": {"DE89370400440532013000": SAM},
    "Connection.member_map": {"Sam Berger": SAM, "Robin Weiss": ROBIN},
    "ExportMembership.records": {
        "expenses": [{"id": RECORD, "description": "Weekly groceries", "amount": 4250}]
    },
    "MoneyTermsOut.weights": None,
    "TimeTermsOut.weights": None,
    "MultipliersOut.effort": {"1": 1.0, "2": 1.0, "3": 1.0, "4": 1.2, "5": 1.5},
    "MultipliersOut.load": {"execution": 1.0, "planning": 1.2, "conception": 1.2},
    "Proposal.period": {"from": "2026-02-01", "to": "2026-02-28"},
    "Proposal.kind": "settle_up",
    "Proposal.details": {
        "transfers": [
            {"from_member_id": SAM, "to_member_id": ROBIN, "amount": 21250, "currency": "EUR"}
        ],
        "record_as": "settlement",
    },
    "ProposalResponse.responded_by_member_id": None,
    "Agreement.hour_value": None,
    "Agreement.period": "month",
    "Agreement.tolerance": 0.05,
    "Agreement.dimension_weights": None,
    "Agreement.pending_proposal_id": None,
    "household_id": HOUSEHOLD,
    "member_id": SAM,
    "paid_by": SAM,
    "from_member_id": ROBIN,
    "to_member_id": SAM,
    "assigned_member_id": ROBIN,
    "completed_by_member_id": ROBIN,
    "created_by_member_id": SAM,
    "actor_member_id": SAM,
    "proposer_member_id": SAM,
    "on_behalf_of_member_id": None,
    "user_id": USER,
    "option_id": OPTION_A,
    "email": "sam@example.org",
    "password": "correct horse battery staple",
    "current_password": "correct horse battery staple",
    "new_password": "a longer passphrase than before",
    "display_name": "Sam",
    "name": "Groceries",
    "title": "Where do we go on holiday?",
    "description": "Weekly groceries",
    "reason": None,
    "note": None,
    "notes": None,
    "memo": "REWE SAGT DANKE",
    "payee": "REWE Markt",
    "category": "groceries",
    "currency": "EUR",
    "timezone": "Europe/Berlin",
    "amount": 4250,
    "paid": 4250,
    "owed": 2125,
    "net": 2125,
    "minutes": 30,
    "estimated_minutes": 30,
    "weekly_available_minutes": 600,
    "effort": 2,
    "url": "https://automations.example.org/fairstead",
    "token": "fs_9Jq3V0pXw2rT7yLm4nB8cD1eF6gH5kS0",
    "secret": "whsec_MfKQ9r8GDiqJc8Ys8FN3Yh1e",
    "code": "inv_7Hk2Pq9Lm3Wx",
    "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
    "recurrence": "FREQ=WEEKLY;BYDAY=SA",
    "exchange_rate": "1.0842",
    "filename": "sparkasse-2026-02.csv",
    "format": "csv",
    "account": "DE89370400440532013000",
    "version": 1,
    "position": 0,
    "rationale": "Robin paid 212.50 more than the agreement says; Sam pays Robin 212.50.",
    "status_code": 200,
    "monthly_income": 320000,
    "regex": False,
    "active": True,
    "enabled": True,
    "archived": False,
    "reached": False,
    "has_credentials": True,
    "disabled_reason": None,
    "closed_at": None,
    "archived_at": None,
    "completed_at": None,
    "errors_truncated": False,
    "explanation": "Seaside won in the second round with 2 of 2 ballots.",
    "role": "admin",
    "label": "Seaside",
    "voters": [SAM, ROBIN],
    "winner_option_ids": [OPTION_A],
    "eliminated": [OPTION_C],
    "affected_member_ids": [SAM, ROBIN],
    "eligible_member_ids": [SAM, ROBIN],
    "events": ["expense.created", "chore.completed"],
    "event_type": "expense.created",
    "type": "expense.created",
    "scopes": ["read", "write"],
    "set_category": "groceries",
    "base_currency": "EUR",
    "rate": "1.0842",
    "headline": "Robin did 62% of the housework this month against a target of 50%.",
    "goal_name": "Flat deposit",
    "response_excerpt": "ok",
    "error": None,
    "overall_score": 84.5,
    "money_score": 91.0,
    "time_score": 78.0,
    "score": 84.5,
}
BY_FORMAT = {"date": DAY, "date-time": MOMENT, "uri": "https://automations.example.org/fairstead"}

# Whole examples per operation, where the written-out one would not read as real use:
# "request" for the body, a status code ("200", "201") for a response.
_SIGN_IN = {"email": "sam@example.org", "password": "correct horse battery staple"}
_EQUAL = {"method": "equal", "participants": [{"member_id": SAM}, {"member_id": ROBIN}]}
_SHARES = {
    "method": "shares",
    "participants": [{"member_id": SAM, "shares": 2}, {"member_id": ROBIN, "shares": 1}],
}
_CSV_MAPPING = {
    "date_column": "Buchungstag",
    "date_format": "%d.%m.%Y",
    "amount_column": "Betrag",
    "payee_column": "Beguenstigter/Zahlungspflichtiger",
    "memo_column": "Verwendungszweck",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "currency": "EUR",
    "skip_rows": 3,
}
# February for Sam and Robin, equal targets: Robin paid 1,062.50 of 1,912.50 and did 60% of
# the weighted housework.
_REPORT = {
    "from": "2026-02-01",
    "to": "2026-02-28",
    "currency": "EUR",
    "overall_score": 92.2,
    "agreement_version": 1,
    "dimensions": {
        "money": {
            "score": 94.4,
            "members": [
                {
                    "member_id": SAM,
                    "actual": 85000,
                    "actual_share": 0.4444,
                    "target_share": 0.5,
                    "deviation": -0.0556,
                },
                {
                    "member_id": ROBIN,
                    "actual": 106250,
                    "actual_share": 0.5556,
                    "target_share": 0.5,
                    "deviation": 0.0556,
                },
            ],
        },
        "time": {
            "score": 90.0,
            "members": [
                {
                    "member_id": SAM,
                    "actual": 720,
                    "actual_share": 0.4,
                    "target_share": 0.5,
                    "deviation": -0.1,
                },
                {
                    "member_id": ROBIN,
                    "actual": 1080,
                    "actual_share": 0.6,
                    "target_share": 0.5,
                    "deviation": 0.1,
                },
            ],
        },
        "decisions": {
            "members": [
                {"member_id": SAM, "proposed": 2, "ballots": 3, "matched_outcome": 2, "blocks": 0},
                {
                    "member_id": ROBIN,
                    "proposed": 1,
                    "ballots": 3,
                    "matched_outcome": 2,
                    "blocks": 0,
                },
            ]
        },
        "goals": {"score": None, "members": []},
    },
    "check_ins": [
        {"member_id": SAM, "count": 2, "fairness": 4.0, "heard": 4.5},
        {"member_id": ROBIN, "count": 2, "fairness": 2.5, "heard": 3.5},
    ],
    "findings": [
        "Robin did 60% of the weighted housework against a target of 50%.",
        "Robin paid 106.25 more than the agreement says.",
    ],
}
OPERATION_EXAMPLES: dict[str, dict[str, Any]] = {
    "get_fairness_report": {"200": _REPORT},
    "get_health": {"200": {"status": "ok"}},
    "get_readiness": {"200": {"status": "ready"}},
    "create_token": {"request": {**_SIGN_IN, "name": "Sam's phone"}},
    "update_me": {"request": {"display_name": "Sam Berger"}},
    "create_household": {
        "request": {"name": "Flat on Weserstraße", "currency": "EUR", "timezone": "Europe/Berlin"}
    },
    "update_household": {"request": {"name": "Flat on Weserstraße 12"}},
    "create_member": {
        "request": {"display_name": "Robin", "weekly_available_minutes": 480},
    },
    "update_member": {
        "request": {"weekly_available_minutes": 420, "income_visibility": "household"}
    },
    "create_invitation": {"request": {"member_id": ROBIN, "expires_in_hours": 72}},
    "accept_invitation": {"request": {"member_id": ROBIN}},
    "create_expense": {
        "request": {
            "description": "Weekly groceries",
            "amount": 4250,
            "currency": "EUR",
            "date": DAY,
            "paid_by": SAM,
            "split": _EQUAL,
            "category": "groceries",
        }
    },
    "update_expense": {"request": {"amount": 4730, "split": _SHARES}},
    "create_recurring_expense": {
        "request": {
            "description": "Rent",
            "amount": 125000,
            "currency": "EUR",
            "paid_by": SAM,
            "split": _EQUAL,
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
            "starts_on": DAY,
            "category": "rent",
        }
    },
    "update_recurring_expense": {"request": {"amount": 129000}},
    "create_decision": {
        "request": {
            "title": "Where do we go on holiday?",
            "method": "ranked_choice",
            "options": ["Seaside", "Mountains", "City trip"],
            "closes_at": "2026-03-08T20:00:00+01:00",
            "ballot": "open",
            "category": "holidays",
        }
    },
    "create_chore": {
        "request": {
            "name": "Vacuum the flat",
            "estimated_minutes": 45,
            "effort": 3,
            "load": "execution",
            "recurrence": "FREQ=WEEKLY;BYDAY=SA",
            "starts_on": DAY,
            "assignment": {"strategy": "round_robin"},
        }
    },
    "update_chore": {
        "request": {"estimated_minutes": 40, "assignment": {"strategy": "least_loaded"}}
    },
    "complete_chore": {"request": {"member_id": ROBIN, "minutes": 40}},
    "complete_chore_occurrence": {"request": {"member_id": ROBIN, "minutes": 40}},
    "reassign_chore_occurrence": {"request": {"member_id": ROBIN}},
    "create_time_entry": {
        "request": {
            "member_id": ROBIN,
            "minutes": 90,
            "date": DAY,
            "load": "planning",
            "note": "Planned the week's meals and the shopping list",
        }
    },
    "create_absence": {"request": {"from": "2026-03-09", "to": "2026-03-15"}},
    "put_agreement": {
        "request": {
            "money": {"target": "income"},
            "time": {"target": "capacity"},
            "period": "month",
            "tolerance": 0.05,
        }
    },
    "generate_fairness_proposals": {"request": {"from": "2026-02-01", "to": "2026-02-28"}},
    "respond_to_fairness_proposal": {"request": {"response": "accept"}},
    "create_check_in": {
        "request": {
            "member_id": SAM,
            "fairness": 3,
            "heard": 4,
            "note": "The mental load of planning meals is mostly on me.",
            "share_note": True,
        }
    },
    "create_connection": {
        "request": {
            "provider": "file",
            "name": "Sparkasse",
            "config": {"csv_mapping": _CSV_MAPPING},
            "account_map": {"DE89370400440532013000": SAM},
        }
    },
    "update_connection": {"request": {"name": "Sparkasse Girokonto"}},
    "create_import_rule": {
        "request": {
            "name": "Groceries",
            "payee": "rewe|edeka|aldi",
            "regex": True,
            "action": "shared",
            "split": _EQUAL,
            "set_category": "groceries",
        }
    },
    "update_import_rule": {"request": {"payee": "rewe|edeka|aldi|lidl"}},
    "resolve_import_review": {
        "request": {"action": "shared", "paid_by": SAM, "split": _EQUAL, "category": "groceries"}
    },
    "create_webhook": {
        "request": {
            "url": "https://automations.example.org/fairstead",
            "events": ["expense.created", "chore.completed"],
            "description": "Home Assistant",
        }
    },
    "update_webhook": {"request": {"enabled": False}},
    "create_pot": {"request": {"name": "Joint account"}},
    "update_pot": {"request": {"archived": True}},
    "create_pot_contribution": {
        "request": {"member_id": SAM, "amount": 50000, "currency": "EUR", "date": DAY}
    },
    "create_member_income": {
        "request": {"amount": 320000, "currency": "EUR", "effective_from": DAY}
    },
    "create_goal": {
        "request": {
            "name": "Flat deposit",
            "target": {"amount": 450000, "currency": "EUR"},
            "due_on": "2026-12-31",
            "split": _EQUAL,
        }
    },
    "update_goal": {"request": {"due_on": "2027-03-31"}},
    "create_goal_contribution": {
        "request": {"member_id": ROBIN, "amount": 30000, "currency": "EUR", "date": DAY}
    },
}


def example(schema: dict[str, Any], document: dict[str, Any], *, request: bool) -> Any:
    """An example for `schema`: every property of a response, the required ones of a
    request (what a client must send), values by field name, format, then type."""
    return _value(schema, document, request=request, field=None, depth=0)


def _value(
    schema: dict[str, Any],
    document: dict[str, Any],
    *,
    request: bool,
    field: str | None,
    depth: int,
) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = document["components"]["schemas"][name]
        return _value(target, document, request=request, field=field, depth=depth)
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for union in ("oneOf", "anyOf"):
        if union in schema:
            branches = [b for b in schema[union] if b.get("type") != "null"]
            nullable = len(branches) < len(schema[union])
            if nullable and not request and _unnamed(branches[0], field):
                return None  # an optional detail nobody named: shown as absent
            return _value(branches[0], document, request=request, field=field, depth=depth)
    known, value = _known(field)
    if known and _fits(value, schema):
        return value
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object(schema, document, request=request, depth=depth)
    if kind == "array":
        items = schema.get("items", {})
        count = max(1, schema.get("minItems", 1))
        if depth > 4:
            count = schema.get("minItems", 0)
        return [
            _value(items, document, request=request, field=field, depth=depth + 1)
            for _ in range(count)
        ]
    if kind == "string":
        return _string(schema, field)
    if kind == "integer":
        return _number(schema, 1)
    if kind == "number":
        return _number(schema, 0.5)
    if kind == "boolean":
        return False
    if "default" in schema:
        return schema["default"]
    return None


def _object(
    schema: dict[str, Any], document: dict[str, Any], *, request: bool, depth: int
) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    names = [n for n in properties if n in required] if request else list(properties)
    result = {
        name: _value(
            properties[name],
            document,
            request=request,
            field=f"{schema.get('title', '')}.{name}",
            depth=depth + 1,
        )
        for name in names
    }
    extra = schema.get("additionalProperties")
    if not properties and isinstance(extra, dict) and depth < 4:
        result[SAM] = _value(extra, document, request=request, field=None, depth=depth + 1)
    return result


def _known(field: str | None) -> tuple[bool, Any]:
    """The value for `Schema.field`, else for `field`, if there is one."""
    for key in (field, _bare(field)):
        if key in BY_FIELD:
            return True, BY_FIELD[key]
    return False, None


def _bare(field: str | None) -> str | None:
    return field.rsplit(".", 1)[-1] if field else None


def _unnamed(schema: dict[str, Any], field: str | None) -> bool:
    known, value = _known(field)
    if known:
        return value is None
    field = _bare(field)
    return (
        schema.get("type") in ("string", "integer")
        and "format" not in schema
        and not (field and (field == "id" or field.endswith("_id")))
    )


def _string(schema: dict[str, Any], field: str | None) -> str:
    field = _bare(field)
    if schema.get("format") in BY_FORMAT:
        return str(BY_FORMAT[schema["format"]])
    if field and (field == "id" or field.endswith("_id")):
        return RECORD
    text = (field or "text").replace("_", " ")
    low, high = schema.get("minLength", 1), schema.get("maxLength", 200)
    return text[:high].ljust(low, "x")


def _number(schema: dict[str, Any], fallback: float) -> Any:
    value = schema.get("default", fallback if schema.get("type") == "number" else 1)
    if value is None:
        value = fallback
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + 1
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    return int(value) if schema.get("type") == "integer" else value


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if value is None:
        return kind == "null"
    checks = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }
    return isinstance(kind, str) and checks.get(kind, False)
