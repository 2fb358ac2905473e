"""Budgeting-app connectors: each turns one outside source into `ImportedTransaction` rows.

`build_connector` makes one from a stored connection (provider, credentials, config)
through `PROVIDERS`, one registry line per provider; `REQUIRED` and `OPTIONAL` (derived
from it) name the keys each provider takes, so the API can refuse a
connection that lacks one before any sync runs. Every problem with the keys is an
`InvalidInput` whose `field` is `provider`, `credentials.<key>` or `config.<key>`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from domain.errors import InvalidInput
from domain.imports.records import Connector
from domain.money import is_known_currency
from integrations.connectors import lunchmoney, splitwise, ynab
from integrations.connectors.actual import ActualConnector, ActualLogin, BudgetOpener
from integrations.connectors.firefly import FireflyConnector
from integrations.connectors.http import Sleep
from integrations.connectors.lunchmoney import LunchMoneyConnector
from integrations.connectors.splitwise import SplitwiseConnector
from integrations.connectors.ynab import YnabConnector

__all__ = ["OPTIONAL", "PROVIDERS", "REQUIRED", "build_connector"]

Keys = tuple[tuple[str, ...], tuple[str, ...]]  # (credential keys, config keys)


@dataclass(frozen=True)
class Injected:
    """What a builder may need besides the connection's keys."""

    client: httpx.Client
    sleep: Sleep
    today: Callable[[], dt.date]
    actual_opener: BudgetOpener | None


@dataclass(frozen=True)
class Provider:
    required: Keys  # must be present and non-empty
    optional: Keys  # may be given
    build: Callable[[_Keys, Injected], Connector]


def _ynab(keys: _Keys, env: Injected) -> Connector:
    return YnabConnector(
        env.client,
        token=keys.secret("token"),
        budget_id=keys.text("budget_id"),
        base_url=keys.url("base_url") or ynab.DEFAULT_BASE_URL,
        sleep=env.sleep,
    )


def _firefly(keys: _Keys, env: Injected) -> Connector:
    return FireflyConnector(
        env.client,
        token=keys.secret("token"),
        base_url=keys.required_url("base_url"),
        overlap_days=keys.count("overlap_days", default=7, least=0),
        start_date=keys.date("start_date"),
        today=env.today,
        sleep=env.sleep,
    )


def _lunchmoney(keys: _Keys, env: Injected) -> Connector:
    return LunchMoneyConnector(
        env.client,
        token=keys.secret("token"),
        base_url=keys.url("base_url") or lunchmoney.DEFAULT_BASE_URL,
        overlap_days=keys.count("overlap_days", default=7, least=0),
        start_date=keys.date("start_date"),
        page_size=keys.count("page_size", default=500, least=1),
        today=env.today,
        sleep=env.sleep,
    )


def _splitwise(keys: _Keys, env: Injected) -> Connector:
    return SplitwiseConnector(
        env.client,
        api_key=keys.secret("api_key"),
        base_url=keys.url("base_url") or splitwise.DEFAULT_BASE_URL,
        group_id=keys.optional_text("group_id"),
        page_size=keys.count("page_size", default=100, least=1),
        sleep=env.sleep,
    )


def _actual(keys: _Keys, env: Injected) -> Connector:
    return ActualConnector(
        login=ActualLogin(
            server_url=keys.required_url("server_url"),
            file=keys.text("file"),
            password=keys.secret("password"),
            encryption_password=keys.optional_secret("encryption_password"),
        ),
        currency=keys.currency("currency"),
        overlap_days=keys.count("overlap_days", default=7, least=0),
        start_date=keys.date("start_date"),
        today=env.today,
        opener=env.actual_opener,
    )


