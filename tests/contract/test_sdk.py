"""A Python SDK generated from openapi/openapi.json works against a running server.

`make sdk` runs the same generation. The test skips (with the reason) only when the
generator itself cannot run here; a document the generator trips over, a client that
cannot sign up, or an error it cannot type is a failure.
"""

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
PACKAGE = "fairstead_client"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if GENERATOR is None:
        pytest.skip("openapi-python-client is not installed: SDK smoke test skipped")
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
    assert result.returncode == 0, output
    assert "Warning" not in output and "Unable to" not in output, output
    sys.path.insert(0, str(build))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(build))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = tmp_path_factory.mktemp("served") / "sdk.db"
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": f"sqlite:///{database}",
        "FAIRSTEAD_DELIVER_IN_PROCESS": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "server did not start within 60 s"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def module(sdk: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{sdk.__name__}.{name}")


def test_generated_client_signs_up_adds_an_expense_and_reads_balances(
    sdk: ModuleType, server: str
) -> None:
    models = module(sdk, "models")
    anonymous = sdk.Client(base_url=server)
    user = module(sdk, "api.users.create_user").sync(
        client=anonymous,
        body=models.UserCreate(
            email="sdk@example.org", password="correct horse battery", display_name="Sam"
        ),
    )
    assert isinstance(user, models.User)
    token = module(sdk, "api.tokens.create_token").sync(
        client=anonymous,
        body=models.TokenCreate(
            email="sdk@example.org", password="correct horse battery", name="sdk"
        ),
    )
    assert isinstance(token, models.TokenCreated)
    client = sdk.AuthenticatedClient(base_url=server, token=token.token)

    household = module(sdk, "api.households.create_household").sync(
        client=client,
        body=models.HouseholdCreate(name="Home", currency="EUR", timezone="Europe/Berlin"),
    )
    assert isinstance(household, models.Household)
    members = module(sdk, "api.members.list_members").sync(household.id, client=client)
    sam = members.data[0].id
    robin = module(sdk, "api.members.create_member").sync(
        household.id, client=client, body=models.MemberCreate(display_name="Robin")
    )
    split = models.SplitIn(
        method=models.SplitMethod.EQUAL,
        participants=[models.ParticipantIn(member_id=m) for m in (sam, robin.id)],
    )
    expense = module(sdk, "api.expenses.create_expense").sync(
        household.id,
        client=client,
        body=models.ExpenseCreate(
            description="Pizza",
            amount=1999,
            currency="EUR",
            date=date(2026, 3, 1),
            paid_by=sam,
            split=split,
        ),
    )
    assert isinstance(expense, models.Expense)
    assert [s.amount for s in expense.shares] == [1000, 999]

    balances = module(sdk, "api.settlements.get_balances").sync(household.id, client=client)
    assert isinstance(balances, models.Balances)
    assert {b.member_id: b.net for b in balances.data} == {sam: 999, robin.id: -999}


def test_errors_come_back_as_typed_problems(sdk: ModuleType, server: str) -> None:
    models = module(sdk, "models")
    anonymous = sdk.Client(base_url=server)
    module(sdk, "api.users.create_user").sync(
        client=anonymous,
        body=models.UserCreate(
            email="errors@example.org", password="correct horse battery", display_name="Alex"
        ),
    )
    token = module(sdk, "api.tokens.create_token").sync(
        client=anonymous,
        body=models.TokenCreate(
            email="errors@example.org", password="correct horse battery", name="sdk"
        ),
    )
    client = sdk.AuthenticatedClient(base_url=server, token=token.token)

    missing = module(sdk, "api.households.get_household").sync_detailed(
        "01900000-0000-7000-8000-000000000000", client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.status == 404 and missing.parsed.type_.startswith("urn:fairstead:")

    invalid = module(sdk, "api.households.create_household").sync_detailed(
        client=client,
        body=models.HouseholdCreate(name="Home", currency="EURO", timezone="Europe/Berlin"),
    )
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, models.Problem)
    assert [".".join(map(str, e.loc)) for e in invalid.parsed.errors] == ["body.currency"]


def test_webhook_payloads_have_generated_types(sdk: ModuleType) -> None:
    models = module(sdk, "models")
    event = models.ExpenseCreatedEvent.from_dict(
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
