"""A Python client generated from openapi/openapi.json (openapi-python-client, as `make sdk`
does) drives a live `fairstead serve` through one household's flow (tests/sdk/expected.py).

The generator must say nothing but that it generated: a warning about the document fails
the test. Its output is kept in build/sdk-logs/python-generator.txt.
"""

import datetime as dt
import importlib
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.live_server import ROOT, serve
from tests.sdk.expected import RANKINGS, SUMMARY, qif

GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
PACKAGE = "fairstead_client"
LOGS = ROOT / "build" / "sdk-logs"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    assert GENERATOR, "openapi-python-client is a dev dependency: make .venv/.dev-installed"
    build = tmp_path_factory.mktemp("sdk")
    result = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            str(ROOT / "openapi" / "openapi.json"),
            "--output-path",
            str(build / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(ROOT / "openapi" / "sdk-config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "python-generator.txt").write_text(output)
    assert result.returncode == 0, output
    assert output.strip() == f"Generating {build / PACKAGE}", output
    sys.path.insert(0, str(build))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(build))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("served")) as base:
        yield base


def call(sdk: ModuleType, name: str) -> Any:
    """`households.create_household` → its module's `sync_detailed`, checked for success."""
    module = importlib.import_module(f"{sdk.__name__}.api.{name}")

    def run(*args: Any, **kwargs: Any) -> Any:
        response = module.sync_detailed(*args, **kwargs)
        assert 200 <= response.status_code < 300, (name, response.status_code, response.content)
        return response.parsed

    return run


def test_the_python_client_runs_the_household_flow(sdk: ModuleType, server: str) -> None:
    m = importlib.import_module(f"{sdk.__name__}.models")
    types = importlib.import_module(f"{sdk.__name__}.types")
    today = dt.datetime.now(dt.UTC).date()
    anonymous = sdk.Client(base_url=server)
    email, password = "py-sdk@example.org", "correct horse battery staple"
    call(sdk, "users.create_user")(
        client=anonymous, body=m.UserCreate(email=email, password=password, display_name="Sam")
    )
    token = call(sdk, "tokens.create_token")(
        client=anonymous, body=m.TokenCreate(email=email, password=password, name="py")
    )
    api = sdk.AuthenticatedClient(base_url=server, token=token.token)

    home = call(sdk, "households.create_household")(
        client=api, body=m.HouseholdCreate(name="Flat", currency="EUR", timezone="UTC")
    )
    sam = call(sdk, "members.list_members")(home.id, client=api).data[0].id
    # role and income_visibility are server defaults: not required of the client.
    robin = call(sdk, "members.create_member")(
        home.id, client=api, body=m.MemberCreate(display_name="Robin")
    ).id
    kim = call(sdk, "members.create_member")(
        home.id, client=api, body=m.MemberCreate(display_name="Kim")
    ).id
    names = {sam: "Sam", robin: "Robin", kim: "Kim"}
    ids = {name: member_id for member_id, name in names.items()}

    equal = m.SplitIn(
        method=m.SplitMethod.EQUAL,
        participants=[m.ParticipantIn(member_id=i) for i in (sam, robin, kim)],
    )
    shares = m.SplitIn(
        method=m.SplitMethod.SHARES,
        participants=[
            m.ParticipantIn(member_id=sam, shares=2),
            m.ParticipantIn(member_id=robin, shares=1),
            m.ParticipantIn(member_id=kim, shares=1),
        ],
    )
    expenses = {}
    for description, amount, paid_by, split in (
        ("Groceries", 4500, sam, equal),
        ("Dinner", 6000, robin, shares),
    ):
        expense = call(sdk, "expenses.create_expense")(
            home.id,
            client=api,
            body=m.ExpenseCreate(
                description=description,
                amount=amount,
                currency="EUR",
                date=today,
                paid_by=paid_by,
                split=split,
            ),
        )
        expenses[f"{description} ({expense.split.method})"] = {
            names[s.member_id]: s.amount for s in expense.shares
        }

    call(sdk, "import_rules.create_import_rule")(
        home.id,
        client=api,
        body=m.ImportRuleCreate(name="everything", action=m.ImportRuleCreateAction.SHARED),
    )
    upload = types.File(
        payload=io.BytesIO(qif(today).encode()), file_name="statement.qif", mime_type="text/plain"
    )
    run = call(sdk, "imports.create_import")(
        home.id, client=api, body=m.BodyCreateImport(file=upload, currency="EUR")
    )

    chore = call(sdk, "chores.create_chore")(
        home.id,
        client=api,
        body=m.ChoreCreate(
            name="Take out the bins",
            estimated_minutes=10,
            effort=1,
            load=m.Load.EXECUTION,
            starts_on=today,
            recurrence="FREQ=DAILY",
            assignment=m.AssignmentIn(strategy=m.Strategy.FIXED, member_id=sam),
        ),
    )
    done = call(sdk, "chores.complete_chore")(home.id, chore.id, client=api)  # no body

    decision = call(sdk, "decisions.create_decision")(
        home.id,
        client=api,
        body=m.DecisionCreate(
            title="Where do we go on holiday?",
            method=m.Method.RANKED_CHOICE,
            options=["Seaside", "Mountains", "City trip"],
            ballot=m.BallotKind.OPEN,
        ),
    )
    option = {o.label: o.id for o in decision.options}
    for voter, labels in RANKINGS.items():
        call(sdk, "decisions.cast_vote")(
            home.id,
            decision.id,
            ids[voter],
            client=api,
            body=m.RankedBallot(ranking=[option[label] for label in labels]),
        )
    closed = call(sdk, "decisions.close_decision")(home.id, decision.id, client=api)
    label = {o.id: o.label for o in decision.options}

    balances = call(sdk, "settlements.get_balances")(home.id, client=api)
    report = call(sdk, "fairness.get_fairness_report")(home.id, client=api)

    assert {
        "expenses": expenses,
        "imported": run.counts.created,
        "chore": {"status": done.status, "completed_by": names[done.completed_by_member_id]},
        "winners": [label[i] for i in closed.result.winner_option_ids],
        "balances": {names[b.member_id]: b.net for b in balances.data},
        "report": {
            "currency": report.currency,
            "money": {names[x.member_id]: x.actual for x in report.dimensions.money.members},
        },
    } == SUMMARY