# One line per provider: adding a connector is its module plus a line here (and its name in
# the API's `Provider` literal; a test checks the two agree).
PROVIDERS: dict[str, Provider] = {
    "ynab": Provider((("token",), ("budget_id",)), ((), ("base_url",)), _ynab),
    "firefly": Provider(
        (("token",), ("base_url",)), ((), ("overlap_days", "start_date")), _firefly
    ),
    "lunchmoney": Provider(
        (("token",), ()),
        ((), ("base_url", "overlap_days", "start_date", "page_size")),
        _lunchmoney,
    ),
    "splitwise": Provider(
        (("api_key",), ()), ((), ("base_url", "group_id", "page_size")), _splitwise
    ),
    "actual": Provider(
        (("password",), ("server_url", "file", "currency")),
        (("encryption_password",), ("overlap_days", "start_date")),
        _actual,
    ),
}
REQUIRED: dict[str, Keys] = {name: p.required for name, p in PROVIDERS.items()}
OPTIONAL: dict[str, Keys] = {name: p.optional for name, p in PROVIDERS.items()}


def build_connector(
    provider: str,
    client: httpx.Client,
    *,
    credentials: Mapping[str, str],
    config: Mapping[str, object],
    sleep: Sleep = time.sleep,
    today: Callable[[], dt.date] = dt.date.today,
    actual_opener: BudgetOpener | None = None,
) -> Connector:
    """The connector for one stored connection. `client` carries every HTTP request (the
    Actual connector excepted: `actualpy` has its own); `sleep` and `today` are injected so
    that retries and date windows are testable without waiting or a clock."""
    if provider not in PROVIDERS:
        raise InvalidInput(
            f"unknown provider {provider!r}; expected one of {', '.join(sorted(PROVIDERS))}",
            field="provider",
        )
    keys = _Keys(provider, credentials, config)
    return PROVIDERS[provider].build(keys, Injected(client, sleep, today, actual_opener))


class _Keys:
    """Checked access to one connection's credentials and config."""

    def __init__(
        self, provider: str, credentials: Mapping[str, str], config: Mapping[str, object]
    ) -> None:
        self._credentials = credentials
        self._config = config
        required_credentials, required_config = REQUIRED[provider]
        optional_credentials, optional_config = OPTIONAL[provider]
        for section, given, known in (
            ("credentials", credentials, required_credentials + optional_credentials),
            ("config", config, required_config + optional_config),
        ):
            for key in given:
                if key not in known:
                    raise InvalidInput(
                        f"{provider} takes no {section} key {key!r}; it takes "
                        f"{', '.join(known) or 'none'}",
                        field=f"{section}.{key}",
                    )
        for key in required_credentials:
            if not isinstance(credentials.get(key), str) or not credentials[key].strip():
                raise InvalidInput(
                    f"{provider} needs the credential {key!r}", field=f"credentials.{key}"
                )
        for key in required_config:
            if config.get(key) in (None, ""):
                raise InvalidInput(f"{provider} needs the setting {key!r}", field=f"config.{key}")

    def secret(self, key: str) -> str:
        return self._credentials[key].strip()

    def optional_secret(self, key: str) -> str | None:
        return self._credentials.get(key) or None

    def optional_text(self, key: str) -> str | None:
        value = self._config.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidInput(f"{key} must be text", field=f"config.{key}")
        return str(value).strip()

    def text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            raise InvalidInput(f"the setting {key!r} is missing", field=f"config.{key}")
        return value

    def url(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value is not None and not value.startswith(("https://", "http://")):
            raise InvalidInput(f"{key} must be an http(s) URL", field=f"config.{key}")
        return value

    def required_url(self, key: str) -> str:
        value = self.url(key)
        if value is None:
            raise InvalidInput(f"the setting {key!r} is missing", field=f"config.{key}")
        return value

    def count(self, key: str, *, default: int, least: int) -> int:
        value = self._config.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidInput(
                f"{key} must be a whole number of at least {least}", field=f"config.{key}"
            )
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.optional_text(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(
                f"{key} must be a date like 2025-01-31", field=f"config.{key}"
            ) from None

    def currency(self, key: str) -> str:
        code = self.text(key).upper()
        if not is_known_currency(code):
            raise InvalidInput(
                f"{code!r} is not a supported ISO 4217 currency", field=f"config.{key}"
            )
        return code
