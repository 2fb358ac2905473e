import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from domain.errors import InvalidInput
from integrations.connectors import OPTIONAL, REQUIRED, build_connector
from integrations.connectors.actual import ActualConnector, ActualLogin, ActualRow
from integrations.connectors.firefly import FireflyConnector
from integrations.connectors.lunchmoney import LunchMoneyConnector
from integrations.connectors.splitwise import SplitwiseConnector
from integrations.connectors.ynab import YnabConnector
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply

VALID: dict[str, tuple[dict[str, str], dict[str, object]]] = {
    "ynab": ({"token": "t"}, {"budget_id": "last-used"}),
    "firefly": ({"token": "t"}, {"base_url": "https://firefly.lan"}),
    "lunchmoney": ({"token": "t"}, {}),
    "splitwise": ({"api_key": "k"}, {}),
    "actual": (
        {"password": "p"},
        {"server_url": "http://actual.lan", "file": "Home", "currency": "eur"},
    ),
}
CLASSES = {
    "ynab": YnabConnector,
    "firefly": FireflyConnector,
    "lunchmoney": LunchMoneyConnector,
    "splitwise": SplitwiseConnector,
    "actual": ActualConnector,
}


def build(
    provider: str, credentials: dict[str, str], config: dict[str, object], **extra: object
) -> object:
    return build_connector(
        provider,
        httpx.Client(),
        credentials=credentials,
        config=config,
        **extra,  # type: ignore[arg-type]
    )


def invalid_field(
    provider: str, credentials: dict[str, str], config: dict[str, object]
) -> str | None:
    with pytest.raises(InvalidInput) as raised:
        build(provider, credentials, config)
    return raised.value.field


@pytest.mark.parametrize("provider", sorted(VALID))
def test_each_provider_builds_its_connector(provider: str) -> None:
    credentials, config = VALID[provider]
    assert isinstance(build(provider, credentials, config), CLASSES[provider])


def test_required_and_optional_keys_cover_the_same_providers() -> None:
    assert set(REQUIRED) == set(OPTIONAL) == set(VALID)


def test_an_unknown_provider_is_refused() -> None:
    assert invalid_field("mint", {}, {}) == "provider"


@pytest.mark.parametrize(
    ("provider", "key"),
    [(provider, key) for provider, (keys, _) in REQUIRED.items() for key in keys],
)
def test_a_missing_or_blank_credential_is_refused(provider: str, key: str) -> None:
    credentials, config = VALID[provider]
    assert invalid_field(provider, {k: v for k, v in credentials.items() if k != key}, config) == (
        f"credentials.{key}"
    )
    assert invalid_field(provider, {**credentials, key: "  "}, config) == f"credentials.{key}"


@pytest.mark.parametrize(
    ("provider", "key"),
    [(provider, key) for provider, (_, keys) in REQUIRED.items() for key in keys],
)
def test_a_missing_setting_is_refused(provider: str, key: str) -> None:
    credentials, config = VALID[provider]
    assert invalid_field(provider, credentials, {k: v for k, v in config.items() if k != key}) == (
        f"config.{key}"
    )


@pytest.mark.parametrize(
    ("provider", "config", "field"),
    [
        ("ynab", {"budget_id": "b", "budget": "typo"}, "config.budget"),
        ("firefly", {"base_url": "firefly.lan"}, "config.base_url"),
        ("firefly", {"base_url": "https://f.lan", "overlap_days": -1}, "config.overlap_days"),
        ("firefly", {"base_url": "https://f.lan", "overlap_days": "7"}, "config.overlap_days"),
        ("firefly", {"base_url": "https://f.lan", "overlap_days": True}, "config.overlap_days"),
        ("lunchmoney", {"start_date": "01/02/2025"}, "config.start_date"),
        ("lunchmoney", {"page_size": 0}, "config.page_size"),
        ("splitwise", {"group_id": ["555"]}, "config.group_id"),
        ("actual", {"server_url": "http://a", "file": "f", "currency": "XAU"}, "config.currency"),
    ],
)
def test_a_bad_setting_names_its_field(
    provider: str, config: dict[str, object], field: str
) -> None:
    credentials, _ = VALID[provider]
    assert invalid_field(provider, credentials, config) == field


def test_an_unknown_credential_is_refused() -> None:
    assert (
        invalid_field("splitwise", {"api_key": "k", "password": "p"}, {}) == "credentials.password"
    )


def test_the_connector_uses_the_injected_client_sleep_and_settings() -> None:
    source = FakeSource(
        {"/api/v1/transactions": [Reply(status=503), Reply(body={"data": [], "links": {}})]}
    )
    sleep = FakeSleep()
    connector = build_connector(
        "firefly",
        source.client(),
        credentials={"token": "t"},
        config={"base_url": "https://firefly.lan", "overlap_days": 2},
        sleep=sleep,
        today=lambda: dt.date(2025, 11, 5),
    )
    assert connector.fetch("2025-11-04").cursor == "2025-11-05"
    assert sleep.delays == [1.0]
    assert source.params()[-1]["start"] == "2025-11-02"


def test_the_actual_connector_takes_its_login_and_an_injected_budget() -> None:
    logins: list[ActualLogin] = []

    class Budget:
        def rows(self, since: dt.date | None) -> list[ActualRow]:
            return [ActualRow("t1", "acc", dt.date(2025, 11, 1), -1234)]

    @contextmanager
    def opener(login: ActualLogin) -> Iterator[Budget]:
        logins.append(login)
        yield Budget()

    credentials, config = VALID["actual"]
    connector = build(
        "actual", {**credentials, "encryption_password": "e"}, config, actual_opener=opener
    )
    (row,) = connector.fetch(None).transactions  # type: ignore[attr-defined]
    assert (row.amount, row.currency) == (-1234, "EUR")
    assert logins == [ActualLogin("http://actual.lan", "Home", "p", "e")]