def test_errors_come_back_as_typed_problems(sdk: ModuleType, server: str) -> None:
    m = importlib.import_module(f"{sdk.__name__}.models")
    anonymous = sdk.Client(base_url=server)
    email, password = "errors@example.org", "correct horse battery staple"
    call(sdk, "users.create_user")(
        client=anonymous, body=m.UserCreate(email=email, password=password, display_name="Alex")
    )
    token = call(sdk, "tokens.create_token")(
        client=anonymous, body=m.TokenCreate(email=email, password=password, name="sdk")
    )
    client = sdk.AuthenticatedClient(base_url=server, token=token.token)
    households = importlib.import_module(f"{sdk.__name__}.api.households")
    missing = importlib.import_module(f"{households.__name__}.get_household").sync_detailed(
        "01900000-0000-7000-8000-000000000000", client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, m.Problem)
    assert missing.parsed.status == 404 and missing.parsed.type_.startswith("urn:fairstead:")

    invalid = importlib.import_module(f"{households.__name__}.create_household").sync_detailed(
        client=client,
        body=m.HouseholdCreate(name="Home", currency="EURO", timezone="Europe/Berlin"),
    )
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, m.Problem)
    assert [".".join(map(str, e.loc)) for e in invalid.parsed.errors] == ["body.currency"]


def test_webhook_payloads_have_generated_types(sdk: ModuleType) -> None:
    m = importlib.import_module(f"{sdk.__name__}.models")
    event = m.ExpenseCreatedEvent.from_dict(
        {
            "type": "expense.created",
            "timestamp": "2026-03-01T12:00:00Z",
            "data": {
                "id": "e",
                "household_id": "h",
                "subject_id": "x",
                "actor_member_id": "m",
                "on_behalf_of_member_id": None,
                "description": "Milk",
                "amount": 250,
                "currency": "EUR",
            },
        }
    )
    assert event.data.amount == 250 and event.data.subject_id == "x"


def test_ballots_are_typed_per_method(sdk: ModuleType) -> None:
    m = importlib.import_module(f"{sdk.__name__}.models")
    assert m.RankedBallot(ranking=["a"]).to_dict() == {"ranking": ["a"]}
    assert m.Abstention(abstain=True).to_dict() == {"abstain": True}
